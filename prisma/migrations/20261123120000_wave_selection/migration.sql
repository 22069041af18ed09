-- Wave selection (issue 4): the selection's record on the wave, every state transition, the
-- fan-out cursor, carry-over provenance, and the index the fan-out pages by.

-- AlterTable
ALTER TABLE "Wave" ADD COLUMN "closedAt" TIMESTAMP(3),
ADD COLUMN "closedBy" TEXT,
ADD COLUMN "rankedAt" TIMESTAMP(3),
ADD COLUMN "applicantCount" INTEGER,
ADD COLUMN "selectedCount" INTEGER,
ADD COLUMN "cutoffPriority" INTEGER,
ADD COLUMN "signalledThroughRank" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "journeysEnded" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "selectionCompletedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WaveApplication" ADD COLUMN "carriedOverFromWaveId" UUID;

-- CreateTable
CREATE TABLE "WaveStateTransition" (
    "id" UUID NOT NULL,
    "waveId" UUID NOT NULL,
    "fromState" "WaveState" NOT NULL,
    "toState" "WaveState" NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WaveStateTransition_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WaveStateTransition_waveId_toState_key" ON "WaveStateTransition"("waveId", "toState");

-- CreateIndex
CREATE INDEX "Participant_createdAt_idx" ON "Participant"("createdAt");

-- CreateIndex
CREATE INDEX "WaveApplication_waveId_rank_idx" ON "WaveApplication"("waveId", "rank");

-- AddForeignKey
ALTER TABLE "WaveStateTransition" ADD CONSTRAINT "WaveStateTransition_waveId_fkey" FOREIGN KEY ("waveId") REFERENCES "Wave"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
