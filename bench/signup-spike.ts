/**
 * signup-spike: N distinct valid registrations (80,000) in S seconds (60), plus 2 % duplicate
 * NIKs and 2 % invalid bodies, against the local stack on the embedded PostgreSQL (or
 * --database-url, emptied first), and the same load against a bare Express + pg endpoint on the
 * same database (the baseline) in the same run. Prints JSON, writes it to bench/results/, and
 * draws throughput and latency over time to docs/bench/signup-spike[-whole-stack].svg.
 *
 * --whole-stack runs the stack exactly as `npm start` configures it: worker running, journeys
 * started at signup (the inline-start gate), info logs in the pretty format, Temporal on a file,
 * every setting at its default. Without it, the signup path alone: no worker, every start left
 * to the relay, warn logs.
 *
 *   npm run bench -- signup-spike [--whole-stack] [--count 80000] [--seconds 60] [--concurrency 512]
 *     [--database-url postgresql://...] [--port-base 26000] [--no-baseline] [--inline-start]
 *     [--with-worker] [--start-timeout 900] [--api-processes 1]
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { databaseDescription, externalDatabaseUrl } from './bench-database';
import { flag, positiveNumber } from './command-line';
import { type AnsweredRequest, checkSignups, fetchResidents, type PlannedRequest, planSignups, round, waitForAllStarted } from './signup-load';
import { apiPid, loadAverage, machine, ROOT, runSignupLoad, startBenchStack, timelinePoints, writeChart, writeResult } from './stack-benchmark';
import { lineChartsSvg } from './svg-chart';

const COUNT = positiveNumber('count', 80_000);
const SECONDS = positiveNumber('seconds', 60);
const CONCURRENCY = positiveNumber('concurrency', 512);
const WHOLE_STACK = flag('whole-stack');
const SCENARIO = WHOLE_STACK ? 'signup-spike-whole-stack' : 'signup-spike';
const DATABASE_URL = externalDatabaseUrl(process.env.BENCH_DATABASE_URL);
const PORT_BASE = positiveNumber('port-base', 26_000);
const BASELINE = !flag('no-baseline');
const INLINE_START = flag('inline-start');
const WITH_WORKER = flag('with-worker');
const START_TIMEOUT_SECONDS = positiveNumber('start-timeout', 900);
const API_PROCESSES = positiveNumber('api-processes', 1);

const runLoad = (label: string, url: string, plan: PlannedRequest[], serverPid: number, authorization?: string) =>
  runSignupLoad(label, { url, plan, serverPid, authorization, seconds: SECONDS, concurrency: CONCURRENCY });

async function startBaseline(port: number, databaseUrl: string): Promise<{ pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli', { paths: [ROOT] }), path.join(__dirname, 'baseline-server.ts')], {
    env: { ...process.env, BASELINE_PORT: String(port), DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`baseline exited with ${code}`)));
  });
  return {
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function run() {
  const startedAt = new Date();
  const loadBefore = loadAverage();
  process.stderr.write(`starting the stack (${WHOLE_STACK ? 'as npm start runs it' : 'Temporal dev server, simulators, API'})\n`);
  const { stack } = await startBenchStack({
    scenario: SCENARIO,
    databaseUrl: DATABASE_URL,
    portBase: PORT_BASE,
    run: { simulators: true, worker: WHOLE_STACK || WITH_WORKER, api: true },
    // npm start's environment (scripts/start.ts) and nothing else; the population is the default million.
    env: WHOLE_STACK
      ? { LOG_FORMAT: 'pretty' }
      : {
          NODE_ENV: 'development',
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
          TEMPORAL_TASK_QUEUE: 'bench-signup-spike',
          REGISTRATION_INLINE_START: INLINE_START ? 'true' : 'false',
          API_PROCESSES: String(API_PROCESSES),
          SIM_POPULATION_SIZE: String(Math.max(100_000, COUNT + 1_000)),
        },
    temporalOnFile: WHOLE_STACK,
  });
  try {
    const residents = await fetchResidents(stack.simulatorsUrl, 0, COUNT);
    const plan = planSignups(residents, { duplicate: 0.02, invalid: 0.02 });

    let baseline: Awaited<ReturnType<typeof runSignupLoad>>['summary'] | undefined;
    if (BASELINE) {
      const baselineServer = await startBaseline(PORT_BASE + 10, stack.databaseUrl);
      try {
        baseline = (await runLoad('baseline', `http://127.0.0.1:${PORT_BASE + 10}/v1/registrations`, plan, baselineServer.pid)).summary;
      } finally {
        await baselineServer.stop();
      }
    }

    const loadBeganAt = Date.now();
    const jalur = await runLoad('jalur', `${stack.apiUrl}/v1/registrations`, plan, apiPid(stack), 'Bearer dev-backend');
    const loadAverageDuringLoad = loadAverage();
    const checks = await checkSignups(stack.databaseUrl, jalur.answers);
    const ids = jalur.answers.flatMap((answer: AnsweredRequest) => (answer.participantId ? [answer.participantId] : []));
    process.stderr.write('waiting for the relay to start every journey\n');
    const { lastStartedAt, pending } = await waitForAllStarted(stack.databaseUrl, ids, START_TIMEOUT_SECONDS * 1000);
    const afterStarts = await checkSignups(stack.databaseUrl, jalur.answers);
    // With the worker running, each journey's first step is its verification mail: the backlog is
    // drained when the simulated mail server has taken one for every accepted registration.
    const lastMailAt = WHOLE_STACK || WITH_WORKER ? await waitForMails(stack.simulatorsUrl, ids.length, START_TIMEOUT_SECONDS * 1000) : undefined;

    const result = {
      scenario: SCENARIO,
      date: startedAt.toISOString(),
      machine: machine(),
      loadAverage: { before: loadBefore, afterJalurLoad: loadAverageDuringLoad },
      command: `npm run bench -- signup-spike ${process.argv.slice(2).join(' ')}`.trim(),
      settings: {
        count: COUNT,
        seconds: SECONDS,
        concurrency: CONCURRENCY,
        requests: plan.length,
        configuration: WHOLE_STACK ? 'npm start defaults (whole stack)' : 'signup path: no worker, starts by the relay, warn logs',
        database: databaseDescription(DATABASE_URL),
        inlineStart: WHOLE_STACK || INLINE_START,
        worker: WHOLE_STACK || WITH_WORKER,
        apiProcesses: WHOLE_STACK ? 1 : API_PROCESSES,
      },
      jalur: { ...jalur.summary, timeline: undefined },
      baseline: baseline && { ...baseline, timeline: undefined },
      ratioToBaseline: baseline ? round(jalur.summary.acceptedPerSecond / baseline.acceptedPerSecond, 2) : undefined,
      // What a signup costs the server, against the bare endpoint's cost: steadier than latency on a shared machine.
      serverCpuPerRequestToBaseline: baseline ? round(jalur.summary.cpu.serverMsPerRequest / baseline.cpu.serverMsPerRequest, 2) : undefined,
      checks: { ...afterStarts, atEndOfLoad: { workflowsStarted: checks.workflowsStarted } },
      workflowStarts: {
        pending,
        secondsFromLoadStartToLastStart: lastStartedAt ? Math.round((lastStartedAt.getTime() - loadBeganAt) / 100) / 10 : undefined,
      },
      backlog: lastMailAt === undefined ? undefined : { secondsFromLoadStartToLastVerificationMail: lastMailAt === null ? null : Math.round((lastMailAt - loadBeganAt) / 100) / 10 },
      timelines: { jalur: jalur.summary.timeline, baseline: baseline?.timeline },
    };
    const resultFile = writeResult(SCENARIO, startedAt, result);
    writeChart(
      SCENARIO,
      lineChartsSvg(`${SCENARIO}: ${COUNT} signups in ${SECONDS} s (${startedAt.toISOString().slice(0, 10)}, load avg ${loadAverageDuringLoad[0]!.toFixed(1)})`, [
        {
          title: 'registrations accepted per second',
          yLabel: 'accepted/s',
          series: [
            { name: 'Jalur', color: '#1f77b4', points: timelinePoints(jalur.summary.timeline, 'accepted') },
            ...(baseline ? [{ name: 'bare Express + pg', color: '#999', points: timelinePoints(baseline.timeline, 'accepted') }] : []),
          ],
        },
        {
          title: 'latency of the answers in each second (ms)',
          yLabel: 'ms',
          series: [
            { name: 'Jalur p99', color: '#d62728', points: timelinePoints(jalur.summary.timeline, 'p99') },
            { name: 'Jalur p50', color: '#1f77b4', points: timelinePoints(jalur.summary.timeline, 'p50') },
            ...(baseline ? [{ name: 'baseline p99', color: '#999', points: timelinePoints(baseline.timeline, 'p99') }] : []),
          ],
        },
      ]),
    );
    console.log(JSON.stringify({ ...result, timelines: undefined, resultFile }, null, 2));
  } finally {
    await stack.stop();
  }
}

/** Polls the simulated mail server until it has taken `count` mails; when it did (null: not by the deadline). */
async function waitForMails(simulatorsUrl: string, count: number, timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = (await (await fetch(`${simulatorsUrl}/sim/stats`)).json()) as { mail: { answered: { ok: number } } };
    if (stats.mail.answered.ok >= count) return Date.now();
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
