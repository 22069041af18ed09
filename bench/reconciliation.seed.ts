// The reconciliation benchmark's day of payouts, written straight to the database in bulk
// (generate_series, one INSERT … SELECT per table): ledger rows, and for the matching step the
// provider's statement lines with a known number of each discrepancy kind. The settlement times
// are computed the same way here and in the payment simulator's process (reconciliation.statement-server.ts),
// so the statement it serves names the same payouts at the same instants.
import type pg from 'pg';
import { startOfProgramDay } from '../lib/program-day';

export const PAYOUT_AMOUNT = 600_000;
/** What the wrong-amount lines say (the simulator's knob adds the same). */
const WRONG_AMOUNT = PAYOUT_AMOUNT + 50_000;
const BENCH_PARTICIPANTS = 1_000;
/** Payouts are spread from 00:30 to 22:30 WIB: none within the midnight grace window of either end of the day. */
const FIRST_PAYOUT_AFTER_MS = 30 * 60_000;
const PAYOUT_SPAN_MS = 22 * 3_600_000;

/** When payout n (1-based) of `count` settles on `day`, at both the ledger and the provider. */
export function settlementTimeMs(day: string, n: number, count: number): number {
  return startOfProgramDay(day).getTime() + FIRST_PAYOUT_AFTER_MS + Math.floor(((n - 1) * PAYOUT_SPAN_MS) / count);
}

/** The same in SQL, for a series variable `n`: a UTC timestamp without time zone, as Prisma's columns hold it. */
const settlementTimeSql = (day: string, count: number, n = 'n') =>
  `(timestamp '${startOfProgramDay(day).toISOString().replace('T', ' ').replace('Z', '')}' + interval '${FIRST_PAYOUT_AFTER_MS} milliseconds' + ((${n} - 1)::bigint * ${PAYOUT_SPAN_MS} / ${count}) * interval '1 millisecond')`;

export interface StatementFaultCounts {
  missing: number;
  duplicate: number;
  wrongAmount: number;
  reversal: number;
  unknown: number;
}

/** Removes what an earlier run seeded under these keys and days (an external server keeps it). */
export async function removeBenchDay(client: pg.Client, day: string, keyPrefix: string): Promise<void> {
  await client.query(`DELETE FROM "ReconciliationResolution" r USING "ReconciliationDiscrepancy" d WHERE r."discrepancyId" = d.id AND d.day = $1::date`, [day]);
  await client.query(`DELETE FROM "ReconciliationDiscrepancy" WHERE day = $1::date`, [day]);
  await client.query(`DELETE FROM "ReconciliationStatementLine" WHERE day = $1::date`, [day]);
  await client.query(`DELETE FROM "ReconciliationRun" WHERE day = $1::date`, [day]);
  await client.query(`DELETE FROM "LedgerEntry" WHERE "idempotencyKey" LIKE $1`, [`${keyPrefix}%`]);
}

/** The participants the payouts are made to (the ledger's foreign key needs them): a thousand, shared. */
export async function seedBenchParticipants(client: pg.Client): Promise<void> {
  await client.query(
    `INSERT INTO "Participant" (id, "nikHash", province, "employmentStatus", channel, stage, "updatedAt")
     SELECT md5('bench-reconciliation-participant:' || i)::uuid, 'bench-reconciliation-nik:' || i, 'DKI Jakarta', 'LAID_OFF', 'SELF', 'RECEIVING_INCENTIVES', now()
     FROM generate_series(0, ${BENCH_PARTICIPANTS - 1}) i
     ON CONFLICT DO NOTHING`,
  );
}

/** `count` settled incentive payouts of `day` under the keys `<keyPrefix><n>`. */
export async function seedLedgerDay(client: pg.Client, options: { day: string; count: number; keyPrefix: string }): Promise<void> {
  const { day, count, keyPrefix } = options;
  await client.query(
    `INSERT INTO "LedgerEntry" (id, "participantId", kind, sequence, amount, "idempotencyKey", status, "providerReference", "createdAt", "settledAt")
     SELECT gen_random_uuid(), md5('bench-reconciliation-participant:' || (n % ${BENCH_PARTICIPANTS}))::uuid, 'INCENTIVE', 1, ${PAYOUT_AMOUNT},
       $1 || n, 'SETTLED', 'dsb_' || $1 || n, t - interval '1 second', t
     FROM generate_series(1, ${count}) n, LATERAL (SELECT ${settlementTimeSql(day, count)} AS t) settled`,
    [keyPrefix],
  );
}

/**
 * The provider's statement of `day` as the import would have stored it: one line per payout, but
 * none for the first `missing` payouts, two for the next `duplicate`, another amount for the next
 * `wrongAmount`, REVERSED for the next `reversal`; plus `unknown` lines under keys the ledger never used.
 */
export async function seedStatementDay(client: pg.Client, options: { day: string; count: number; keyPrefix: string; faults: StatementFaultCounts }): Promise<void> {
  const { day, count, keyPrefix, faults } = options;
  const duplicatesUntil = faults.missing + faults.duplicate;
  const wrongAmountsUntil = duplicatesUntil + faults.wrongAmount;
  const reversalsUntil = wrongAmountsUntil + faults.reversal;
  await client.query(
    `INSERT INTO "ReconciliationStatementLine" (day, "disbursementId", "idempotencyKey", amount, status, "settledAt")
     SELECT $2::date, 'dsb_' || $1 || n, $1 || n,
       CASE WHEN n > ${duplicatesUntil} AND n <= ${wrongAmountsUntil} THEN ${WRONG_AMOUNT} ELSE ${PAYOUT_AMOUNT} END,
       CASE WHEN n > ${wrongAmountsUntil} AND n <= ${reversalsUntil} THEN 'REVERSED' ELSE 'COMPLETED' END,
       ${settlementTimeSql(day, count)}
     FROM generate_series(${faults.missing + 1}, ${count}) n`,
    [keyPrefix, day],
  );
  await client.query(
    `INSERT INTO "ReconciliationStatementLine" (day, "disbursementId", "idempotencyKey", amount, status, "settledAt")
     SELECT $2::date, 'dsb_' || $1 || n || '-dup', $1 || n, ${PAYOUT_AMOUNT}, 'COMPLETED', ${settlementTimeSql(day, count)} + interval '1 second'
     FROM generate_series(${faults.missing + 1}, ${duplicatesUntil}) n`,
    [keyPrefix, day],
  );
  await client.query(
    `INSERT INTO "ReconciliationStatementLine" (day, "disbursementId", "idempotencyKey", amount, status, "settledAt")
     SELECT $2::date, 'dsb_unknown_' || $1 || k, 'unknown:' || $1 || k, ${PAYOUT_AMOUNT}, 'COMPLETED', ${settlementTimeSql(day, count, 'k')}
     FROM generate_series(1, ${faults.unknown}) k`,
    [keyPrefix, day],
  );
}
