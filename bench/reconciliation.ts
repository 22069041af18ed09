/**
 * reconciliation: the daily payment reconciliation of one WIB day of N payouts (default 1,000,000).
 *
 * 1. Matching: the ledger's payouts and the provider's statement lines of one day are seeded in
 *    SQL with `--faults` of each discrepancy kind (missing, duplicate, other amount, reversed,
 *    unknown to the ledger). `recordDiscrepancies`, the activity's own code run as the worker runs
 *    it, matches them, taking turns with the baseline: one plain SQL full join of the same
 *    statement lines to the same ledger rows, counting what matches and what does not in one pass
 *    (no duplicate detection, nothing written). Each turn starts from a day without cases; a last
 *    run re-runs the day as it stands (idempotent: it adds no case). The cases found, and the
 *    baseline's counts, must be exactly the seeded ones.
 * 2. Import: the statement of another day of `--import-payments` payouts fetched over HTTP from
 *    the payment simulator (its own process) in pages of 1,000 by `importStatementPage`, then
 *    matched, with `--import-faults` of each kind set on the simulator's knobs.
 *
 * Time, and memory: the peak RSS of this process, which runs the activities as the worker would
 * (Prisma and the activity code), and the peak PSS of PostgreSQL's processes, both sampled every
 * 100 ms; PostgreSQL's temporary-file bytes. Activities are called in sequence in this process,
 * not through Temporal: the workflow adds one activity task per page of 1,000 lines.
 *
 *   npm run bench -- reconciliation [--payments 1000000] [--faults 1000] [--runs 3]
 *     [--import-payments 1000000] [--import-faults 1000] [--database-url postgresql://...] [--postgres-port 23360]
 *
 * The database is the embedded PostgreSQL 17 on --postgres-port, a new cluster in
 * bench/results/reconciliation-data/postgres, stopped at the end. --database-url names an
 * external server instead: the benchmark's days (in April 2020) and keys are replaced there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { MockActivityEnvironment } from '@temporalio/testing';
import pg from 'pg';
import { PaymentProviderClient } from '../activities/clients/payment-provider-client';
import { createPaymentReconciliationActivities } from '../activities/payment-reconciliation';
import { loadConfig } from '../lib/config';
import { createPrismaClient, type PrismaClient } from '../lib/database';
import { startOfProgramDay } from '../lib/program-day';
import { applyMigrations } from '../scripts/stack/migrations';
import type { ReconciliationTotals } from '../workflows/daily-reconciliation.definitions';
import { databaseDescription, externalDatabaseUrl, openBenchDatabase } from './bench-database';
import { wholeNumber } from './command-line';
import { removeBenchDay, seedBenchParticipants, seedLedgerDay, seedStatementDay, type StatementFaultCounts } from './reconciliation.seed';
import { freshDataDirectory } from './stack-benchmark';

const MATCHING_DAY = '2020-04-20';
const IMPORT_DAY = '2020-04-27';
const MATCHING_KEYS = 'bench-matching:';
const IMPORT_KEYS = 'bench-import:';
const DAY_MS = 86_400_000;
const SAMPLE_EVERY_MS = 100;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const mebibytes = (bytes: number) => round(bytes / 2 ** 20, 0);
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? Number.NaN;

/** Proportional set size of one process (shared pages split among their users), in bytes; undefined once it ended. */
function pssBytes(pid: number): number | undefined {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The postmaster and every process it started (backends, parallel workers, background processes). */
function postgresProcesses(postmasterPid: number): number[] {
  const pids = [postmasterPid];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmasterPid) pids.push(Number(entry));
    } catch {
      // ended between the listing and the read
    }
  }
  return pids;
}

interface MemoryPeaks {
  /** This process: the activity code and its Prisma client (whose query engine allocates outside the JavaScript heap). */
  activityProcessRssMiB: number;
  /** Of it, the JavaScript heap in use: what the activity itself holds, garbage not yet collected included. */
  activityProcessHeapUsedMiB: number;
  /** PostgreSQL's processes together; null on an external server (not this machine's to read). */
  postgresPssMiB: number | null;
}

/** Runs `step`, sampling memory meanwhile; the peaks seen and the wall time. */
async function measured<T>(postmasterPid: number | undefined, step: () => Promise<T>): Promise<{ result: T; seconds: number; memory: MemoryPeaks }> {
  let rss = 0;
  let heapUsed = 0;
  let postgres = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    rss = Math.max(rss, usage.rss);
    heapUsed = Math.max(heapUsed, usage.heapUsed);
    if (postmasterPid !== undefined) postgres = Math.max(postgres, postgresProcesses(postmasterPid).reduce((sum, pid) => sum + (pssBytes(pid) ?? 0), 0));
  };
  sample();
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  const startedAt = performance.now();
  try {
    const result = await step();
    const seconds = round((performance.now() - startedAt) / 1000);
    sample();
    return { result, seconds, memory: { activityProcessRssMiB: mebibytes(rss), activityProcessHeapUsedMiB: mebibytes(heapUsed), postgresPssMiB: postmasterPid === undefined ? null : mebibytes(postgres) } };
  } finally {
    clearInterval(timer);
  }
}

/** Bytes PostgreSQL wrote to temporary files (sorts and hashes beyond work_mem) in this database so far. */
async function temporaryBytes(client: pg.Client): Promise<number> {
  // A backend reports its statistics when idle, at most once a second.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query<{ bytes: string }>('SELECT temp_bytes AS bytes FROM pg_stat_database WHERE datname = current_database()');
  return Number(rows[0]?.bytes ?? 0);
}

async function casesByKind(client: pg.Client, day: string): Promise<Record<string, number>> {
  const { rows } = await client.query<{ kind: string; count: number }>(`SELECT kind, count(*)::int AS count FROM "ReconciliationDiscrepancy" WHERE day = $1::date GROUP BY kind ORDER BY kind::text`, [day]);
  return Object.fromEntries(rows.map((row) => [row.kind, row.count]));
}

const expectedCases = (faults: StatementFaultCounts) => ({
  AMOUNT_MISMATCH: faults.wrongAmount,
  DUPLICATE: faults.duplicate,
  MISSING_AT_PROVIDER: faults.missing,
  REVERSED: faults.reversal,
  UNKNOWN_TO_LEDGER: faults.unknown,
});

/**
 * The baseline: the same statement lines fully joined to the same ledger rows (the payouts the
 * ledger settled that day), counted by outcome in one pass.
 */
async function plainJoin(client: pg.Client, day: string) {
  const from = new Date(startOfProgramDay(day).getTime()).toISOString();
  const until = new Date(startOfProgramDay(day).getTime() + DAY_MS).toISOString();
  const { rows } = await client.query<Record<string, number>>(
    `SELECT
       count(*) FILTER (WHERE s."idempotencyKey" IS NULL)::int AS missing,
       count(*) FILTER (WHERE e."idempotencyKey" IS NULL)::int AS unknown,
       count(*) FILTER (WHERE e."idempotencyKey" IS NOT NULL AND s.status = 'REVERSED')::int AS reversed,
       count(*) FILTER (WHERE s.status = 'COMPLETED' AND e.amount <> s.amount)::int AS "otherAmount",
       count(*) FILTER (WHERE s.status = 'COMPLETED' AND e.amount = s.amount)::int AS "matchedLines"
     FROM (SELECT "idempotencyKey", amount, status FROM "ReconciliationStatementLine" WHERE day = $1::date) s
     FULL JOIN (
       SELECT "idempotencyKey", amount FROM "LedgerEntry"
       WHERE kind IN ('INCENTIVE', 'SURVEY') AND status = 'SETTLED'
         AND "settledAt" >= ($2::timestamptz AT TIME ZONE 'UTC') AND "settledAt" < ($3::timestamptz AT TIME ZONE 'UTC')
     ) e ON e."idempotencyKey" = s."idempotencyKey"`,
    [day, from, until],
  );
  return rows[0]!;
}

function check(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`);
}

function faultsArgument(prefix: string, fallback: number): StatementFaultCounts {
  const each = wholeNumber(prefix, fallback);
  return { missing: each, duplicate: each, wrongAmount: each, reversal: each, unknown: each };
}

/** The payment simulator in its own process, holding the import day's payments; its URL once it listens. */
async function startStatementServer(payments: number, faults: StatementFaultCounts): Promise<{ url: string; child: ChildProcess; seedSeconds: number }> {
  const startedAt = performance.now();
  const child = spawn(
    process.execPath,
    [require.resolve('tsx/cli'), path.join(__dirname, 'reconciliation.statement-server.ts'), '--day', IMPORT_DAY, '--payments', String(payments), '--key-prefix', IMPORT_KEYS, '--faults', JSON.stringify(faults)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the statement server ended (${code}) before it listened`)));
  });
  const { url } = JSON.parse(firstLine) as { url: string };
  return { url, child, seedSeconds: round((performance.now() - startedAt) / 1000, 1) };
}

async function main(): Promise<void> {
  const payments = wholeNumber('payments', 1_000_000);
  const faults = faultsArgument('faults', 1_000);
  const runs = wholeNumber('runs', 3);
  const importPayments = wholeNumber('import-payments', 1_000_000);
  const importFaults = faultsArgument('import-faults', Math.min(1_000, Math.floor(importPayments / 100)));
  const externalUrl = externalDatabaseUrl();
  const loadBefore = os.loadavg();
  const { reconciliation } = loadConfig({});

  const { dataDir, log } = freshDataDirectory('reconciliation');
  const database = await openBenchDatabase({ externalUrl, dataDir, port: wholeNumber('postgres-port', 23_360), log });
  const postmasterPid = externalUrl ? undefined : Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const client = new pg.Client({ connectionString: database.url });
  let prisma: PrismaClient | undefined;
  let statementServer: ChildProcess | undefined;
  try {
    await applyMigrations(database.url);
    await client.connect();
    prisma = createPrismaClient(database.url, { maxConnections: 2 });
    const settings = await client.query<{ name: string; setting: string; unit: string | null }>(`SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'server_version')`);
    const environment = new MockActivityEnvironment();

    // 1. Matching.
    process.stderr.write(`seeding ${payments.toLocaleString('en')} payouts and their statement (${JSON.stringify(faults)})...\n`);
    const seeding = await measured(postmasterPid, async () => {
      await removeBenchDay(client, MATCHING_DAY, MATCHING_KEYS);
      await seedBenchParticipants(client);
      await seedLedgerDay(client, { day: MATCHING_DAY, count: payments, keyPrefix: MATCHING_KEYS });
      await seedStatementDay(client, { day: MATCHING_DAY, count: payments, keyPrefix: MATCHING_KEYS, faults });
      await client.query(`INSERT INTO "ReconciliationRun" (day) VALUES ($1::date)`, [MATCHING_DAY]);
      await client.query('VACUUM ANALYZE "LedgerEntry", "ReconciliationStatementLine", "Participant"');
    });
    const matchingActivities = createPaymentReconciliationActivities({ prisma, paymentProvider: new PaymentProviderClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 1_000 }), reconciliation });
    const expected = expectedCases(faults);
    const expectedTotals: ReconciliationTotals = {
      day: MATCHING_DAY,
      statementLines: payments + faults.duplicate + faults.unknown - faults.missing,
      matched: { count: payments - faults.missing - faults.wrongAmount - faults.reversal, rupiah: (payments - faults.missing - faults.wrongAmount - faults.reversal) * 600_000 },
      unmatched: { count: Object.values(expected).reduce((sum, count) => sum + count, 0), rupiah: 0 },
    };
    expectedTotals.unmatched.rupiah = (faults.missing + faults.duplicate + faults.reversal + faults.unknown) * 600_000 + faults.wrongAmount * 650_000;
    const expectedJoin = {
      missing: faults.missing,
      unknown: faults.unknown,
      reversed: faults.reversal,
      otherAmount: faults.wrongAmount,
      // Every completed line of the right amount that has a ledger row, both lines of a duplicate included.
      matchedLines: payments - faults.missing - faults.wrongAmount - faults.reversal + faults.duplicate,
    };

    const turns: Array<{ reconciliation: { seconds: number; memory: MemoryPeaks; temporaryMiB: number }; baseline: { seconds: number; memory: MemoryPeaks; temporaryMiB: number } }> = [];
    for (let turn = 1; turn <= runs; turn++) {
      await client.query(`DELETE FROM "ReconciliationResolution" r USING "ReconciliationDiscrepancy" d WHERE r."discrepancyId" = d.id AND d.day = $1::date`, [MATCHING_DAY]);
      await client.query(`DELETE FROM "ReconciliationDiscrepancy" WHERE day = $1::date`, [MATCHING_DAY]);
      await client.query('VACUUM ANALYZE "ReconciliationDiscrepancy"');
      const temporaryBefore = await temporaryBytes(client);
      const matched = await measured(postmasterPid, () => environment.run(() => matchingActivities.recordDiscrepancies({ day: MATCHING_DAY })) as Promise<ReconciliationTotals>);
      const temporaryBetween = await temporaryBytes(client);
      check(`turn ${turn}: the totals`, matched.result, expectedTotals);
      check(`turn ${turn}: the cases by kind`, await casesByKind(client, MATCHING_DAY), expected);
      const joined = await measured(postmasterPid, () => plainJoin(client, MATCHING_DAY));
      const temporaryAfter = await temporaryBytes(client);
      check(`turn ${turn}: the baseline's counts`, joined.result, expectedJoin);
      turns.push({
        reconciliation: { seconds: matched.seconds, memory: matched.memory, temporaryMiB: mebibytes(temporaryBetween - temporaryBefore) },
        baseline: { seconds: joined.seconds, memory: joined.memory, temporaryMiB: mebibytes(temporaryAfter - temporaryBetween) },
      });
      process.stderr.write(`turn ${turn}: reconciliation ${matched.seconds} s, plain join ${joined.seconds} s\n`);
    }
    const casesBefore = await client.query<{ ids: string }>(`SELECT md5(string_agg(id::text, ',' ORDER BY id)) AS ids FROM "ReconciliationDiscrepancy" WHERE day = $1::date`, [MATCHING_DAY]);
    const rerun = await measured(postmasterPid, () => environment.run(() => matchingActivities.recordDiscrepancies({ day: MATCHING_DAY })) as Promise<ReconciliationTotals>);
    check('the re-run: the totals', rerun.result, expectedTotals);
    const casesAfter = await client.query<{ ids: string }>(`SELECT md5(string_agg(id::text, ',' ORDER BY id)) AS ids FROM "ReconciliationDiscrepancy" WHERE day = $1::date`, [MATCHING_DAY]);
    check('the re-run: the same cases', casesAfter.rows[0]?.ids, casesBefore.rows[0]?.ids);
    process.stderr.write(`re-run: ${rerun.seconds} s\n`);

    // 2. Import over HTTP, then matching, on a day of its own.
    process.stderr.write(`starting the payment simulator with ${importPayments.toLocaleString('en')} payments (${JSON.stringify(importFaults)})...\n`);
    const server = await startStatementServer(importPayments, importFaults);
    statementServer = server.child;
    await removeBenchDay(client, IMPORT_DAY, IMPORT_KEYS);
    await seedLedgerDay(client, { day: IMPORT_DAY, count: importPayments, keyPrefix: IMPORT_KEYS });
    await client.query('VACUUM ANALYZE "LedgerEntry"');
    const importActivities = createPaymentReconciliationActivities({ prisma, paymentProvider: new PaymentProviderClient({ baseUrl: server.url, timeoutMs: 60_000 }), reconciliation });
    const imported = await measured(postmasterPid, async () => {
      await environment.run(() => importActivities.beginReconciliation({ day: IMPORT_DAY }));
      let pages = 0;
      let lines = 0;
      let cursor: string | undefined;
      do {
        const page = (await environment.run(() => importActivities.importStatementPage({ day: IMPORT_DAY, cursor }))) as { nextCursor: string | null; lines: number };
        pages += 1;
        lines += page.lines;
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return { pages, lines };
    });
    process.stderr.write(`import: ${imported.result.lines} lines in ${imported.result.pages} pages, ${imported.seconds} s\n`);
    const importMatched = await measured(postmasterPid, () => environment.run(() => importActivities.recordDiscrepancies({ day: IMPORT_DAY })) as Promise<ReconciliationTotals>);
    check('the import: the cases by kind', await casesByKind(client, IMPORT_DAY), expectedCases(importFaults));
    check('the import: statement lines', importMatched.result.statementLines, importPayments + importFaults.duplicate + importFaults.unknown - importFaults.missing);

    const reconciliationSeconds = turns.map((turn) => turn.reconciliation.seconds);
    const baselineSeconds = turns.map((turn) => turn.baseline.seconds);
    const result = {
      benchmark: 'reconciliation',
      date: new Date().toISOString(),
      command: `npm run bench -- reconciliation ${process.argv.slice(2).join(' ')}`.trim(),
      node: process.version,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.availableParallelism(),
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      loadAverageBefore: loadBefore.map((load) => round(load)),
      loadAverageAfter: os.loadavg().map((load) => round(load)),
      settings: {
        database: databaseDescription(externalUrl),
        postgres: Object.fromEntries(settings.rows.map((row) => [row.name, `${row.setting}${row.unit ?? ''}`])),
        midnightGraceMs: reconciliation.midnightGraceMs,
        activities: 'called in sequence in this process (MockActivityEnvironment), not through Temporal',
      },
      matching: {
        payments,
        faultsPerKind: faults,
        statementLines: expectedTotals.statementLines,
        seedSeconds: seeding.seconds,
        casesFound: expected,
        reconciliation: {
          what: 'recordDiscrepancies on a day without cases: classify, insert the cases, close/reopen, totals (one transaction)',
          medianSeconds: median(reconciliationSeconds),
          bestSeconds: Math.min(...reconciliationSeconds),
        },
        baseline: {
          what: 'one plain SQL full join of the same statement lines to the same ledger rows, counted by outcome (no duplicates, no writes)',
          medianSeconds: median(baselineSeconds),
          bestSeconds: Math.min(...baselineSeconds),
        },
        reconciliationOverBaseline: round(median(turns.map((turn) => turn.reconciliation.seconds / turn.baseline.seconds))),
        rerun: { seconds: rerun.seconds, memory: rerun.memory, what: 'the same day again with its cases in place: adds none' },
        turns,
      },
      import: {
        payments: importPayments,
        faultsPerKind: importFaults,
        simulatorSeedSeconds: server.seedSeconds,
        pages: imported.result.pages,
        lines: imported.result.lines,
        importSeconds: imported.seconds,
        importMemory: imported.memory,
        linesPerSecond: Math.round(imported.result.lines / imported.seconds),
        matchingSeconds: importMatched.seconds,
        matchingMemory: importMatched.memory,
        casesFound: expectedCases(importFaults),
      },
      peakRssOfThisProcessMiB: mebibytes(process.resourceUsage().maxRSS * 1024),
    };
    const text = JSON.stringify(result, null, 2);
    console.log(text);
    const resultsDir = path.join(__dirname, 'results');
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(path.join(resultsDir, `reconciliation-${result.date.replace(/[:.]/g, '-')}.json`), `${text}\n`);
  } finally {
    statementServer?.stdin?.end();
    await prisma?.$disconnect();
    await client.end().catch(() => undefined);
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
