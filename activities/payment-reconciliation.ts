// The daily payment reconciliation's steps: copy the provider's statement of a WIB day into the
// database page by page, then match it to the ledger by idempotency key in SQL, so no day's
// payments ever sit in the worker's memory. Every discrepancy is inserted against a unique
// (day, kind, key, occurrence): re-running a day finds the cases it found before and adds none,
// and a case an operator already closed stays closed.
import type { PrismaClient } from '../lib/database';
import { startOfProgramDay } from '../lib/program-day';
import type { ReconciliationTotals } from '../workflows/daily-reconciliation.definitions';
import type { PaymentProviderClient } from './clients/payment-provider-client';
import { callOutsideSystem } from './outside-call';

/** Lines per statement request (the provider's maximum) and per activity call. */
export const STATEMENT_PAGE_SIZE = 1000;

const DAY_MS = 86_400_000;

/** A program day as Postgres' DATE column reads it through Prisma: UTC midnight of that date. */
const dateColumn = (day: string) => new Date(`${day}T00:00:00Z`);

export function createPaymentReconciliationActivities(deps: { prisma: PrismaClient; paymentProvider: PaymentProviderClient }) {
  const { prisma } = deps;

  return {
    /** Opens (or reopens) the day's run and forgets the statement fetched last time: the provider's is the one that counts. */
    async beginReconciliation({ day }: { day: string }): Promise<void> {
      const date = dateColumn(day);
      await prisma.$transaction([
        prisma.reconciliationStatementLine.deleteMany({ where: { day: date } }),
        prisma.reconciliationRun.upsert({
          where: { day: date },
          create: { day: date },
          update: { status: 'RUNNING', startedAt: new Date(), completedAt: null },
        }),
      ]);
    },

    /** Stores one page of the statement; a retried page changes nothing (the lines are keyed by disbursement). */
    async importStatementPage({ day, cursor }: { day: string; cursor?: string }): Promise<{ nextCursor: string | null; lines: number }> {
      const page = await callOutsideSystem(() => deps.paymentProvider.statementPage(day, cursor, STATEMENT_PAGE_SIZE));
      const date = dateColumn(day);
      await prisma.reconciliationStatementLine.createMany({
        data: page.lines.map((line) => ({ day: date, ...line, settledAt: new Date(line.settledAt) })),
        skipDuplicates: true,
      });
      return { nextCursor: page.nextCursor, lines: page.lines.length };
    },

    /**
     * Matches the stored statement to the ledger's payouts and records what does not match:
     * the second and later lines under one key (DUPLICATE), a key the ledger never paid
     * (UNKNOWN_TO_LEDGER), a reversal (REVERSED), another amount (AMOUNT_MISMATCH), and a payout
     * the ledger settled that day that the statement does not name (MISSING_AT_PROVIDER). Then
     * stores the day's totals.
     */
    async recordDiscrepancies({ day }: { day: string }): Promise<ReconciliationTotals> {
      const start = startOfProgramDay(day);
      const end = new Date(start.getTime() + DAY_MS);
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`
          WITH lines AS (
            SELECT s.*, row_number() OVER (PARTITION BY s."idempotencyKey" ORDER BY s."settledAt", s."disbursementId") AS occurrence
            FROM "ReconciliationStatementLine" s WHERE s.day = ${day}::date
          ),
          classified AS (
            SELECT l."idempotencyKey", l.occurrence::int AS occurrence, e.amount AS "ledgerAmount", l.amount AS "statementAmount", l."disbursementId",
              CASE
                WHEN l.occurrence > 1 THEN 'DUPLICATE'
                WHEN e.id IS NULL THEN 'UNKNOWN_TO_LEDGER'
                WHEN l.status = 'REVERSED' THEN 'REVERSED'
                WHEN e.amount <> l.amount THEN 'AMOUNT_MISMATCH'
              END AS kind
            FROM lines l
            LEFT JOIN "LedgerEntry" e ON e."idempotencyKey" = l."idempotencyKey" AND e.kind IN ('INCENTIVE', 'SURVEY')
          ),
          missing AS (
            SELECT e."idempotencyKey", 1 AS occurrence, e.amount AS "ledgerAmount", NULL::int AS "statementAmount", e."providerReference" AS "disbursementId",
              'MISSING_AT_PROVIDER' AS kind
            FROM "LedgerEntry" e
            WHERE e.kind IN ('INCENTIVE', 'SURVEY') AND e.status = 'SETTLED'
              AND e."settledAt" >= (${start.toISOString()}::timestamptz AT TIME ZONE 'UTC')
              AND e."settledAt" < (${end.toISOString()}::timestamptz AT TIME ZONE 'UTC')
              AND NOT EXISTS (SELECT 1 FROM "ReconciliationStatementLine" s WHERE s.day = ${day}::date AND s."idempotencyKey" = e."idempotencyKey")
          )
          INSERT INTO "ReconciliationDiscrepancy" (id, day, kind, "idempotencyKey", occurrence, "ledgerAmount", "statementAmount", "disbursementId")
          SELECT gen_random_uuid(), ${day}::date, d.kind::"DiscrepancyKind", d."idempotencyKey", d.occurrence, d."ledgerAmount", d."statementAmount", d."disbursementId"
          FROM (SELECT * FROM classified WHERE kind IS NOT NULL UNION ALL SELECT * FROM missing) d
          ON CONFLICT DO NOTHING`;

        const [totals] = await tx.$queryRaw<Array<{ statementLines: number; matchedCount: number; matchedAmount: bigint; unmatchedCount: number; unmatchedAmount: bigint }>>`
          WITH lines AS (
            SELECT s.*, row_number() OVER (PARTITION BY s."idempotencyKey" ORDER BY s."settledAt", s."disbursementId") AS occurrence
            FROM "ReconciliationStatementLine" s WHERE s.day = ${day}::date
          )
          SELECT
            (SELECT count(*)::int FROM lines) AS "statementLines",
            count(*)::int AS "matchedCount",
            coalesce(sum(l.amount), 0)::bigint AS "matchedAmount",
            (SELECT count(*)::int FROM "ReconciliationDiscrepancy" WHERE day = ${day}::date) AS "unmatchedCount",
            (SELECT coalesce(sum(coalesce("statementAmount", "ledgerAmount")), 0)::bigint FROM "ReconciliationDiscrepancy" WHERE day = ${day}::date) AS "unmatchedAmount"
          FROM lines l
          JOIN "LedgerEntry" e ON e."idempotencyKey" = l."idempotencyKey" AND e.kind IN ('INCENTIVE', 'SURVEY')
          WHERE l.occurrence = 1 AND l.status = 'COMPLETED' AND e.amount = l.amount`;
        const row = totals!;
        await tx.reconciliationRun.update({
          where: { day: dateColumn(day) },
          data: { ...row, status: 'COMPLETED', completedAt: new Date() },
        });
        return {
          day,
          statementLines: row.statementLines,
          matched: { count: row.matchedCount, rupiah: Number(row.matchedAmount) },
          unmatched: { count: row.unmatchedCount, rupiah: Number(row.unmatchedAmount) },
        };
      });
    },
  };
}
