/**
 * temporal-outage: the signup spike's load (N distinct valid registrations in S seconds, plus 2 %
 * duplicate NIKs and 2 % invalid bodies) against the whole local stack, with the Temporal dev
 * server stopped (SIGTERM) for --outage-seconds from --outage-start into the load, then started
 * again on the same SQLite file, so the journeys started before the outage are still there.
 * Checks that no answer is a 5xx, that every 202 is a row in PostgreSQL, and, once the outbox
 * relay has caught up, that every accepted participant's journey exists in Temporal, once.
 * Prints JSON, writes it to bench/results/, and draws throughput (answers and journey starts) and
 * latency over time, with the outage shaded, to docs/bench/temporal-outage.svg.
 *
 * By default the API runs as signup-spike runs it, the peak's settings: no start at signup
 * (REGISTRATION_INLINE_START=false), only the outbox relay starts journeys. --inline-start runs the
 * API's default instead (the request tries Temporal for up to 2 s; after a failure the next 10 s of
 * signups leave their starts to the relay). No worker runs unless --with-worker.
 *
 *   npm run bench -- temporal-outage [--count 80000] [--seconds 60] [--outage-start <seconds/2>]
 *     [--outage-seconds 60] [--concurrency 512] [--inline-start] [--with-worker] [--start-timeout 900]
 *     [--database-url postgresql://...] [--port-base 14000]
 *
 * The database is the embedded PostgreSQL 17, new for the run; --database-url (or
 * BENCH_DATABASE_URL) names an external server instead, emptied first.
 */
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { runWithConcurrency } from '../lib/run-with-concurrency';
import { PARTICIPANT_JOURNEY_WORKFLOW, participantWorkflowId } from '../workflows/participant-journey.definitions';
import { databaseDescription, externalDatabaseUrl } from './bench-database';
import { flag, positiveNumber, wholeNumber } from './command-line';
import { checkSignups, fetchResidents, planSignups, waitForAllStarted } from './signup-load';
import { apiPid, elapsedSeconds, loadAverage, machine, runSignupLoad, startBenchStack, timelinePoints, writeChart, writeResult } from './stack-benchmark';
import { lineChartsSvg } from './svg-chart';

const COUNT = wholeNumber('count', 80_000);
const SECONDS = positiveNumber('seconds', 60);
const OUTAGE_START_SECONDS = positiveNumber('outage-start', SECONDS / 2);
const OUTAGE_SECONDS = positiveNumber('outage-seconds', 60);
const CONCURRENCY = wholeNumber('concurrency', 512);
const DATABASE_URL = externalDatabaseUrl(process.env.BENCH_DATABASE_URL);
const PORT_BASE = wholeNumber('port-base', 14_000);
const INLINE_START = flag('inline-start');
const WITH_WORKER = flag('with-worker');
const START_TIMEOUT_SECONDS = positiveNumber('start-timeout', 900);
const TASK_QUEUE = 'bench-temporal-outage';

interface OutageTimes {
  /** ms since the load began, each. */
  stopRequestedAt: number;
  /** The server process had exited. */
  stoppedAt: number;
  /** The new server process was launched (stoppedAt + the outage length). */
  restartedAt: number;
  /** The new server answered getSystemInfo. */
  readyAt: number;
}

/** Stops the dev server at `startMs` after `loadBeganAt` and starts it again `lengthMs` after it has exited. */
async function runOutage(server: { stop(): Promise<void>; start(): Promise<void> }, loadBeganAt: number, startMs: number, lengthMs: number): Promise<OutageTimes> {
  const sinceLoad = () => Date.now() - loadBeganAt;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startMs - sinceLoad())));
  const stopRequestedAt = sinceLoad();
  process.stderr.write(`\nTemporal stopped at ${Math.round(stopRequestedAt / 1000)} s\n`);
  await server.stop();
  const stoppedAt = sinceLoad();
  await new Promise((resolve) => setTimeout(resolve, lengthMs));
  const restartedAt = sinceLoad();
  await server.start();
  const readyAt = sinceLoad();
  process.stderr.write(`\nTemporal back at ${Math.round(readyAt / 1000)} s\n`);
  return { stopRequestedAt, stoppedAt, restartedAt, readyAt };
}

/**
 * Outbox facts: journey starts per second of the run, how many tries each start took, and, for the
 * registrations the outage held back (taken before Temporal was back, not started before it was
 * stopped), when the first and the last of their journeys started.
 */
async function outboxFigures(databaseUrl: string, participantIds: string[], loadBeganAt: number, outage: { stoppedAt: number; backAt: number }) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const perSecond = await client.query<{ second: number; started: string }>(
      `SELECT floor(extract(epoch FROM "startedAt") - $2::double precision)::int AS second, count(*) AS started
         FROM "WorkflowStartOutbox" WHERE "participantId" = ANY($1::uuid[]) AND "startedAt" IS NOT NULL GROUP BY 1 ORDER BY 1`,
      [participantIds, loadBeganAt / 1000],
    );
    const attempts = await client.query<{ attempts: number; rows: string }>(
      `SELECT attempts, count(*) AS rows FROM "WorkflowStartOutbox" WHERE "participantId" = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`,
      [participantIds],
    );
    const backlog = await client.query<{ rows: string; first: Date | null; last: Date | null }>(
      `SELECT count(*) AS rows, min("startedAt") FILTER (WHERE "startedAt" >= $2) AS first, max("startedAt") AS last
         FROM "WorkflowStartOutbox" WHERE "participantId" = ANY($1::uuid[]) AND "createdAt" < $2 AND ("startedAt" IS NULL OR "startedAt" >= $3)`,
      [participantIds, new Date(outage.backAt), new Date(outage.stoppedAt)],
    );
    const { rows, first, last } = backlog.rows[0]!;
    const startedIn = new Map(perSecond.rows.map((row) => [row.second, Number(row.started)]));
    return {
      // Every second up to the last start, 0 where none started (the outage shows as a gap, not a slope).
      startsPerSecond: Array.from({ length: Math.max(0, ...perSecond.rows.map((row) => row.second + 1)) }, (_, second) => [second, startedIn.get(second) ?? 0] as [number, number]),
      rowsByAttempts: Object.fromEntries(attempts.rows.map((row) => [row.attempts, Number(row.rows)])),
      registeredBeforeTemporalBack: { rows: Number(rows), firstStartAfterReturn: first ?? undefined, lastStart: last ?? undefined },
    };
  } finally {
    await client.end();
  }
}

/**
 * What Temporal holds for the accepted participants: every journey described by its id (one per
 * participant: the id is the participant's, REJECT_DUPLICATE), and the count of all runs of the
 * journey type in visibility, which equals the participants only if none was started twice.
 */
async function journeysInTemporal(address: string, participantIds: string[]) {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const byStatus: Record<string, number> = {};
    let missing = 0;
    let lastStartTime = 0;
    await runWithConcurrency(participantIds, 16, async (participantId) => {
      try {
        const description = await client.workflow.getHandle(participantWorkflowId(participantId)).describe();
        byStatus[description.status.name] = (byStatus[description.status.name] ?? 0) + 1;
        lastStartTime = Math.max(lastStartTime, description.startTime.getTime());
      } catch (error) {
        if ((error as Error).name !== 'WorkflowNotFoundError') throw error;
        missing += 1;
      }
    });
    const { count: runsInVisibility } = await client.workflow.count(`WorkflowType = '${PARTICIPANT_JOURNEY_WORKFLOW}'`);
    return { described: participantIds.length - missing, missing, byStatus, runsInVisibility, lastStartTime: new Date(lastStartTime) };
  } finally {
    await connection.close();
  }
}

async function run() {
  const startedAt = new Date();
  const loadBefore = loadAverage();
  process.stderr.write('starting the stack (Temporal dev server on a SQLite file, simulators, API)\n');
  const { stack } = await startBenchStack({
    scenario: 'temporal-outage',
    databaseUrl: DATABASE_URL,
    portBase: PORT_BASE,
    run: { simulators: true, worker: WITH_WORKER, api: true },
    env: {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      REGISTRATION_INLINE_START: INLINE_START ? 'true' : 'false',
      SIM_POPULATION_SIZE: String(Math.max(100_000, COUNT + 1_000)),
    },
    temporalOnFile: true,
  });
  try {
    const server = stack.temporalDevServer;
    if (!server) throw new Error('the stack runs no Temporal dev server to stop');
    const residents = await fetchResidents(stack.simulatorsUrl, 0, COUNT);
    const plan = planSignups(residents, { duplicate: 0.02, invalid: 0.02 });

    const loadBeganAt = Date.now();
    const outage = runOutage(server, loadBeganAt, OUTAGE_START_SECONDS * 1000, OUTAGE_SECONDS * 1000);
    const jalur = await runSignupLoad('jalur', { url: `${stack.apiUrl}/v1/registrations`, serverPid: apiPid(stack), authorization: 'Bearer dev-backend', plan, seconds: SECONDS, concurrency: CONCURRENCY });
    const loadEndedAt = Date.now();
    const loadAverageAfterLoad = loadAverage();
    const atEndOfLoad = await checkSignups(stack.databaseUrl, jalur.answers);
    const outageTimes = await outage;
    const ids = jalur.answers.flatMap((answer) => (answer.participantId ? [answer.participantId] : []));
    process.stderr.write('waiting for every journey to start\n');
    const { lastStartedAt, pending } = await waitForAllStarted(stack.databaseUrl, ids, START_TIMEOUT_SECONDS * 1000);
    const drainedAt = Date.now();
    const checks = await checkSignups(stack.databaseUrl, jalur.answers);
    const temporalBackAt = loadBeganAt + outageTimes.readyAt;
    const outbox = await outboxFigures(stack.databaseUrl, ids, loadBeganAt, { stoppedAt: loadBeganAt + outageTimes.stopRequestedAt, backAt: temporalBackAt });
    process.stderr.write(`describing ${ids.length} journeys in Temporal\n`);
    const temporal = await journeysInTemporal(stack.temporalAddress, ids);
    const loadAverageAtEnd = loadAverage();

    const { registeredBeforeTemporalBack: backlog } = outbox;
    const result = {
      scenario: 'temporal-outage',
      date: startedAt.toISOString(),
      machine: machine(),
      loadAverage: { before: loadBefore, afterLoad: loadAverageAfterLoad, atEnd: loadAverageAtEnd },
      command: `npm run bench -- temporal-outage ${process.argv.slice(2).join(' ')}`.trim(),
      settings: {
        count: COUNT,
        seconds: SECONDS,
        requests: plan.length,
        concurrency: CONCURRENCY,
        outageStartSeconds: OUTAGE_START_SECONDS,
        outageSeconds: OUTAGE_SECONDS,
        registrationStart: INLINE_START ? 'start at signup (up to 2 s; paused 10 s after a failure), then the outbox relay' : 'relay only (REGISTRATION_INLINE_START=false), as signup-spike',
        worker: WITH_WORKER,
        apiProcesses: 1,
        database: databaseDescription(DATABASE_URL),
        temporal: 'CLI dev server, SQLite file (WAL, synchronous=normal), stopped with SIGTERM and restarted on the same file',
      },
      outage: {
        stopRequestedAtSecond: outageTimes.stopRequestedAt / 1000,
        stoppedAtSecond: outageTimes.stoppedAt / 1000,
        restartedAtSecond: outageTimes.restartedAt / 1000,
        readyAtSecond: outageTimes.readyAt / 1000,
        secondsWithoutTemporal: (outageTimes.readyAt - outageTimes.stopRequestedAt) / 1000,
      },
      load: { ...jalur.summary, timeline: undefined },
      checks: { ...checks, atEndOfLoad: { workflowsStarted: atEndOfLoad.workflowsStarted } },
      workflowStarts: {
        pending,
        outboxRowsByAttempts: outbox.rowsByAttempts,
        secondsFromLoadStartToLastStart: lastStartedAt ? elapsedSeconds(loadBeganAt, lastStartedAt.getTime()) : undefined,
        secondsFromLoadEndToLastStart: lastStartedAt ? elapsedSeconds(loadEndedAt, lastStartedAt.getTime()) : undefined,
        secondsFromTemporalBackToLastStart: lastStartedAt ? elapsedSeconds(temporalBackAt, lastStartedAt.getTime()) : undefined,
        // The journeys Temporal's absence held back (registered before it was back, not started before it went).
        heldBackByTheOutage: backlog.rows,
        secondsFromTemporalBackToFirstStart: backlog.firstStartAfterReturn ? elapsedSeconds(temporalBackAt, backlog.firstStartAfterReturn.getTime()) : undefined,
        secondsFromTemporalBackToLastHeldBackStart: backlog.lastStart ? elapsedSeconds(temporalBackAt, backlog.lastStart.getTime()) : undefined,
        secondsFromTemporalBackToLastStartByTemporal: elapsedSeconds(temporalBackAt, temporal.lastStartTime.getTime()),
        secondsToDrainAfterLoad: elapsedSeconds(loadEndedAt, drainedAt),
      },
      temporal: {
        accepted: ids.length,
        journeysDescribed: temporal.described,
        journeysMissing: temporal.missing,
        journeysByStatus: temporal.byStatus,
        journeyRunsInVisibility: temporal.runsInVisibility,
        startedOnce: temporal.missing === 0 && temporal.runsInVisibility === ids.length,
      },
      timelines: { answers: jalur.summary.timeline, journeyStartsPerSecond: outbox.startsPerSecond },
    };
    const resultFile = writeResult('temporal-outage', startedAt, result);
    writeChart(
      'temporal-outage',
      lineChartsSvg(
        `temporal-outage: ${COUNT} signups in ${SECONDS} s, Temporal stopped ${OUTAGE_SECONDS} s (${startedAt.toISOString().slice(0, 10)}, load avg ${loadAverageAfterLoad[0]!.toFixed(1)})`,
        [
          {
            title: 'per second: registrations accepted (202) and journeys started (outbox)',
            yLabel: 'per second',
            series: [
              { name: 'accepted (202)', color: '#1f77b4', points: timelinePoints(jalur.summary.timeline, 'accepted') },
              { name: 'journeys started', color: '#2ca02c', points: outbox.startsPerSecond },
            ],
          },
          {
            title: 'latency of the answers in each second (ms)',
            yLabel: 'ms',
            series: [
              // p95 first: drawn under the p99, which it would otherwise hide where they meet.
              { name: 'p95', color: '#ff7f0e', points: timelinePoints(jalur.summary.timeline, 'p95') },
              { name: 'p99', color: '#d62728', points: timelinePoints(jalur.summary.timeline, 'p99') },
              { name: 'p50', color: '#1f77b4', points: timelinePoints(jalur.summary.timeline, 'p50') },
            ],
          },
        ],
        'seconds since the load began',
        [{ from: outageTimes.stopRequestedAt / 1000, to: outageTimes.readyAt / 1000, label: 'Temporal stopped' }],
      ),
    );
    console.log(JSON.stringify({ ...result, timelines: undefined, resultFile }, null, 2));
  } finally {
    await stack.stop();
  }
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
