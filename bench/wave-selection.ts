/**
 * Wave selection at the 2020 scale: ranks N applicants (1,500,000 by default) for a quota
 * (164,000) with the ranking activity's own code against PostgreSQL, then measures the outcome
 * fan-out (the tellWaveApplicants activity's own code, through the encrypting data converter)
 * against a real Temporal dev server on the selected applicants' workflows (a sample of them with
 * --signal-sample below the quota). Prints JSON and writes it to bench/results/ after every step,
 * so a run stopped halfway keeps what it measured.
 *
 * The stand-in workflows are started and signalled with no worker polling, so the signal rate is
 * the fan-out's (what the selection activity can push through Temporal), not a worker's backlog:
 * a worker running during the starts fell behind on their first tasks on this machine, and the
 * signals queued behind that backlog. --drain then runs a worker until every signalled workflow
 * has handled its signal and ended (the journeys' side of it, bounded by workers).
 *
 *   npm run bench -- wave-selection [--applicants 1500000] [--quota 164000] [--signal-sample 10000]
 *     [--database-url postgresql://...] [--temporal-port 23150] [--reuse-ranking] [--drain]
 *
 * The database is the embedded PostgreSQL 17 on --temporal-port + 2, a new cluster in
 * bench/results/wave-selection-data/postgres, stopped at the end. --database-url names an external
 * server instead, emptied first (unless --reuse-ranking finds the ranked wave of an earlier run
 * with the same sizes, which only an external server keeps): point it at a benchmark database only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createWaveSelectionActivities, type ActivityProgress } from '../activities/wave-selection';
import { loadConfig } from '../lib/config';
import { createPrismaClient } from '../lib/database';
import { temporalDataConverter } from '../lib/temporal/connection';
import { lotteryTicket } from '../lib/wave-lottery';
import { applyMigrations } from '../scripts/stack/migrations';
import { ensureTemporalCli, startTemporalDevServer } from '../scripts/stack/temporal-dev-server';
import { participantWorkflowId } from '../workflows/participant-journey.definitions';
import { runWithConcurrency } from '../lib/run-with-concurrency';
import { databaseDescription, externalDatabaseUrl, openBenchDatabase } from './bench-database';
import { flag, wholeNumber } from './command-line';
import { progressBar } from './progress-bar';
import { freshDataDirectory } from './stack-benchmark';

const APPLICANTS = wholeNumber('applicants', 1_500_000);
const QUOTA = wholeNumber('quota', 164_000);
const SIGNAL_SAMPLE = wholeNumber('signal-sample', 10_000);
/** Keep the seeded, ranked wave of an earlier run with the same sizes (skips steps 1 and 2). */
const REUSE_RANKING = flag('reuse-ranking');
/** After the signals, run a worker until every signalled workflow has handled its signal. */
const DRAIN = flag('drain');
const EXTERNAL_DATABASE_URL = externalDatabaseUrl();
const TEMPORAL_PORT = wholeNumber('temporal-port', 23150);
if (REUSE_RANKING && !EXTERNAL_DATABASE_URL) throw new Error('--reuse-ranking needs --database-url: the embedded database is new each run');
const TASK_QUEUE = 'bench-wave-selection';
/** A fixed seed: every run ranks the same population the same way. */
const SEED = 'b3c1d2e4f5a6978800112233445566778899aabbccddeeff0011223344556677';
const WAVE_ID = '00000000-0000-4000-8000-000000000164';

const seconds = (ms: number) => Math.round(ms) / 1000;
const noHeartbeats: ActivityProgress = { heartbeat: () => undefined, lastHeartbeat: () => undefined };

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const startedAt = performance.now();
  const result = await work();
  return { result, ms: performance.now() - startedAt };
}

async function run() {
  const { dataDir, log } = freshDataDirectory('wave-selection');
  const database = await openBenchDatabase({ externalUrl: EXTERNAL_DATABASE_URL, dataDir, port: TEMPORAL_PORT + 2, log });
  const config = loadConfig({ NODE_ENV: 'development', DATABASE_URL: database.url });
  const prisma = createPrismaClient(database.url, { maxConnections: 4 });
  const resultFile = path.join(__dirname, 'results', `wave-selection-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: os.loadavg() },
    settings: { database: databaseDescription(EXTERNAL_DATABASE_URL) },
    applicants: APPLICANTS,
    quota: QUOTA,
  };
  const temporalServer = await startTemporalDevServer({ cliPath: await ensureTemporalCli(), host: '127.0.0.1', port: TEMPORAL_PORT, uiPort: TEMPORAL_PORT + 1, output: () => undefined });
  const connection = await Connection.connect({ address: `127.0.0.1:${TEMPORAL_PORT}` });
  const temporal = new Client({ connection, dataConverter: temporalDataConverter(config) });
  try {
    await applyMigrations(database.url);
    const postgres = await prisma.$queryRaw<Array<{ version: string }>>`SELECT version()`;
    results.postgres = postgres[0]?.version;

    const save = () => writeResults(resultFile, results);
    const reused = REUSE_RANKING && (await rankedWaveOfThisSize(prisma));
    // The activities' own code: the ranking (one statement over every applicant) and the fan-out.
    const activities = createWaveSelectionActivities({
      prisma,
      temporal,
      fanOut: { pageSize: 1_000, pagesPerRun: 100, signalsPerSecond: 100_000, signalConcurrency: config.waves.selection.signalConcurrency },
      progress: noHeartbeats,
    });
    if (reused) {
      results.seedingSeconds = 'reused: the wave seeded and ranked by an earlier run with the same sizes (--reuse-ranking)';
      results.ranking = 'reused: not measured in this run';
    } else {
      // 1. Seed: participants (dummy ciphertext) and their applications, all with generate_series.
      const seeding = await timed(async () => {
        await prisma.$executeRawUnsafe('TRUNCATE "WaveStateTransition", "WaveApplication", "LedgerEntry", "EligibilityDecision", "TrainingEvent", "WorkflowStartOutbox", "Participant", "Wave" CASCADE');
        await prisma.$executeRaw`
          INSERT INTO "Wave" (id, number, "opensAt", "closesAt", quota, calendar, state, "createdBy", "updatedAt", "closedAt", "closedBy")
          VALUES (${WAVE_ID}::uuid, 1, '2020-04-10T17:00:00Z', '2020-04-16T09:00:00Z', ${QUOTA}::int, '{}'::jsonb, 'CLOSED', 'bench', now(), '2020-04-16T09:00:00Z', 'schedule')`;
        // Priority points as the 2020 rules give them: 50 (priority group, no other aid), 30, 20, 0.
        await prisma.$executeRaw`
          INSERT INTO "Participant" (id, "nikHash", "personalData", "personalDataKeyId", province, "employmentStatus", channel, stage, "updatedAt", "priorityPoints", "eligibleAt", "appliedAt", "currentWaveId")
          SELECT md5('participant-' || i)::uuid, md5('nik-' || i), 'bench-dummy-ciphertext', 'bench', 'Province ' || (i % 34),
                 'LAID_OFF', 'SELF', 'APPLIED_TO_WAVE', now(),
                 (ARRAY[50, 50, 30, 30, 30, 20, 20, 20, 0, 0])[1 + abs(hashtext('points-' || i)) % 10], now(), now(), ${WAVE_ID}::uuid
          FROM generate_series(1, ${APPLICANTS}::int) AS i`;
        await prisma.$executeRaw`
          INSERT INTO "WaveApplication" (id, "waveId", "participantId", "priorityPoints", province, "appliedAt")
          SELECT md5('application-' || p.id)::uuid, ${WAVE_ID}::uuid, p.id, p."priorityPoints", p.province, now()
          FROM "Participant" p`;
        await prisma.$executeRawUnsafe('VACUUM ANALYZE "Participant"');
        await prisma.$executeRawUnsafe('VACUUM ANALYZE "WaveApplication"');
      });
      results.seedingSeconds = seconds(seeding.ms);
      save();
      // 2. The ranking.
      await prisma.wave.update({ where: { id: WAVE_ID }, data: { selectionSeed: SEED } });
      await activities.beginWaveSelection({ waveId: WAVE_ID });
      const ranking = await timed(() => activities.rankWaveApplicants({ waveId: WAVE_ID }));
      const again = await timed(() => activities.rankWaveApplicants({ waveId: WAVE_ID }));
      results.ranking = {
        seconds: seconds(ranking.ms),
        applicantsPerSecond: Math.round(APPLICANTS / (ranking.ms / 1000)),
        summary: ranking.result,
        secondCallSeconds: seconds(again.ms),
        secondCallSameSummary: JSON.stringify(again.result) === JSON.stringify(ranking.result),
      };
    }
    save();

    // The ranking is right: ordered by priority then ticket, the quota exactly, tickets as an auditor computes them.
    const [order] = await prisma.$queryRaw<Array<{ outOfOrder: number; selected: number; ranks: number; maxRank: number }>>`
      SELECT count(*) FILTER (WHERE previous_points < "priorityPoints" OR (previous_points = "priorityPoints" AND previous_ticket > "lotteryTicket" COLLATE "C"))::int AS "outOfOrder",
             count(*) FILTER (WHERE status = 'SELECTED')::int AS selected, count(DISTINCT rank)::int AS ranks, max(rank)::int AS "maxRank"
      FROM (SELECT rank, status, "priorityPoints", "lotteryTicket",
                   lag("priorityPoints") OVER (ORDER BY rank) AS previous_points,
                   lag("lotteryTicket") OVER (ORDER BY rank) AS previous_ticket
            FROM "WaveApplication" WHERE "waveId" = ${WAVE_ID}::uuid) ranked`;
    const sample = await prisma.waveApplication.findMany({ where: { waveId: WAVE_ID }, orderBy: { rank: 'asc' }, take: 1_000, skip: QUOTA - 500, select: { participantId: true, lotteryTicket: true } });
    results.rankingChecks = {
      ...order,
      quotaSelectedExactly: order?.selected === Math.min(QUOTA, APPLICANTS),
      ticketsRecomputedAroundCutoff: sample.length,
      ticketsMatch: sample.every((row) => row.lotteryTicket === lotteryTicket(SEED, row.participantId)),
    };

    save();

    // 3. The fan-out: tiny workflows with the selected participants' workflow ids, started and
    // then signalled by the activity's own code with no worker polling (see the header).
    const sampleSize = Math.min(SIGNAL_SAMPLE, APPLICANTS);
    const targets = await prisma.waveApplication.findMany({ where: { waveId: WAVE_ID, rank: { lte: sampleSize } }, select: { participantId: true } });
    const startBar = progressBar('starting', targets.length);
    let started = 0;
    const starting = await timed(() =>
      runWithConcurrency(targets, 50, async ({ participantId }) => {
        await temporal.workflow.start('outcomeListener', { workflowId: participantWorkflowId(participantId), taskQueue: TASK_QUEUE });
        startBar.update((started += 1));
      }),
    );
    startBar.end();
    results.workflowStarts = { started: targets.length, seconds: seconds(starting.ms), perSecond: Math.round(targets.length / (starting.ms / 1000)) };
    save();

    const signalBar = progressBar('signalling', sampleSize);
    let afterRank = 0;
    let told = 0;
    const signalling = await timed(async () => {
      while (told < sampleSize) {
        const page = await activities.tellWaveApplicants({
          waveId: WAVE_ID,
          afterRank,
          pageSize: Math.min(1_000, sampleSize - told),
          signalsPerSecond: 100_000,
          signalConcurrency: config.waves.selection.signalConcurrency,
        });
        afterRank = page.lastRank;
        told += page.told;
        signalBar.update(told);
      }
    });
    signalBar.end();
    const rate = told / (signalling.ms / 1000);
    results.fanOut = {
      measured: `${told} signals sent by tellWaveApplicants (pages of 1000, ${config.waves.selection.signalConcurrency} in flight, no rate cap) to ${told} started workflows, payloads AES-GCM encrypted, one dev server on this machine, no worker polling`,
      signalSeconds: seconds(signalling.ms),
      signalsPerSecond: Math.round(rate),
      loadAverageAfterSignals: os.loadavg(),
    };
    save();

    if (DRAIN) {
      // The journeys' side: a worker until every signalled workflow has handled its signal and ended.
      const nativeConnection = await NativeConnection.connect({ address: `127.0.0.1:${TEMPORAL_PORT}` });
      try {
        const worker = await Worker.create({
          connection: nativeConnection,
          taskQueue: TASK_QUEUE,
          workflowsPath: require.resolve('./workflows/outcome-listener'),
          dataConverter: temporalDataConverter(config),
        });
        const workerRun = worker.run();
        const drainBar = progressBar('draining', told);
        const draining = await timed(async () => {
          for (;;) {
            const { count } = await temporal.workflow.count(`WorkflowType = 'outcomeListener' AND ExecutionStatus = 'Running'`);
            drainBar.update(told - count);
            if (count === 0) return;
            // Each count scans the dev server's visibility table: not more often than this.
            await new Promise((resolve) => setTimeout(resolve, 10_000));
          }
        });
        drainBar.end();
        results.drain = { seconds: seconds(draining.ms), workflowsPerSecond: Math.round(told / (draining.ms / 1000)) };
        worker.shutdown();
        await workerRun;
      } finally {
        await nativeConnection.close();
      }
    }
    results.loadAverageAtEnd = os.loadavg();
  } finally {
    await connection.close();
    await temporalServer.stop();
    await prisma.$disconnect();
    await database.stop();
  }
  writeResults(resultFile, results);
  console.log(JSON.stringify(results, null, 2));
}

function writeResults(file: string, results: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

/** The wave an earlier run seeded and ranked, with these sizes: --reuse-ranking may skip to the fan-out. */
async function rankedWaveOfThisSize(prisma: ReturnType<typeof createPrismaClient>): Promise<boolean> {
  const wave = await prisma.wave.findUnique({ where: { id: WAVE_ID }, select: { quota: true } });
  if (wave?.quota !== QUOTA) return false;
  const ranked = await prisma.waveApplication.count({ where: { waveId: WAVE_ID, rank: { not: null } } });
  return ranked === APPLICANTS;
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
