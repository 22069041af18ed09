// The daily payment reconciliation's steps: copy the provider's statement of a WIB day into the
// database page by page, then match it to the ledger by idempotency key in SQL, so no day's
// payments ever sit in the worker's memory. Every discrepancy is inserted against a unique
// (day, kind, key, occurrence): re-running a day finds the cases it found before and adds none,
// and a case an operator already closed stays closed. A case the re-run no longer finds (the
// provider corrected its statement) is closed by the system, with a resolution like an operator's.
import { log } from '@temporalio/activity';
import type { PrismaClient } from '../lib/database';
import { startOfProgramDay } from '../lib/program-day';
import type { ReconciliationTotals } from '../workflows/daily-reconciliation.definitions';
import type { PaymentProviderClient } from './clients/payment-provider-client';
import { callOutsideSystem } from './outside-call';

/** Lines per statement request (the provider's maximum) and per activity call. */
export const STATEMENT_PAGE_SIZE = 1000;

/** Who closes (and reopens) a case the reconciliation itself decided about, in its resolutions. */
export const SYSTEM_ACTOR = 'system';

const DAY_MS = 86_400_000;

/**
 * Matching runs in one transaction; Prisma's default of 5 s ends it long before a day of a million
 * payments is matched (bench/reconciliation.ts). The database proxy's start-to-close is 10 minutes.
 */
const MATCHING_TRANSACTION_TIMEOUT_MS = 9 * 60_000;

/** A program day as Postgres' DATE column reads it through Prisma: UTC midnight of that date. */
const dateColumn = (day: string) => new Date(`${day}T00:00:00Z`);

export interface PaymentReconciliationDependencies {
  prisma: PrismaClient;
  paymentProvider: PaymentProviderClient;
  /**
   * How far apart the ledger's and the provider's settlement times of one payout may fall on
   * either side of midnight WIB and still match (RECONCILIATION_MIDNIGHT_GRACE_MINUTES).
   */
  reconciliation: { midnightGraceMs: number };
}

export function createPaymentReconciliationActivities(deps: PaymentReconciliationDependencies) {
  const { prisma } = deps;
  const graceMs = deps.reconciliation.midnightGraceMs;

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
     * the ledger settled that the statement does not name (MISSING_AT_PROVIDER). Then closes the
     * open cases this run no longer finds, reopens those the system closed that it finds again,
     * and stores the day's totals.
     *
     * Midnight: the ledger stamps a payout when the provider answers, the provider when it
     * settles, so one payout can fall on two WIB days. A statement line is matched by key
     * whatever day the ledger has it on. For MISSING_AT_PROVIDER, a payout counts as named if the
     * statement of its own WIB day names it, or the statement of the next or previous day does
     * within the grace window of its settlement time. The payouts checked on day D are those the
     * ledger settled from D's midnight minus the grace to D+1's midnight minus the grace: the last
     * minutes of a day wait for the next day's run, when the statement that may name them exists.
     * The previous day's statement is the one stored by its own run (the schedule runs every day).
     */
    async recordDiscrepancies({ day }: { day: string }): Promise<ReconciliationTotals> {
      const dayStart = startOfProgramDay(day);
      const ledgerFrom = new Date(dayStart.getTime() - graceMs);
      const ledgerUntil = new Date(dayStart.getTime() + DAY_MS - graceMs);
      return prisma.$transaction(
        async (tx) => {
          // What this run finds, once, for the inserts, the closing and the totals below.
          await tx.$executeRaw`
            CREATE TEMPORARY TABLE reconciliation_found (
              kind "DiscrepancyKind" NOT NULL, "idempotencyKey" text NOT NULL, occurrence int NOT NULL,
              "ledgerAmount" int, "statementAmount" int, "disbursementId" text,
              PRIMARY KEY (kind, "idempotencyKey", occurrence)
            ) ON COMMIT DROP`;
          await tx.$executeRaw`
            INSERT INTO reconciliation_found (kind, "idempotencyKey", occurrence, "ledgerAmount", "statementAmount", "disbursementId")
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
                AND e."settledAt" >= (${ledgerFrom.toISOString()}::timestamptz AT TIME ZONE 'UTC')
                AND e."settledAt" < (${ledgerUntil.toISOString()}::timestamptz AT TIME ZONE 'UTC')
                AND NOT EXISTS (
                  SELECT 1 FROM "ReconciliationStatementLine" s
                  WHERE s."idempotencyKey" = e."idempotencyKey" AND s.day IN (${day}::date - 1, ${day}::date)
                    AND (
                      -- the statement of the payout's own WIB day (before D's midnight: D-1)
                      s.day = CASE WHEN e."settledAt" < (${dayStart.toISOString()}::timestamptz AT TIME ZONE 'UTC') THEN ${day}::date - 1 ELSE ${day}::date END
                      OR s."settledAt" BETWEEN e."settledAt" - ${graceMs}::int * interval '1 millisecond' AND e."settledAt" + ${graceMs}::int * interval '1 millisecond'
                    )
                )
            )
            SELECT d.kind::"DiscrepancyKind", d."idempotencyKey", d.occurrence, d."ledgerAmount", d."statementAmount", d."disbursementId"
            FROM (SELECT * FROM classified WHERE kind IS NOT NULL UNION ALL SELECT * FROM missing) d`;

          await tx.$executeRaw`
            INSERT INTO "ReconciliationDiscrepancy" (id, day, kind, "idempotencyKey", occurrence, "ledgerAmount", "statementAmount", "disbursementId")
            SELECT gen_random_uuid(), ${day}::date, f.kind, f."idempotencyKey", f.occurrence, f."ledgerAmount", f."statementAmount", f."disbursementId"
            FROM reconciliation_found f
            ON CONFLICT DO NOTHING`;

          // Written with an explicit UTC time: the column holds UTC, whatever the session's time zone.
          const closedBySystem = await tx.$executeRaw`
            WITH closed AS (
              UPDATE "ReconciliationDiscrepancy" d SET status = 'RESOLVED'
              WHERE d.day = ${day}::date AND d.status = 'OPEN'
                AND NOT EXISTS (
                  SELECT 1 FROM reconciliation_found f
                  WHERE f.kind = d.kind AND f."idempotencyKey" = d."idempotencyKey" AND f.occurrence = d.occurrence
                )
              RETURNING d.id
            )
            INSERT INTO "ReconciliationResolution" (id, "discrepancyId", action, actor, reason, "statusBefore", "statusAfter", at)
            SELECT gen_random_uuid(), closed.id, 'AUTO_CLOSE', ${SYSTEM_ACTOR}, ${`No longer found when ${day} was reconciled again`}, 'OPEN', 'RESOLVED', now() AT TIME ZONE 'UTC'
            FROM closed`;

          // A case the system closed is the system's to reopen when the statement shows it again;
          // one an operator closed stays closed (the operator's reason stands).
          const reopenedBySystem = await tx.$executeRaw`
            WITH reopened AS (
              UPDATE "ReconciliationDiscrepancy" d SET status = 'OPEN'
              FROM reconciliation_found f
              WHERE d.day = ${day}::date AND d.status = 'RESOLVED'
                AND f.kind = d.kind AND f."idempotencyKey" = d."idempotencyKey" AND f.occurrence = d.occurrence
                AND (SELECT r.action FROM "ReconciliationResolution" r WHERE r."discrepancyId" = d.id ORDER BY r.at DESC LIMIT 1) = 'AUTO_CLOSE'
              RETURNING d.id
            )
            INSERT INTO "ReconciliationResolution" (id, "discrepancyId", action, actor, reason, "statusBefore", "statusAfter", at)
            SELECT gen_random_uuid(), reopened.id, 'REOPEN', ${SYSTEM_ACTOR}, ${`Found again when ${day} was reconciled again`}, 'RESOLVED', 'OPEN', now() AT TIME ZONE 'UTC'
            FROM reopened`;
          if (closedBySystem > 0 || reopenedBySystem > 0) log.info('reconciliation cases closed or reopened by the system', { day, closedBySystem, reopenedBySystem });

          // Every statement line is either one of the cases found above or matched (its key's
          // first line, not reversed, the ledger's amount), so the matched lines are the rest:
          // no second pass over the day's lines and the ledger. Unmatched: what this run found
          // (open or closed by an operator); a case closed because the statement was corrected
          // is counted as matched instead.
          const [totals] = await tx.$queryRaw<Array<{ statementLines: number; matchedCount: number; matchedAmount: bigint; unmatchedCount: number; unmatchedAmount: bigint }>>`
            WITH statement AS (
              SELECT count(*)::int AS lines, coalesce(sum(amount), 0)::bigint AS amount FROM "ReconciliationStatementLine" WHERE day = ${day}::date
            ),
            found_lines AS (
              SELECT count(*)::int AS lines, coalesce(sum("statementAmount"), 0)::bigint AS amount FROM reconciliation_found WHERE kind <> 'MISSING_AT_PROVIDER'
            ),
            found AS (
              SELECT count(*)::int AS count, coalesce(sum(coalesce("statementAmount", "ledgerAmount")), 0)::bigint AS amount FROM reconciliation_found
            )
            SELECT statement.lines AS "statementLines",
              statement.lines - found_lines.lines AS "matchedCount", statement.amount - found_lines.amount AS "matchedAmount",
              found.count AS "unmatchedCount", found.amount AS "unmatchedAmount"
            FROM statement, found_lines, found`;
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
        },
        { timeout: MATCHING_TRANSACTION_TIMEOUT_MS, maxWait: 10_000 },
      );
    },
  };
}
