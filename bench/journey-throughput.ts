/**
 * journey-throughput: whole participant journeys per second on the compressed calendar
 * (registration, email verification through the simulated mail, the registry checks, a wave,
 * selection, training bought and finished by the platforms' webhooks, four incentives, three
 * surveys, payments), driven over HTTP by the reliability suite's own driver
 * (bench/compressed-journeys.ts), once per worker-settings variant. The stack
 * (Temporal dev server, simulators, API) starts once on the embedded PostgreSQL 17, new for the
 * run (or --database-url / BENCH_DATABASE_URL, emptied first); each variant gets
 * worker processes of its own (`processes=2`: two) with its settings, and its journeys a wave of their own.
 *
 * Per variant: journeys completed per second, state transitions per second (the server's own
 * count per journey workflow, from describe()) and history events per second, p50/p95 journey
 * duration (workflow start to close), the worker's resident memory per cached workflow (its
 * process tree's RSS with every journey waiting for the wave, against the same worker idle before
 * any journey, which counts its warm-up too, and against the variant caching fewest at that
 * moment; the cache size is the SDK's own gauge), and the SDK's sticky-cache hits and misses.
 * Prints JSON, writes it to bench/results/, draws docs/bench/journey-throughput.svg.
 *
 *   npm run bench -- journey-throughput [--journeys 200] [--concurrency 50]
 *     [--variants 'defaults;small-cache:cache=20,workflow-slots=10']
 *     [--database-url postgresql://...] [--port-base 15000]
 */
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../lib/config';
import { temporalConnectionOptions, temporalDataConverter } from '../lib/temporal/connection';
import { type ManagedChild } from '../scripts/stack/child-process';
import { type LocalStack, startJalurProcess } from '../scripts/stack/local-stack';
import { loadAverage, machine, startBenchStack, writeChart, writeResult } from './stack-benchmark';
import { databaseDescription, externalDatabaseUrl } from './bench-database';
import { argument, wholeNumber } from './command-line';
import { describeJourneys, runCompressedJourneys } from './compressed-journeys';
import { bytesPerCachedWorkflow, journeyFigures, metricSum, parseWorkerVariants, type WorkerVariant, workerEnvironment } from './journey-figures';
import { progressBar } from './progress-bar';
import { round } from './signup-load';
import { lineChartsSvg } from './svg-chart';

const TASK_QUEUE = 'bench-journeys';

const JOURNEYS = wholeNumber('journeys', 200);
const CONCURRENCY = wholeNumber('concurrency', 50);
const VARIANTS = parseWorkerVariants(argument('variants', 'defaults;small-cache:cache=20,workflow-slots=10'));
const DATABASE_URL = externalDatabaseUrl(process.env.BENCH_DATABASE_URL);
const PORT_BASE = wholeNumber('port-base', 15_000);
const SAMPLE_EVERY_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const megabytes = (bytes: number) => round(bytes / 2 ** 20, 1);

/** Resident memory of a process and its descendants (tsx runs the worker in a child of its own), from /proc. */
function processTreeRssBytes(pid: number): number {
  // Threads and processes come and go while this reads: one gone is skipped.
  const read = (file: string) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`))?.[1] ?? 0) * 1024;
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return rss;
  }
  const children = tasks.flatMap((task) => read(`/proc/${pid}/task/${task}/children`).split(' ').filter(Boolean).map(Number));
  return children.reduce((sum, child) => sum + processTreeRssBytes(child), rss);
}

/** The worker's SDK metrics, or undefined until it serves them. */
async function workerMetrics(metricsUrl: string): Promise<string | undefined> {
  try {
    const answer = await fetch(metricsUrl);
    return answer.ok ? await answer.text() : undefined;
  } catch {
    return undefined;
  }
}

const cachedWorkflows = (metrics: string) => metricSum(metrics, 'temporal_sticky_cache_size', { task_queue: TASK_QUEUE });

interface Sample {
  second: number;
  completed: number;
  rssMb: number;
  cached: number;
}

/** A variant's worker processes, read as one: their metrics side by side, their memory summed. */
function workerGroup(workers: ManagedChild[], metricsUrls: string[]) {
  return {
    metrics: async () => (await Promise.all(metricsUrls.map(workerMetrics))).map((text) => text ?? '').join('\n'),
    rssBytes: () => workers.reduce((sum, worker) => sum + processTreeRssBytes(worker.process.pid!), 0),
  };
}

async function runVariant(variant: WorkerVariant, index: number, stack: LocalStack, temporal: Client, log: (line: string) => void) {
  const processes = variant.settings.processes ?? 1;
  const metricsUrls = Array.from({ length: processes }, (_, workerIndex) => `http://127.0.0.1:${PORT_BASE + 100 + index * 10 + workerIndex}/metrics`);
  process.stderr.write(`variant ${variant.name}: starting ${processes} worker process(es) (${JSON.stringify(variant.settings)})\n`);
  const workers: ManagedChild[] = [];
  try {
    for (const [workerIndex, metricsUrl] of metricsUrls.entries()) {
      const address = new URL(metricsUrl).host;
      workers.push(await startJalurProcess('worker', { ...stack.env, WORKER_METRICS_ADDRESS: address, ...workerEnvironment(variant) }, (line) => log(`[worker ${variant.name} ${workerIndex}] ${line}`)));
    }
    // Ready once every process polls the journeys' queue: its slots show in its metrics.
    for (const metricsUrl of metricsUrls) {
      for (const deadline = Date.now() + 180_000; !(await workerMetrics(metricsUrl))?.includes(`task_queue="${TASK_QUEUE}"`); await sleep(500)) {
        if (Date.now() > deadline) throw new Error(`a ${variant.name} worker did not poll ${TASK_QUEUE} within 180 s`);
      }
    }
    await sleep(3_000);
    const group = workerGroup(workers, metricsUrls);
    const idle = { rssBytes: group.rssBytes(), cached: cachedWorkflows(await group.metrics()) };

    const began = Date.now();
    let completed = 0;
    const samples: Sample[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const metrics = await group.metrics();
        samples.push({ second: round((Date.now() - began) / 1000, 1), completed, rssMb: megabytes(group.rssBytes()), cached: cachedWorkflows(metrics) });
        await sleep(SAMPLE_EVERY_MS);
      }
    })();

    let waiting: { rssBytes: number; cached: number; second: number } | undefined;
    const bar = progressBar(variant.name, JOURNEYS);
    // One cohort, one wave: every journey of the variant waits for the same wave, as in a real one.
    const outcomes = await runCompressedJourneys(stack, JOURNEYS, {
      cohortSize: JOURNEYS,
      cohortsInFlight: 1,
      concurrency: CONCURRENCY,
      onProgress: (done) => {
        completed = done;
        bar.update(done);
      },
      // Every journey waits for the wave and the driver has stopped asking: the worker holds
      // them between tasks, nothing else. A few seconds for the last tasks to finish.
      onCohortApplied: async () => {
        await sleep(5_000);
        waiting = { rssBytes: group.rssBytes(), cached: cachedWorkflows(await group.metrics()), second: round((Date.now() - began) / 1000, 1) };
      },
    });
    bar.end();
    const wallSeconds = (Date.now() - began) / 1000;
    sampling = false;
    await sampler;
    // Completed journeys leave the cache: the same worker, warmed up, with (nearly) nothing cached.
    await sleep(5_000);
    const finalMetrics = await group.metrics();
    const afterwards = { rssBytes: group.rssBytes(), cached: cachedWorkflows(finalMetrics) };

    const finished = await describeJourneys(temporal, outcomes.map((outcome) => outcome.participantId));
    const perCached = waiting ? bytesPerCachedWorkflow(idle, waiting) : undefined;
    const perCachedOverAfterwards = (fewer: typeof afterwards, more: typeof afterwards) => {
      const bytes = bytesPerCachedWorkflow(fewer, more);
      return bytes === undefined ? undefined : round(bytes / 1024, 1);
    };
    return {
      variant: variant.name,
      settings: variant.settings,
      stages: outcomes.reduce<Record<string, number>>((counts, outcome) => ({ ...counts, [outcome.stage]: (counts[outcome.stage] ?? 0) + 1 }), {}),
      ...journeyFigures(finished, wallSeconds),
      worker: {
        idle: { rssMb: megabytes(idle.rssBytes), cached: idle.cached },
        allWaitingForTheWave: waiting && { rssMb: megabytes(waiting.rssBytes), cached: waiting.cached, second: waiting.second },
        afterAllCompleted: { rssMb: megabytes(afterwards.rssBytes), cached: afterwards.cached },
        peakRssMb: Math.max(...samples.map((sample) => sample.rssMb)),
        // Over idle: an upper bound (includes the worker's own warm-up). Over afterwards: a lower
        // bound (V8 and malloc keep freed pages).
        kbPerCachedWorkflow: perCached === undefined ? undefined : round(perCached / 1024, 1),
        kbPerCachedWorkflowOverAfterwards: waiting && perCachedOverAfterwards(afterwards, waiting),
        stickyCache: {
          hits: metricSum(finalMetrics, 'temporal_sticky_cache_hit_total', { task_queue: TASK_QUEUE }),
          misses: metricSum(finalMetrics, 'temporal_sticky_cache_miss_total', { task_queue: TASK_QUEUE }),
          forcedEvictions: metricSum(finalMetrics, 'temporal_sticky_cache_total_forced_eviction_total', { task_queue: TASK_QUEUE }),
        },
        workflowTasks: metricSum(finalMetrics, 'temporal_workflow_task_execution_latency_count', { task_queue: TASK_QUEUE }),
      },
      loadAverageAfter: loadAverage(),
      samples,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop(30_000)));
  }
}

async function run() {
  const startedAt = new Date();
  const loadBefore = loadAverage();
  process.stderr.write('starting the stack (Temporal dev server, simulators, API; a worker per variant)\n');
  const { stack, log } = await startBenchStack({
    scenario: 'journey-throughput',
    databaseUrl: DATABASE_URL,
    portBase: PORT_BASE,
    run: { simulators: true, worker: false, api: true },
    env: { NODE_ENV: 'development', LOG_LEVEL: 'warn', TEMPORAL_TASK_QUEUE: TASK_QUEUE },
  });
  const config = loadConfig(stack.env);
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const temporal = new Client({ connection, namespace: config.temporal.namespace, dataConverter: temporalDataConverter(config) });

    const variants: Array<Awaited<ReturnType<typeof runVariant>>> = [];
    // Written after every variant: a run stopped halfway keeps the variants it finished.
    const report = () => {
      const loadAfter = loadAverage();
      // Across variants at the same moment (every journey waiting for the wave): the extra RSS of
      // the variant caching more, over the extra workflows it caches; each worker did the same work.
      const waiting = variants.flatMap((variant) => (variant.worker.allWaitingForTheWave ? [{ name: variant.variant, rssBytes: variant.worker.allWaitingForTheWave.rssMb * 2 ** 20, cached: variant.worker.allWaitingForTheWave.cached }] : []));
      const fewest = waiting.reduce<(typeof waiting)[number] | undefined>((least, entry) => (!least || entry.cached < least.cached ? entry : least), undefined);
      const most = waiting.reduce<(typeof waiting)[number] | undefined>((top, entry) => (!top || entry.cached > top.cached ? entry : top), undefined);
      const acrossVariants = fewest && most ? bytesPerCachedWorkflow(fewest, most) : undefined;

      const result = {
        scenario: 'journey-throughput',
        date: startedAt.toISOString(),
        machine: machine(),
        loadAverage: { before: loadBefore, after: loadAfter },
        command: `npm run bench -- journey-throughput ${process.argv.slice(2).join(' ')}`.trim(),
        settings: {
          journeysPerVariant: JOURNEYS,
          driverConcurrency: CONCURRENCY,
          taskQueue: TASK_QUEUE,
          database: databaseDescription(DATABASE_URL),
          stateTransitions: 'the server\'s stateTransitionCount of each journey workflow (describe()), summed over the variant\'s wall time; history events beside it',
        },
        memoryPerCachedWorkflow: {
          method: 'RSS of the worker process tree (/proc VmRSS) with every journey waiting for the wave, minus the same worker idle before any journey, over the SDK gauge temporal_sticky_cache_size; and across variants at that moment',
          acrossVariants: fewest && most && acrossVariants !== undefined ? { kb: round(acrossVariants / 1024, 1), between: [fewest.name, most.name] } : undefined,
        },
        variantsRun: `${variants.length} of ${VARIANTS.length}`,
        variants: variants.map((variant) => ({ ...variant, samples: undefined })),
      };
      const resultFile = writeResult('journey-throughput', startedAt, { ...result, variants });

      const colors = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
      const series = (key: 'completed' | 'rssMb' | 'cached') =>
        variants.map((variant, index) => ({ name: variant.variant, color: colors[index % colors.length]!, points: variant.samples.map((sample) => [sample.second, sample[key]] as [number, number]) }));
      writeChart(
        'journey-throughput',
        lineChartsSvg(
          `journey-throughput: ${JOURNEYS} journeys per variant (${startedAt.toISOString().slice(0, 10)}, load avg ${loadBefore[0]!.toFixed(1)} → ${loadAfter[0]!.toFixed(1)})`,
          [
            { title: 'journeys completed (cumulative)', yLabel: 'journeys', series: series('completed') },
            { title: 'workflows in the worker\'s cache (SDK gauge)', yLabel: 'cached', series: series('cached') },
            { title: 'worker RSS (MB, process tree)', yLabel: 'MB', series: series('rssMb') },
          ],
          'seconds since the variant\'s first registration',
        ),
      );
      return { ...result, resultFile };
    };
    for (const [index, variant] of VARIANTS.entries()) {
      variants.push(await runVariant(variant, index, stack, temporal, log));
      report();
    }
    console.log(JSON.stringify(report(), null, 2));
  } finally {
    await connection.close();
    await stack.stop();
  }
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
