/**
 * workflow-starts: how fast the outbox relay starts journeys, against a bare
 * `client.workflow.start` loop on the same Temporal server (the baseline), and how long an
 * 80,000-signup burst takes to drain.
 *
 * Seeds N registrations with their outbox rows straight into PostgreSQL (as a burst of signups
 * leaves them when the API answers 202 and nothing has started yet), then runs the API's own
 * relay (WorkflowStartRelay + ParticipantJourneyStarter, the configured batch size, concurrency and
 * rate) until every row is started. The baseline starts the same workflow type with the same
 * input, concurrency and encrypting data converter, with no database in the loop, on a sample
 * just before the relay's drain, on the same server. No worker runs: this measures starts, not journeys.
 *
 * The dev server is the local one (one history shard on SQLite) with the pragmas `npm start`
 * uses (journal_mode=WAL, synchronous=NORMAL, a file under bench/results/): dev-server figures.
 * Prints JSON, writes it to bench/results/, and draws starts per second and each start's latency
 * (the call to Temporal) over time, both sides, to docs/bench/workflow-starts.svg.
 *
 *   npm run bench -- workflow-starts [--count 80000] [--baseline-count 20000]
 *     [--database-url postgresql://...] [--temporal-port 23250]
 *     [--relay-concurrency 20] [--relay-batch-size 200] [--relay-starts-per-second 500]
 *
 * The database is the embedded PostgreSQL 17 on --temporal-port + 2, a new cluster in
 * bench/results/workflow-starts-data/postgres, stopped at the end. --database-url names an
 * external server instead, whose participants and outbox are emptied first: point it at a
 * benchmark database only.
 */
import path from 'node:path';
import { Client, Connection, WorkflowIdReusePolicy } from '@temporalio/client';
import { ParticipantJourneyStarter } from '../api/registrations/participant-journey-starter';
import { WorkflowStartRelay } from '../api/registrations/workflow-start-relay';
import { runWithConcurrency } from '../lib/run-with-concurrency';
import { loadConfig } from '../lib/config';
import { createPrismaClient } from '../lib/database';
import { createLogger } from '../lib/logger';
import { temporalDataConverter } from '../lib/temporal/connection';
import { applyMigrations } from '../scripts/stack/migrations';
import { ensureTemporalCli, startTemporalDevServer } from '../scripts/stack/temporal-dev-server';
import { PARTICIPANT_JOURNEY_WORKFLOW, type ParticipantJourneyInput } from '../workflows/participant-journey.definitions';
import { databaseDescription, externalDatabaseUrl, openBenchDatabase } from './bench-database';
import { argument, wholeNumber } from './command-line';
import { progressBar } from './progress-bar';
import { percentile, round } from './signup-load';
import { freshDataDirectory, loadAverage, machine, writeChart, writeResult } from './stack-benchmark';
import { lineChartsSvg } from './svg-chart';

const COUNT = wholeNumber('count', 80_000);
const BASELINE_COUNT = wholeNumber('baseline-count', Math.min(COUNT, 20_000));
const EXTERNAL_DATABASE_URL = externalDatabaseUrl();
const TEMPORAL_PORT = wholeNumber('temporal-port', 23250);
const TASK_QUEUE = 'bench-workflow-starts';

/** Each start's latency, by the second it ended in (from `began`). */
class StartTimeline {
  private readonly seconds = new Map<number, number[]>();
  constructor(private readonly began: number) {}

  async time<T>(start: () => Promise<T>): Promise<T> {
    const sentAt = performance.now();
    const result = await start();
    const endedAt = performance.now();
    const second = Math.floor((endedAt - this.began) / 1000);
    const latencies = this.seconds.get(second) ?? [];
    latencies.push(endedAt - sentAt);
    this.seconds.set(second, latencies);
    return result;
  }

  perSecond(): Array<{ second: number; starts: number; p50: number; p99: number }> {
    return [...this.seconds.entries()]
      .sort(([a], [b]) => a - b)
      .map(([second, latencies]) => {
        const sorted = latencies.sort((a, b) => a - b);
        return { second, starts: sorted.length, p50: round(percentile(sorted, 50), 1), p99: round(percentile(sorted, 99), 1) };
      });
  }
}

/** The same input the API builds for a signup; no personal data is in it. */
const journeyInput = (participantId: string): ParticipantJourneyInput => ({
  participantId,
  province: 'DKI Jakarta',
  employmentStatus: 'LAID_OFF',
  microBusinessLostIncome: false,
  channel: 'SELF',
  registeredAt: new Date().toISOString(),
});

async function run() {
  const { dataDir, log } = freshDataDirectory('workflow-starts');
  const database = await openBenchDatabase({ externalUrl: EXTERNAL_DATABASE_URL, dataDir, port: TEMPORAL_PORT + 2, log });
  const config = loadConfig({
    NODE_ENV: 'development',
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    WORKFLOW_START_RELAY_CONCURRENCY: argument('relay-concurrency', process.env.WORKFLOW_START_RELAY_CONCURRENCY ?? '20'),
    WORKFLOW_START_RELAY_BATCH_SIZE: argument('relay-batch-size', process.env.WORKFLOW_START_RELAY_BATCH_SIZE ?? '200'),
    WORKFLOW_START_RELAY_STARTS_PER_SECOND: argument('relay-starts-per-second', process.env.WORKFLOW_START_RELAY_STARTS_PER_SECOND ?? '500'),
  });
  const relayOptions = { ...config.workflowStartRelay, minimumAgeMs: 0, intervalMs: 200 };
  const logger = createLogger('bench', 'warn');
  const prisma = createPrismaClient(database.url, { maxConnections: relayOptions.concurrency + 2 });
  const temporalServer = await startTemporalDevServer({
    cliPath: await ensureTemporalCli(),
    host: '127.0.0.1',
    port: TEMPORAL_PORT,
    uiPort: TEMPORAL_PORT + 1,
    dbFile: path.join(dataDir, 'temporal.sqlite'),
    output: () => undefined,
  });
  const connection = await Connection.connect({ address: `127.0.0.1:${TEMPORAL_PORT}` });
  const temporal = new Client({ connection, dataConverter: temporalDataConverter(config) });
  const startedAt = new Date();
  const results: Record<string, unknown> = {
    scenario: 'workflow-starts',
    date: startedAt.toISOString(),
    machine: machine(),
    command: `npm run bench -- workflow-starts ${process.argv.slice(2).join(' ')}`.trim(),
    settings: { database: databaseDescription(EXTERNAL_DATABASE_URL) },
    count: COUNT,
    baselineCount: BASELINE_COUNT,
    relay: { batchSize: relayOptions.batchSize, concurrency: relayOptions.concurrency, startsPerSecond: relayOptions.startsPerSecond },
    devServer: 'temporal CLI dev server, SQLite file with journal_mode=WAL and synchronous=NORMAL',
    loadAverage: { before: loadAverage() },
  };
  try {
    await applyMigrations(database.url);
    process.stderr.write(`seeding ${COUNT} registrations with their outbox rows\n`);
    await prisma.$executeRawUnsafe('TRUNCATE "WorkflowStartOutbox", "Participant" CASCADE');
    await prisma.$executeRaw`
      INSERT INTO "Participant" (id, "nikHash", "personalData", "personalDataKeyId", province, "employmentStatus", channel, stage, "updatedAt")
      SELECT md5('starts-participant-' || i)::uuid, md5('starts-nik-' || i), 'bench-dummy-ciphertext', 'bench', 'DKI Jakarta', 'LAID_OFF', 'SELF', 'AWAITING_EMAIL_VERIFICATION', now()
      FROM generate_series(1, ${COUNT}::int) AS i`;
    await prisma.$executeRaw`INSERT INTO "WorkflowStartOutbox" ("participantId") SELECT id FROM "Participant"`;
    await prisma.$executeRawUnsafe('VACUUM ANALYZE "WorkflowStartOutbox"');

    // The baseline first, on a sample: the bare loop, same concurrency and input, no database.
    const baselineBar = progressBar('baseline', BASELINE_COUNT);
    let baselineDone = 0;
    const baselineStartedAt = performance.now();
    const baselineTimeline = new StartTimeline(baselineStartedAt);
    await runWithConcurrency(
      Array.from({ length: BASELINE_COUNT }, (_, i) => `baseline-${i}`),
      relayOptions.concurrency,
      async (id) => {
        await baselineTimeline.time(() =>
          temporal.workflow.start(PARTICIPANT_JOURNEY_WORKFLOW, {
            workflowId: `participant-${id}`,
            taskQueue: TASK_QUEUE,
            args: [journeyInput(id)],
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          }),
        );
        baselineDone += 1;
        baselineBar.update(baselineDone);
      },
    );
    baselineBar.end();
    const baselineSeconds = (performance.now() - baselineStartedAt) / 1000;
    const baselinePerSecond = BASELINE_COUNT / baselineSeconds;

    // The relay drains the whole burst; its starter is the API's, timed.
    const relayStartedAt = performance.now();
    const relayTimeline = new StartTimeline(relayStartedAt);
    const starter = new ParticipantJourneyStarter({ prisma, temporal, config, logger });
    const relay = new WorkflowStartRelay(
      { prisma, logger, journeyStarter: { startWorkflow: (input, timeoutMs) => relayTimeline.time(() => starter.startWorkflow(input, timeoutMs)) } },
      relayOptions,
    );
    const relayBar = progressBar('relay', COUNT);
    const samples: Array<[number, number]> = [];
    relay.start();
    let started = 0;
    while (started < COUNT) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      started = await prisma.workflowStartOutbox.count({ where: { startedAt: { not: null } } });
      samples.push([round((performance.now() - relayStartedAt) / 1000, 1), started]);
      relayBar.update(started);
    }
    await relay.stop();
    relayBar.end();
    const relaySeconds = (performance.now() - relayStartedAt) / 1000;
    const relayPerSecond = COUNT / relaySeconds;
    const failedAttempts = await prisma.workflowStartOutbox.aggregate({ _sum: { attempts: true } });

    Object.assign(results, {
      baseline: { started: BASELINE_COUNT, seconds: round(baselineSeconds, 1), startsPerSecond: round(baselinePerSecond, 1) },
      relayDrain: {
        started: COUNT,
        seconds: round(relaySeconds, 1),
        startsPerSecond: round(relayPerSecond, 1),
        attempts: failedAttempts._sum.attempts,
        startedPerTenSeconds: samples.filter((_, i) => i % 10 === 9).map(([second, count]) => ({ second, started: count })),
      },
      relayToBaseline: round(relayPerSecond / baselinePerSecond, 2),
      loadAverage: { ...(results.loadAverage as object), after: loadAverage() },
      timelines: { baseline: baselineTimeline.perSecond(), relay: relayTimeline.perSecond() },
    });
    const resultFile = writeResult('workflow-starts', startedAt, results);
    const series = (key: 'starts' | 'p50' | 'p99') => [
      { name: 'bare start loop', color: '#888', points: baselineTimeline.perSecond().map((point): [number, number] => [point.second, point[key]]) },
      { name: 'outbox relay', color: '#1f77b4', points: relayTimeline.perSecond().map((point): [number, number] => [point.second, point[key]]) },
    ];
    const chartFile = writeChart(
      'workflow-starts',
      lineChartsSvg(
        `workflow-starts: ${COUNT} relayed, ${BASELINE_COUNT} bare (${startedAt.toISOString().slice(0, 10)}, dev server, load avg ${loadAverage()[0]})`,
        [
          { title: 'journeys started per second', yLabel: 'starts/s', series: series('starts') },
          { title: 'start latency p50 (ms)', yLabel: 'ms', series: series('p50') },
          { title: 'start latency p99 (ms)', yLabel: 'ms', series: series('p99') },
        ],
        'seconds since the side began',
      ),
    );
    console.log(JSON.stringify({ ...results, timelines: undefined, resultFile, chartFile }, null, 2));
  } finally {
    await connection.close();
    await temporalServer.stop();
    await prisma.$disconnect();
    await database.stop();
  }
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
