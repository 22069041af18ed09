/**
 * cluster-comparison: the same work on the default stack (`npm start`'s parts: the Temporal dev
 * server, one API, one worker) and on the production topology (`npm run cluster`: the Temporal
 * services apart on PostgreSQL, two API hosts behind HAProxy, two workers) with 1 and with 4
 * history shards, one after the other in one run on this machine. Per topology:
 *
 * - journeys: --journeys compressed journeys driven to COMPLETED over HTTP (bench/compressed-journeys.ts,
 *   through the balancer on the cluster): journeys a second, and state transitions a second (the
 *   server's own count per journey workflow, from describe());
 * - the signup spike: --spike signups sent open-loop over --spike-seconds: accepted, latency, 429s;
 * - the workflow-start relay: from the spike's first accepted signup until the outbox relays have
 *   started every one of its journeys: starts a second.
 *
 *   npm run bench -- cluster-comparison [--journeys 100] [--spike 10000] [--spike-seconds 20]
 *     [--topologies 'dev-server;cluster-1:shards=1;cluster-4:shards=4'] [--port-base 15500]
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../lib/config';
import { temporalConnectionOptions, temporalDataConverter } from '../lib/temporal/connection';
import { startCluster } from '../scripts/cluster/cluster';
import { argument, wholeNumber } from './command-line';
import { describeJourneys, runCompressedJourneys } from './compressed-journeys';
import { journeyFigures } from './journey-figures';
import { progressBar } from './progress-bar';
import { driveLoad, fetchResidents, planSignups, round, summarise, waitForAllStarted } from './signup-load';
import { ROOT, loadAverage, machine, startBenchStack, writeResult } from './stack-benchmark';

const SCENARIO = 'cluster-comparison';
const JOURNEYS = wholeNumber('journeys', 100);
const SPIKE = wholeNumber('spike', 10_000);
const SPIKE_SECONDS = wholeNumber('spike-seconds', 20);
const PORT_BASE = wholeNumber('port-base', 15_500);
const CONCURRENCY = 64;

interface Topology {
  name: string;
  /** Undefined: the default stack (dev server). */
  shards?: number;
}

function parseTopologies(text: string): Topology[] {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [name = '', settings = ''] = part.split(':', 2);
      if (name === 'dev-server') return { name };
      const shards = /^shards=(\d+)$/.exec(settings.trim());
      if (!shards) throw new Error(`topology "${part}": a cluster needs shards=N, e.g. cluster-4:shards=4`);
      return { name, shards: Number(shards[1]) };
    });
}

const TOPOLOGIES = parseTopologies(argument('topologies', 'dev-server;cluster-1:shards=1;cluster-4:shards=4'));

interface RunningTopology {
  apiUrl: string;
  simulatorsUrl: string;
  databaseUrl: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

async function startTopology(topology: Topology, log: (line: string) => void): Promise<RunningTopology> {
  const env = { NODE_ENV: 'development', LOG_LEVEL: 'warn' };
  if (topology.shards === undefined) {
    const { stack } = await startBenchStack({ scenario: `${SCENARIO}-${topology.name}`, portBase: PORT_BASE, run: { simulators: true, worker: true, api: true }, env });
    return { apiUrl: stack.apiUrl, simulatorsUrl: stack.simulatorsUrl, databaseUrl: stack.databaseUrl, env: stack.env, stop: () => stack.stop() };
  }
  const dataDir = path.join(ROOT, 'bench', 'results', `${SCENARIO}-${topology.name}-data`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const cluster = await startCluster({ dataDir, historyShards: topology.shards, output: log, env: { ...env, LOG_FORMAT: 'json' } });
  return { apiUrl: cluster.endpoints.apiUrl, simulatorsUrl: cluster.endpoints.simulatorsUrl, databaseUrl: cluster.databaseUrl, env: cluster.jalurEnv, stop: () => cluster.stop() };
}

async function measureJourneys(running: RunningTopology, label: string) {
  const bar = progressBar(`${label}: journeys`, JOURNEYS);
  const began = Date.now();
  const outcomes = await runCompressedJourneys(running, JOURNEYS, { cohortSize: JOURNEYS, cohortsInFlight: 1, concurrency: 50, onProgress: bar.update });
  const wallSeconds = (Date.now() - began) / 1000;
  bar.end();
  const config = loadConfig(running.env);
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const temporal = new Client({ connection, namespace: config.temporal.namespace, dataConverter: temporalDataConverter(config) });
    const finished = await describeJourneys(temporal, outcomes.map((outcome) => outcome.participantId));
    const completed = outcomes.filter((outcome) => outcome.stage === 'COMPLETED').length;
    return { completed, ...journeyFigures(finished, wallSeconds) };
  } finally {
    await connection.close();
  }
}

async function measureSpike(running: RunningTopology, label: string, residentOffset: number) {
  const residents = await fetchResidents(running.simulatorsUrl, residentOffset, SPIKE);
  const plan = planSignups(residents, { duplicate: 0, invalid: 0 });
  const bar = progressBar(`${label}: signups`, plan.length);
  const spikeStartedAt = Date.now();
  const { answers, durationMs, maxLagMs } = await driveLoad({
    url: `${running.apiUrl}/v1/registrations`,
    authorization: 'Bearer dev-backend',
    plan,
    seconds: SPIKE_SECONDS,
    concurrency: CONCURRENCY,
    maxRetries: 30,
    onProgress: bar.update,
  });
  bar.end();
  const summary = summarise(answers, durationMs, maxLagMs);
  const ids = answers.flatMap((answer) => (answer.participantId ? [answer.participantId] : []));
  process.stderr.write(`${label}: waiting for the relay to start ${ids.length} journeys\n`);
  const { lastStartedAt, pending } = await waitForAllStarted(running.databaseUrl, ids, 30 * 60_000);
  const relaySeconds = lastStartedAt ? (lastStartedAt.getTime() - spikeStartedAt) / 1000 : undefined;
  return {
    signups: {
      sent: summary.requests,
      accepted: summary.accepted,
      acceptedPerSecond: summary.acceptedPerSecond,
      latencyMs: summary.latencyMs,
      byStatus: summary.byStatus,
      retriedAfter429: summary.retriedAfter429,
      unanswered: summary.unanswered.byError,
    },
    relay: {
      started: ids.length - pending,
      pending,
      secondsFromFirstSignupToLastStart: relaySeconds === undefined ? undefined : round(relaySeconds, 1),
      startsPerSecond: relaySeconds ? round((ids.length - pending) / relaySeconds, 1) : undefined,
    },
  };
}

async function run() {
  const startedAt = new Date();
  const logFile = path.join(ROOT, 'bench', 'results', `${SCENARIO}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const logStream = fs.createWriteStream(logFile);
  const log = (line: string) => logStream.write(`${line}\n`);
  const results: Array<Record<string, unknown>> = [];
  for (const topology of TOPOLOGIES) {
    process.stderr.write(`${topology.name}: starting\n`);
    const loadBefore = loadAverage();
    const running = await startTopology(topology, log);
    try {
      const journeys = await measureJourneys(running, topology.name);
      // Residents the journeys did not use (they register residents they create); each topology
      // has its own simulated population, the same for all.
      const spike = await measureSpike(running, topology.name, 100_000);
      results.push({ topology: topology.name, historyShards: topology.shards ?? 'dev server (1, SQLite)', loadAverage: { before: loadBefore, after: loadAverage() }, journeys, ...spike });
    } finally {
      await running.stop();
    }
    const file = writeResult(SCENARIO, startedAt, {
      scenario: SCENARIO,
      date: startedAt.toISOString(),
      machine: machine(),
      command: `npm run bench -- ${SCENARIO} ${process.argv.slice(2).join(' ')}`.trim(),
      settings: { journeys: JOURNEYS, spike: SPIKE, spikeSeconds: SPIKE_SECONDS, topologies: TOPOLOGIES },
      topologiesRun: `${results.length} of ${TOPOLOGIES.length}`,
      results,
    });
    process.stderr.write(`${topology.name}: done (${file})\n`);
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  logStream.end();
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
