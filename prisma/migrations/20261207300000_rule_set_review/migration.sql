-- Four eyes: a draft is submitted for review (frozen, with a comment and the date it should take
-- effect) and published only when a different program manager approves it. Every step, with its
-- comment, is also an entry in the rule set's audit trail (RuleSetAuditEntry).

-- AlterEnum
ALTER TYPE "RuleSetStatus" ADD VALUE 'IN_REVIEW' AFTER 'DRAFT';

-- AlterTable
ALTER TABLE "RuleSet"
  ADD COLUMN "submittedBy" TEXT,
  ADD COLUMN "submittedAt" TIMESTAMP(3),
  ADD COLUMN "submissionComment" TEXT,
  ADD COLUMN "requestedEffectiveFrom" TIMESTAMP(3),
  ADD COLUMN "approvedBy" TEXT,
  ADD COLUMN "approvedAt" TIMESTAMP(3),
  ADD COLUMN "approvalComment" TEXT;
