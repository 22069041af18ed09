-- Daily payment reconciliation: each WIB day's run and totals, the provider's statement as last
-- fetched, the discrepancies found (unique by what they are, so a rerun adds none) and the
-- append-only record of how each was resolved.

-- CreateEnum
CREATE TYPE "ReconciliationStatus" AS ENUM ('RUNNING', 'COMPLETED');

-- CreateEnum
CREATE TYPE "DiscrepancyKind" AS ENUM ('MISSING_AT_PROVIDER', 'DUPLICATE', 'AMOUNT_MISMATCH', 'REVERSED', 'UNKNOWN_TO_LEDGER');

-- CreateEnum
CREATE TYPE "DiscrepancyStatus" AS ENUM ('OPEN', 'RESOLVED', 'OVERRIDDEN');

-- CreateTable
CREATE TABLE "ReconciliationRun" (
    "day" DATE NOT NULL,
    "status" "ReconciliationStatus" NOT NULL DEFAULT 'RUNNING',
    "statementLines" INTEGER NOT NULL DEFAULT 0,
    "matchedCount" INTEGER NOT NULL DEFAULT 0,
    "matchedAmount" BIGINT NOT NULL DEFAULT 0,
    "unmatchedCount" INTEGER NOT NULL DEFAULT 0,
    "unmatchedAmount" BIGINT NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "ReconciliationRun_pkey" PRIMARY KEY ("day")
);

-- CreateTable
CREATE TABLE "ReconciliationStatementLine" (
    "day" DATE NOT NULL,
    "disbursementId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "settledAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReconciliationStatementLine_pkey" PRIMARY KEY ("day","disbursementId")
);

-- CreateTable
CREATE TABLE "ReconciliationDiscrepancy" (
    "id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "kind" "DiscrepancyKind" NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "occurrence" INTEGER NOT NULL DEFAULT 1,
    "ledgerAmount" INTEGER,
    "statementAmount" INTEGER,
    "disbursementId" TEXT,
    "status" "DiscrepancyStatus" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReconciliationDiscrepancy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReconciliationResolution" (
    "id" UUID NOT NULL,
    "discrepancyId" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "statusBefore" "DiscrepancyStatus" NOT NULL,
    "statusAfter" "DiscrepancyStatus" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReconciliationResolution_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReconciliationStatementLine_day_idempotencyKey_idx" ON "ReconciliationStatementLine"("day", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "ReconciliationDiscrepancy_day_kind_idempotencyKey_occurrence_key" ON "ReconciliationDiscrepancy"("day", "kind", "idempotencyKey", "occurrence");

-- CreateIndex
CREATE INDEX "ReconciliationDiscrepancy_day_status_kind_idx" ON "ReconciliationDiscrepancy"("day", "status", "kind");

-- CreateIndex
CREATE INDEX "ReconciliationResolution_discrepancyId_idx" ON "ReconciliationResolution"("discrepancyId");

-- Matching finds the day's settled payouts by settlement time.
CREATE INDEX "LedgerEntry_settledAt_idx" ON "LedgerEntry"("settledAt");

-- AddForeignKey
ALTER TABLE "ReconciliationResolution" ADD CONSTRAINT "ReconciliationResolution_discrepancyId_fkey" FOREIGN KEY ("discrepancyId") REFERENCES "ReconciliationDiscrepancy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
