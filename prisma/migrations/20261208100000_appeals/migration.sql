-- Appeals: a participant appeals an exit (ineligible, rejected on identity, revoked): a reviewer
-- upholds it or overturns it, and an overturned appeal may cancel a repayment.

-- AlterEnum
ALTER TYPE "LedgerKind" ADD VALUE 'REPAYMENT_CANCELLED';

-- CreateEnum
CREATE TYPE "AppealStatus" AS ENUM ('OPEN', 'UPHELD', 'OVERTURNED');

-- CreateTable
CREATE TABLE "Appeal" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "appealedStage" TEXT NOT NULL,
    "appealedDecision" JSONB NOT NULL,
    "decisionActors" TEXT[],
    "sealedStatement" TEXT,
    "statementKeyId" TEXT,
    "identityCorrected" BOOLEAN NOT NULL DEFAULT false,
    "documentPath" TEXT,
    "documentContentType" TEXT,
    "status" "AppealStatus" NOT NULL DEFAULT 'OPEN',
    "filedAt" TIMESTAMP(3) NOT NULL,
    "windowEndsAt" TIMESTAMP(3) NOT NULL,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionReason" TEXT,
    "rulesBasis" TEXT,
    "result" TEXT,
    "resultAt" TIMESTAMP(3),

    CONSTRAINT "Appeal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Appeal_status_filedAt_idx" ON "Appeal"("status", "filedAt");

-- CreateIndex
CREATE INDEX "Appeal_participantId_filedAt_idx" ON "Appeal"("participantId", "filedAt");

-- AddForeignKey
ALTER TABLE "Appeal" ADD CONSTRAINT "Appeal_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
