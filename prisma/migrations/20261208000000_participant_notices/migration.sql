-- Notices at every milestone: how each participant is reached, and one row per participant and
-- milestone, so a notice is sent once whatever retries, replays or crashes.

-- CreateEnum
CREATE TYPE "NoticeChannel" AS ENUM ('EMAIL', 'SMS');

-- CreateEnum
CREATE TYPE "NoticeStatus" AS ENUM ('SENDING', 'SENT');

-- AlterTable
ALTER TABLE "Participant"
  ADD COLUMN "noticeChannel" "NoticeChannel" NOT NULL DEFAULT 'EMAIL',
  ADD COLUMN "language" TEXT NOT NULL DEFAULT 'id';

-- CreateTable
CREATE TABLE "ParticipantNotice" (
    "participantId" UUID NOT NULL,
    "milestone" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" "NoticeChannel" NOT NULL,
    "status" "NoticeStatus" NOT NULL,
    "reference" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "ParticipantNotice_pkey" PRIMARY KEY ("participantId","milestone")
);

-- CreateIndex
CREATE INDEX "ParticipantNotice_kind_sentAt_idx" ON "ParticipantNotice"("kind", "sentAt");

-- AddForeignKey
ALTER TABLE "ParticipantNotice" ADD CONSTRAINT "ParticipantNotice_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
