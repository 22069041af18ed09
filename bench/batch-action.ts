/**
 * batch-action: a batch action over N participants (default 10,000; the figure is
 * `--participants 100000`) awaiting email verification: resend the verification mail to all of
 * them at a ceiling of --rate per second. Reports the batch's achieved rate (members settled per
 * second, overall and per second of the run), its outcomes, and the signup latency of a steady
 * signup load run twice on the same stack: alone, then while the batch runs.
 *
 * The participants are real: registered over HTTP (at --seed-per-second, in ten-second chunks, each
 * once fewer than --seed-backlog workflow tasks wait), each journey started
 * and waiting for its mailed token, so every member is a real journey update (the mail sent again),
 * recorded in the operator action log with the batch id. The signups of the measured loads are
 * other residents of the simulated population.
 *
 *   npm run bench -- batch-action [--participants 10000] [--rate 200] [--seed-per-second 300] [--seed-backlog 2000]
 *     [--signups-per-second 50] [--signup-seconds 30] [--database-url postgresql://...] [--port-base 14300]
 */
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import pg from 'pg';
import { databaseDescription, externalDatabaseUrl } from './bench-database';
import { wholeNumber } from './command-line';
import { fetchResidents, type PlannedRequest, registrationBody, round } from './signup-load';
import { apiPid, loadAverage, machine, runSignupLoad, startBenchStack, writeResult } from './stack-benchmark';

const SCENARIO = 'batch-action';
const PARTICIPANTS = wholeNumber('participants', 10_000);
const RATE = wholeNumber('rate', 200);
const SEED_PER_SECOND = wholeNumber('seed-per-second', 300);
/** Seeding pauses while more workflow tasks than this wait (seedAtTheServersPace). */
const SEED_BACKLOG_CEILING = wholeNumber('seed-backlog', 2_000);
const SIGNUPS_PER_SECOND = wholeNumber('signups-per-second', 50);
const SIGNUP_SECONDS = wholeNumber('signup-seconds', 30);
const DATABASE_URL = externalDatabaseUrl(process.env.BENCH_DATABASE_URL);
const PORT_BASE = wholeNumber('port-base', 14_300);
const CONCURRENCY = 64;
const TASK_QUEUE = 'bench-batch-action';
/** The seeding's journeys are started at about the dev server's pace (20 to 30 a second here), plus an hour. */
const SEED_TIMEOUT_MS = 60 * 60_000 + (PARTICIPANTS / 20) * 1_000;

interface Progress {
  status: string;
  progress: { total: number; done: number; refused: number; failed: number; cancelled: number; remaining: number };
}

function signupPlan(residents: Array<{ nik: string; fullName: string; dateOfBirth: string; province: string }>, offset: number): PlannedRequest[] {
  return residents.map((resident, index) => ({ kind: 'valid', nik: resident.nik, body: registrationBody(resident, offset + index) }));
}

async function api<T>(apiUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: 'Bearer dev-operator', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** The workflow tasks waiting on the task queue (the server's approximate count). */
async function workflowBacklog(connection: Connection, taskQueue: string): Promise<number> {
  const described = await connection.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: taskQueue },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    reportStats: true,
  });
  return Number(described.stats?.approximateBacklogCount ?? 0);
}

/**
 * Registers the seed in chunks of ten seconds at --seed-per-second, each only once the dev
 * server's workflow backlog is under SEED_BACKLOG_CEILING: registering 100,000 at a fixed rate
 * left 66,000 workflow tasks queued, which the single-shard dev server then dispatched at a
 * fraction of its rate with an empty queue. Paced so, the seeding runs at what the server absorbs.
 */
async function seedAtTheServersPace(apiUrl: string, temporalAddress: string, serverPid: number, plan: PlannedRequest[]): Promise<void> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const chunkSize = SEED_PER_SECOND * 10;
    for (let start = 0; start < plan.length; start += chunkSize) {
      for (let backlog = await workflowBacklog(connection, TASK_QUEUE); backlog > SEED_BACKLOG_CEILING; backlog = await workflowBacklog(connection, TASK_QUEUE)) {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
      const chunk = plan.slice(start, start + chunkSize);
      await runSignupLoad(`seeding ${start + chunk.length} of ${plan.length}`, { url: `${apiUrl}/v1/registrations`, plan: chunk, seconds: chunk.length / SEED_PER_SECOND, concurrency: CONCURRENCY, authorization: 'Bearer dev-backend', serverPid });
    }
  } finally {
    await connection.close();
  }
}

/**
 * Every seeded journey waiting for its token: the projection says AWAITING_EMAIL_VERIFICATION as
 * soon as the journey's first activity ran, while the mail may still be queued behind thousands of
 * workflow tasks, so the journeys are idle only once the task queue's workflow backlog has drained
 * too. Measuring the batch before that would measure the seeding's backlog instead.
 */
async function waitForIdleJourneys(databaseUrl: string, temporalAddress: string, taskQueue: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  const connection = await Connection.connect({ address: temporalAddress });
  await client.connect();
  try {
    const deadline = Date.now() + SEED_TIMEOUT_MS;
    for (;;) {
      const { rows } = await client.query<{ count: number }>(`SELECT count(*)::int AS count FROM "Participant" WHERE stage = 'AWAITING_EMAIL_VERIFICATION'`);
      const backlog = await workflowBacklog(connection, taskQueue);
      const awaiting = rows[0]?.count ?? 0;
      process.stderr.write(`\rjourneys awaiting email verification: ${awaiting} of ${count}; workflow tasks waiting: ${backlog}      `);
      if (awaiting >= count && backlog < 50) break;
      if (Date.now() > deadline) throw new Error('the seeded journeys did not all reach their wait for the token');
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
    process.stderr.write('\n');
  } finally {
    await client.end();
    await connection.close();
  }
}

async function run() {
  const startedAt = new Date();
  const loadBefore = loadAverage();
  const signupsPerLoad = SIGNUPS_PER_SECOND * SIGNUP_SECONDS;
  process.stderr.write('starting the stack\n');
  const { stack } = await startBenchStack({
    scenario: SCENARIO,
    databaseUrl: DATABASE_URL,
    portBase: PORT_BASE,
    run: { simulators: true, worker: true, api: true },
    env: {
      NODE_ENV: 'development',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      SIM_POPULATION_SIZE: String(Math.max(100_000, PARTICIPANTS + 2 * signupsPerLoad + 1_000)),
      BATCH_ACTION_MAX_PER_SECOND: String(RATE),
      // One operator runs the benchmark: no second operator's confirmation.
      BATCH_ACTION_CONFIRMATION_THRESHOLD: String(PARTICIPANTS + 2 * signupsPerLoad + 1),
    },
  });
  try {
    const residents = await fetchResidents(stack.simulatorsUrl, 0, PARTICIPANTS + 2 * signupsPerLoad);
    const registrations = `${stack.apiUrl}/v1/registrations`;
    const seed = signupPlan(residents.slice(0, PARTICIPANTS), 0);
    const seedStartedAt = Date.now();
    await seedAtTheServersPace(stack.apiUrl, stack.temporalAddress, apiPid(stack), seed);
    const seededAt = Date.now();
    await waitForIdleJourneys(stack.databaseUrl, stack.temporalAddress, TASK_QUEUE, PARTICIPANTS);
    const seedingSeconds = Math.round((Date.now() - seedStartedAt) / 1000);
    process.stderr.write(`seeded in ${seedingSeconds} s (${Math.round((Date.now() - seededAt) / 1000)} s of it draining the workflow backlog)\n`);

    const alonePlan = signupPlan(residents.slice(PARTICIPANTS, PARTICIPANTS + signupsPerLoad), PARTICIPANTS);
    const alone = await runSignupLoad('signups alone', { url: registrations, plan: alonePlan, seconds: SIGNUP_SECONDS, concurrency: CONCURRENCY, authorization: 'Bearer dev-backend', serverPid: apiPid(stack) });
    // The first load's participants are started by now or soon; they are members too if they wait.
    await new Promise((resolve) => setTimeout(resolve, 5_000));

    const requestedAt = Date.now();
    const batch = await api<{ batchId: string; progress: Progress['progress'] }>(stack.apiUrl, 'POST', '/v1/batch-actions', {
      action: 'RESEND_VERIFICATION_EMAIL',
      filter: { stage: 'AWAITING_EMAIL_VERIFICATION' },
      reason: 'benchmark: resend to everyone awaiting verification',
      ratePerSecond: RATE,
    });
    const materialisedMs = Date.now() - requestedAt;
    const timeline: Array<{ second: number; settled: number }> = [];
    let finished: Progress | undefined;
    const watch = (async () => {
      for (;;) {
        const now = await api<Progress>(stack.apiUrl, 'GET', `/v1/batch-actions/${batch.batchId}`);
        const { total, remaining } = now.progress;
        timeline.push({ second: Math.round((Date.now() - requestedAt) / 100) / 10, settled: total - remaining });
        if (now.status === 'COMPLETED' || now.status === 'CANCELLED') {
          finished = now;
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    })();
    const duringPlan = signupPlan(residents.slice(PARTICIPANTS + signupsPerLoad), PARTICIPANTS + signupsPerLoad);
    const during = await runSignupLoad('signups during the batch', { url: registrations, plan: duringPlan, seconds: SIGNUP_SECONDS, concurrency: CONCURRENCY, authorization: 'Bearer dev-backend', serverPid: apiPid(stack) });
    const loadDuringBatch = loadAverage();
    const settledWhileSignups = timeline.at(-1)?.settled ?? 0;
    process.stderr.write(`waiting for the batch to finish (${batch.progress.total} members)\n`);
    await watch;
    const finishedAt = timeline.at(-1)?.second ?? 0;
    const outcome = finished ?? { status: 'UNKNOWN', progress: batch.progress };

    const result = {
      scenario: SCENARIO,
      date: startedAt.toISOString(),
      machine: machine(),
      loadAverage: { before: loadBefore, duringBatch: loadDuringBatch },
      command: `npm run bench -- ${SCENARIO} ${process.argv.slice(2).join(' ')}`.trim(),
      seeding: { seconds: seedingSeconds, perSecond: round(PARTICIPANTS / Math.max(1, seedingSeconds), 1) },
      settings: { participants: PARTICIPANTS, ratePerSecond: RATE, signupsPerSecond: SIGNUPS_PER_SECOND, signupSeconds: SIGNUP_SECONDS, database: databaseDescription(DATABASE_URL) },
      batch: {
        members: outcome.progress.total,
        materialisedMs,
        status: outcome.status,
        outcomes: outcome.progress,
        seconds: finishedAt,
        settledPerSecond: finishedAt > 0 ? round(outcome.progress.total / finishedAt, 1) : null,
        ceilingPerSecond: RATE,
        settledWhileSignups,
        timeline,
      },
      signupsAlone: { ...alone.summary, timeline: undefined },
      signupsDuringBatch: { ...during.summary, timeline: undefined },
      p99RatioDuringToAlone: alone.summary.latencyMs.p99 > 0 ? round(during.summary.latencyMs.p99 / alone.summary.latencyMs.p99, 2) : null,
    };
    const file = writeResult(SCENARIO, startedAt, result);
    process.stdout.write(
      `${JSON.stringify({ batch: { ...result.batch, timeline: undefined }, signupLatencyMs: { alone: alone.summary.latencyMs, duringBatch: during.summary.latencyMs } }, null, 2)}\nresult: ${file}\n`,
    );
  } finally {
    await stack.stop();
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
