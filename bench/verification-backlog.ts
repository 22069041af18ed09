/**
 * verification-backlog: N participants (100,000) waiting for their NIK verification, against a
 * simulated Dukcapil that accepts at most 200 requests per wall-clock second (429 beyond) and
 * answers 20 % of the rest with 503. Reports the most requests Dukcapil received in any second by
 * its own count (the ceiling must never be exceeded), its error answers, the engine's retries,
 * the time until the last participant was verified, and how many were failed (must be 0).
 *
 * What it measures, and what it leaves out. What protects Dukcapil is the engine's per-system task
 * queue: `verifyIdentityWithDukcapil` runs only on `<journeys>-dukcapil`, whose worker sets
 * `maxTaskQueueActivitiesPerSecond` (DUKCAPIL_MAX_REQUESTS_PER_SECOND), a ceiling the Temporal
 * server enforces across every worker, retries included. This benchmark runs exactly that: the real
 * worker process (workers/main.ts, its Dukcapil worker and rate limit), the real activity
 * (participant read from PostgreSQL, personal data decrypted, the HTTP call, errors mapped to
 * retryable failures with jittered backoff) and the journey's own retry profile. What it leaves out
 * is the rest of each journey: registration, the email round trip and the steps after. Running
 * 100,000 whole journeys up to that step would take hours on this machine and measure signup and
 * mail, not the verification backlog. So the participants are seeded in PostgreSQL at
 * VERIFYING_IDENTITY (personal data encrypted as registration writes it, NIKs from the simulated
 * population) and a bench-only workflow (bench/workflows/nik-verification-backlog.ts, on its own
 * task queue, run by a worker in this process) schedules each participant's verification exactly
 * as the journey does, all at once, in batches of --batch per workflow: a peak of journeys all
 * reaching Dukcapil together.
 *
 * The time series come from two sides: Dukcapil's own counters (the simulator's /sim/stats, read
 * every second) and the workflows' histories (when each verification was scheduled, answered, and
 * after how many attempts).
 *
 *   npm run bench -- verification-backlog [--participants 100000] [--batch 250]
 *     [--dukcapil-limit 200] [--error-rate 0.2] [--engine-ceiling 95 % of the limit] [--worker-processes 1] [--drain-timeout 7200]
 *     [--database-url postgresql://...] [--port-base 14100]
 *
 * The database is the embedded PostgreSQL 17, new for the run; --database-url (or
 * BENCH_DATABASE_URL) names an external server instead, emptied first.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { ManagedChild } from '../scripts/stack/child-process';
import { startJalurProcess } from '../scripts/stack/local-stack';
import pg from 'pg';
import { runWithConcurrency } from '../lib/run-with-concurrency';
import { loadConfig } from '../lib/config';
import { ENVELOPE_CONTEXT, PersonalDataCipher } from '../lib/personal-data';
import { temporalDataConverter } from '../lib/temporal/connection';
import { databaseDescription, externalDatabaseUrl } from './bench-database';
import { argument, positiveNumber, wholeNumber } from './command-line';
import { progressBar } from './progress-bar';
import { fetchResidents, registrationBody, round, type SimulatedResident } from './signup-load';
import { elapsedSeconds, loadAverage, machine, startBenchStack, writeChart, writeResult } from './stack-benchmark';
import { lineChartsSvg } from './svg-chart';
import { summariseVerifications, type Verification, verificationsFromHistory } from './verification-history';
import type { NikVerificationBacklogResult } from './workflows/nik-verification-backlog';

const PARTICIPANTS = wholeNumber('participants', 100_000);
const BATCH = wholeNumber('batch', 250);
const DUKCAPIL_LIMIT = wholeNumber('dukcapil-limit', 200);
const ERROR_RATE = Number(argument('error-rate', '0.2'));
// The engine's ceiling set a few percent under Dukcapil's own limit, as the README advises: calls
// sent at the end of one second arrive in Dukcapil's next, so equal ceilings let 201-203 into one
// of its seconds (measured; BENCHMARKS.md).
const ENGINE_CEILING = positiveNumber('engine-ceiling', Math.floor(DUKCAPIL_LIMIT * 0.95));
const DRAIN_TIMEOUT_SECONDS = positiveNumber('drain-timeout', 7_200);
/** Worker processes sharing the ceiling (WORKER_PROCESSES): each paces its calls at its share. */
const WORKER_PROCESSES = positiveNumber('worker-processes', 1);
const DATABASE_URL = externalDatabaseUrl(process.env.BENCH_DATABASE_URL);
const PORT_BASE = wholeNumber('port-base', 14_100);
const TASK_QUEUE = 'bench-verification-backlog';
const BENCH_TASK_QUEUE = `${TASK_QUEUE}-bench-workflows`;
if (!(ERROR_RATE >= 0 && ERROR_RATE < 1)) throw new Error('--error-rate needs a share in [0, 1)');

interface DukcapilCounters {
  requests: number;
  answered: { ok: number; clientError: number; serverError: number };
  rejectedByFault: { outage: number; errorRate: number; rateLimit: number };
  maxAcceptedPerSecond: number;
  maxReceivedPerSecond: number;
}

async function simulator(simulatorsUrl: string, method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${simulatorsUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
  return response.status === 204 ? undefined : response.json();
}

const dukcapilCounters = async (simulatorsUrl: string) => ((await simulator(simulatorsUrl, 'GET', '/sim/stats')) as { dukcapil: DukcapilCounters }).dukcapil;

/** N participants at VERIFYING_IDENTITY, their personal data sealed as registration seals it. */
async function seedParticipants(databaseUrl: string, residents: SimulatedResident[]): Promise<string[]> {
  const cipher = new PersonalDataCipher(loadConfig().personalDataEncryption, loadConfig().blindIndexKey);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const bar = progressBar('seeding', residents.length);
  const ids: string[] = [];
  try {
    for (let from = 0; from < residents.length; from += 5_000) {
      const rows = residents.slice(from, from + 5_000).map((resident, offset) => {
        const id = randomUUID();
        const body = registrationBody(resident, from + offset);
        const personal = { nik: resident.nik, fullName: resident.fullName, dateOfBirth: resident.dateOfBirth, email: body.email, phone: body.phone };
        return { id, nikHash: cipher.blindIndex('nik', resident.nik), personalData: cipher.encrypt(personal, ENVELOPE_CONTEXT.personalData(id)), province: resident.province };
      });
      await client.query(
        `INSERT INTO "Participant" (id, "nikHash", "personalData", "personalDataKeyId", province, "employmentStatus", channel, stage, "stageChangedAt", "createdAt", "updatedAt")
         SELECT id, "nikHash", "personalData", $5, province, 'LAID_OFF', 'SELF', 'VERIFYING_IDENTITY', now(), now(), now()
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS seeded(id, "nikHash", "personalData", province)`,
        [rows.map((row) => row.id), rows.map((row) => row.nikHash), rows.map((row) => row.personalData), rows.map((row) => row.province), cipher.activeKeyId],
      );
      ids.push(...rows.map((row) => row.id));
      bar.update(ids.length);
    }
    bar.end();
    return ids;
  } finally {
    await client.end();
  }
}

async function run() {
  const startedAt = new Date();
  const loadBefore = loadAverage();
  process.stderr.write('starting the stack (Temporal dev server, simulators, worker)\n');
  const { stack, log } = await startBenchStack({
    scenario: 'verification-backlog',
    databaseUrl: DATABASE_URL,
    portBase: PORT_BASE,
    run: { simulators: true, worker: true, api: false },
    env: {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      DUKCAPIL_MAX_REQUESTS_PER_SECOND: String(ENGINE_CEILING),
      WORKER_PROCESSES: String(WORKER_PROCESSES),
      SIM_POPULATION_SIZE: String(Math.max(100_000, PARTICIPANTS + 1_000)),
    },
  });
  // The stack runs one worker; the others alongside it, with the same settings.
  const moreWorkers: ManagedChild[] = [];
  for (let index = 1; index < WORKER_PROCESSES; index += 1) moreWorkers.push(await startJalurProcess('worker', stack.env, (line) => log(`[worker ${index}] ${line}`)));
  const workerConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const clientConnection = await Connection.connect({ address: stack.temporalAddress });
  const dataConverter = temporalDataConverter(loadConfig(stack.env));
  let benchWorker: Worker | undefined;
  let benchWorkerRun: Promise<void> | undefined;
  try {
    const residents = await fetchResidents(stack.simulatorsUrl, 0, PARTICIPANTS);
    const seedingBegan = Date.now();
    const ids = await seedParticipants(stack.databaseUrl, residents);
    const seedingSeconds = elapsedSeconds(seedingBegan, Date.now());

    process.stderr.write('starting the bench workflow worker\n');
    benchWorker = await Worker.create({
      connection: workerConnection,
      taskQueue: BENCH_TASK_QUEUE,
      workflowsPath: require.resolve('./workflows/nik-verification-backlog'),
      dataConverter,
      // A batch's first task schedules all its verifications; run side by side on a busy machine,
      // such tasks passed the 10 s workflow task timeout and were retried from a replay.
      maxConcurrentWorkflowTaskExecutions: 2,
    });
    benchWorkerRun = benchWorker.run();
    const temporal = new Client({ connection: clientConnection, dataConverter });

    await simulator(stack.simulatorsUrl, 'PUT', '/sim/faults/dukcapil', { rateLimitPerSecond: DUKCAPIL_LIMIT, errorRate: ERROR_RATE });
    await simulator(stack.simulatorsUrl, 'DELETE', '/sim/stats');
    const loadBefore2 = loadAverage();

    const batches = Array.from({ length: Math.ceil(ids.length / BATCH) }, (_, index) => ids.slice(index * BATCH, (index + 1) * BATCH));
    const backlogBeganAt = Date.now();
    const handles = await Promise.all(
      batches.map((participantIds, index) =>
        temporal.workflow.start('nikVerificationBacklog', {
          workflowId: `verification-backlog-${index}`,
          taskQueue: BENCH_TASK_QUEUE,
          args: [{ participantIds, journeyTaskQueue: TASK_QUEUE }],
        }),
      ),
    );
    let finished = 0;
    const results = Promise.all(handles.map(async (handle) => {
      const outcome = (await handle.result()) as NikVerificationBacklogResult;
      finished += 1;
      return outcome;
    }));

    // Dukcapil's counters every second, until every batch has ended.
    const bar = progressBar('verified', ids.length);
    const samples: Array<{ atMs: number; counters: DukcapilCounters }> = [];
    const deadline = backlogBeganAt + DRAIN_TIMEOUT_SECONDS * 1000;
    while (finished < handles.length && Date.now() < deadline) {
      await Promise.race([results, new Promise((resolve) => setTimeout(resolve, 1_000))]);
      const counters = await dukcapilCounters(stack.simulatorsUrl);
      samples.push({ atMs: Date.now() - backlogBeganAt, counters });
      bar.update(Math.min(ids.length, counters.answered.ok));
    }
    bar.end();
    if (finished < handles.length) throw new Error(`${handles.length - finished} batches still running after --drain-timeout ${DRAIN_TIMEOUT_SECONDS} s`);
    const outcomes = await results;
    const drainedAt = Date.now();
    const loadAfter = loadAverage();
    const dukcapil = await dukcapilCounters(stack.simulatorsUrl);

    process.stderr.write('reading the batches\' histories\n');
    const verifications: Verification[] = [];
    await runWithConcurrency(handles, 4, async (handle) => {
      const history = await handle.fetchHistory();
      verifications.push(...verificationsFromHistory(history.events ?? []));
    });
    const summary = summariseVerifications(verifications, backlogBeganAt);
    const lastAnsweredAt = verifications.reduce((last, verification) => Math.max(last, verification.closedAtMs ?? 0), 0);

    const byResult: Record<string, number> = {};
    const failedByType: Record<string, number> = {};
    for (const outcome of outcomes) {
      for (const [result, count] of Object.entries(outcome.byResult)) byResult[result] = (byResult[result] ?? 0) + count;
      for (const [type, count] of Object.entries(outcome.failedByType)) failedByType[type] = (failedByType[type] ?? 0) + count;
    }
    const failed = Object.values(failedByType).reduce((sum, count) => sum + count, 0);
    const drainSeconds = elapsedSeconds(backlogBeganAt, lastAnsweredAt);
    const perSecond = samples.map((sample, index) => {
      const previous = index === 0 ? { atMs: 0, counters: { requests: 0, answered: { ok: 0, clientError: 0, serverError: 0 }, rejectedByFault: { outage: 0, errorRate: 0, rateLimit: 0 } } } : samples[index - 1]!;
      const seconds = Math.max(0.001, (sample.atMs - previous.atMs) / 1000);
      const rate = (now: number, before: number) => Math.round((now - before) / seconds);
      return {
        second: Math.round(sample.atMs / 100) / 10,
        received: rate(sample.counters.requests, previous.counters.requests),
        ok: rate(sample.counters.answered.ok, previous.counters.answered.ok),
        errors: rate(sample.counters.rejectedByFault.errorRate, previous.counters.rejectedByFault.errorRate),
        rateLimited: rate(sample.counters.rejectedByFault.rateLimit, previous.counters.rejectedByFault.rateLimit),
      };
    });

    const result = {
      scenario: 'verification-backlog',
      date: startedAt.toISOString(),
      machine: machine(),
      loadAverage: { before: loadBefore, atBacklogStart: loadBefore2, afterDrain: loadAfter },
      command: `npm run bench -- verification-backlog ${process.argv.slice(2).join(' ')}`.trim(),
      settings: {
        participants: PARTICIPANTS,
        batchWorkflows: batches.length,
        participantsPerBatch: BATCH,
        dukcapil: { rateLimitPerSecond: DUKCAPIL_LIMIT, errorRate: ERROR_RATE },
        engine: { DUKCAPIL_MAX_REQUESTS_PER_SECOND: ENGINE_CEILING, DUKCAPIL_MAX_CONCURRENT_REQUESTS: 'default (50)', workerProcesses: WORKER_PROCESSES },
        temporal: 'CLI dev server, in-memory SQLite',
        database: databaseDescription(DATABASE_URL),
      },
      seedingSeconds,
      dukcapil: {
        maxReceivedInAnySecond: dukcapil.maxReceivedPerSecond,
        maxAcceptedInAnySecond: dukcapil.maxAcceptedPerSecond,
        ceilingExceeded: dukcapil.maxReceivedPerSecond > DUKCAPIL_LIMIT,
        requests: dukcapil.requests,
        answered: dukcapil.answered,
        errorAnswers503: dukcapil.rejectedByFault.errorRate,
        rateLimited429: dukcapil.rejectedByFault.rateLimit,
      },
      verifications: {
        ...summary,
        timeline: undefined,
        participants: ids.length,
        byResult,
        // What the batch workflows saw; the histories' count (summary.failed) says the same.
        failed,
        failedInHistories: summary.failed,
        failedByType,
      },
      drain: {
        secondsToLastVerification: drainSeconds,
        secondsUntilAllBatchesEnded: elapsedSeconds(backlogBeganAt, drainedAt),
        participantsVerifiedPerSecond: round(summary.answered / drainSeconds, 1),
        dukcapilRequestsPerSecond: round(dukcapil.requests / drainSeconds, 1),
        floorSecondsAtTheCeiling: Math.round(dukcapil.requests / DUKCAPIL_LIMIT),
      },
      timelines: { dukcapilPerSecond: perSecond, verifications: summary.timeline },
    };
    const resultFile = writeResult('verification-backlog', startedAt, result);
    const lastSecond = perSecond.at(-1)?.second ?? 1;
    // A second in which nobody was verified has no wait to plot (not a wait of 0).
    const answeredSeconds = summary.timeline.filter((second) => second.answered > 0);
    writeChart(
      'verification-backlog',
      lineChartsSvg(
        `verification-backlog: ${ids.length} participants, Dukcapil ${DUKCAPIL_LIMIT}/s, ${Math.round(ERROR_RATE * 100)} % errors (${startedAt.toISOString().slice(0, 10)}, load avg ${loadAfter[0]!.toFixed(1)})`,
        [
          {
            title: 'Dukcapil requests per second, by its own counters (read every second)',
            yLabel: 'requests/s',
            series: [
              { name: `ceiling (${DUKCAPIL_LIMIT}/s)`, color: '#999', points: [[0, DUKCAPIL_LIMIT], [lastSecond, DUKCAPIL_LIMIT]] },
              { name: 'received', color: '#1f77b4', points: perSecond.map((sample) => [sample.second, sample.received]) },
              { name: 'answered 200', color: '#2ca02c', points: perSecond.map((sample) => [sample.second, sample.ok]) },
              { name: 'answered 503', color: '#d62728', points: perSecond.map((sample) => [sample.second, sample.errors]) },
              { name: 'answered 429', color: '#ff7f0e', points: perSecond.map((sample) => [sample.second, sample.rateLimited]) },
            ],
          },
          {
            title: 'wait in VERIFYING_IDENTITY of the participants verified in each second (s)',
            yLabel: 'seconds',
            series: [
              { name: 'p99', color: '#d62728', points: answeredSeconds.map((second) => [second.second, second.p99WaitSeconds]) },
              { name: 'p50', color: '#1f77b4', points: answeredSeconds.map((second) => [second.second, second.p50WaitSeconds]) },
            ],
          },
        ],
        'seconds since the backlog began',
      ),
    );
    console.log(JSON.stringify({ ...result, timelines: undefined, resultFile }, null, 2));
  } finally {
    benchWorker?.shutdown();
    await benchWorkerRun?.catch(() => undefined);
    await clientConnection.close();
    await workerConnection.close();
    for (const worker of moreWorkers) await worker.stop();
    await stack.stop();
  }
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
