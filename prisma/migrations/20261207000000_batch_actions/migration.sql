-- Batch actions by filter: the request (with its fixed member count) and one row per member with
-- its outcome. The members are written once, in the request's transaction, by INSERT ... SELECT.

-- CreateEnum
CREATE TYPE "BatchActionStatus" AS ENUM ('AWAITING_CONFIRMATION', 'RUNNING', 'PAUSED', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "BatchActionItemOutcome" AS ENUM ('PENDING', 'DONE', 'REFUSED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "BatchAction" (
    "id" UUID NOT NULL,
    "kind" "OperatorActionKind" NOT NULL,
    "filter" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "requestedByRole" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "total" INTEGER NOT NULL,
    "ratePerSecond" INTEGER NOT NULL,
    "status" "BatchActionStatus" NOT NULL,
    "confirmationRequired" BOOLEAN NOT NULL,
    "statusChangedBy" TEXT NOT NULL,
    "statusChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedBy" TEXT,
    "confirmedAt" TIMESTAMP(3),
    "cancellationReason" TEXT,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "BatchAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BatchActionItem" (
    "batchId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "outcome" "BatchActionItemOutcome" NOT NULL DEFAULT 'PENDING',
    "refusalCode" TEXT,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "BatchActionItem_pkey" PRIMARY KEY ("batchId","participantId")
);

-- CreateIndex
CREATE INDEX "BatchAction_requestedAt_idx" ON "BatchAction"("requestedAt");

-- CreateIndex
CREATE INDEX "BatchActionItem_batchId_outcome_participantId_idx" ON "BatchActionItem"("batchId", "outcome", "participantId");

-- AddForeignKey
ALTER TABLE "BatchActionItem" ADD CONSTRAINT "BatchActionItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "BatchAction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
