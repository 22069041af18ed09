// What the benchmarks run on the local stack share: an emptied database, a data directory for the
// stack's files and log, the signup load behind a progress bar, the machine's description, and
// where the result JSON and the chart go.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../scripts/stack/local-stack';
import { cpuBetween, cpuSnapshot } from './cpu-accounting';
import { progressBar } from './progress-bar';
import { driveLoad, type LoadSummary, type PlannedRequest, round, summarise } from './signup-load';

export const ROOT = path.join(__dirname, '..');

/** Drops and recreates the public schema: the stack applies the migrations to an empty database. */
export async function emptyDatabase(url: string): Promise<void> {
  process.stderr.write(`emptying ${url.replace(/:[^:@/]+@/, ':***@')}\n`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA public CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}

/** bench/results/<scenario>-data, emptied, and a log file in it for the stack's output. */
export function freshDataDirectory(scenario: string): { dataDir: string; log: (line: string) => void } {
  const dataDir = path.join(ROOT, 'bench', 'results', `${scenario}-data`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const stream = fs.createWriteStream(path.join(dataDir, 'stack.log'));
  return { dataDir, log: (line) => stream.write(`${line}\n`) };
}

export interface BenchStack {
  stack: LocalStack;
  /** The scenario's JALUR_DATA_DIR, emptied first. */
  dataDir: string;
  /** Appends a line to the scenario's stack.log. */
  log: (line: string) => void;
}

/**
 * The local stack on an emptied database, ports from `portBase` (API, simulators +1, SMTP +2,
 * Temporal +3, its UI +4), every process's output in bench/results/<scenario>-data/stack.log;
 * the caller's env goes to every Jalur process.
 */
export async function startBenchStack(options: {
  scenario: string;
  /** An external PostgreSQL, emptied first; unset: the embedded one, new in the scenario's data folder (as `npm start` runs it). */
  databaseUrl?: string;
  portBase: number;
  run: LocalStackOptions['run'];
  env: NodeJS.ProcessEnv;
  /** Keep the dev server's state in <dataDir>/temporal.sqlite, so it can be stopped and started again. */
  temporalOnFile?: boolean;
}): Promise<BenchStack> {
  if (options.databaseUrl) await emptyDatabase(options.databaseUrl);
  const { dataDir, log } = freshDataDirectory(options.scenario);
  const { portBase } = options;
  const stack = await startLocalStack({
    host: '127.0.0.1',
    apiPort: portBase,
    simulatorsPort: portBase + 1,
    smtpPort: portBase + 2,
    temporal: { devPort: portBase + 3, uiPort: portBase + 4, ...(options.temporalOnFile ? { dbFile: path.join(dataDir, 'temporal.sqlite') } : {}) },
    database: { url: options.databaseUrl, embeddedPort: portBase + 5, dataDir: path.join(dataDir, 'postgres') },
    run: options.run,
    env: { JALUR_DATA_DIR: dataDir, ...options.env },
    output: log,
  });
  return { stack, dataDir, log };
}

export const loadAverage = () => os.loadavg().map((value) => round(value, 2));

export function machine() {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}

export interface SignupLoadOptions {
  url: string;
  plan: PlannedRequest[];
  seconds: number;
  concurrency: number;
  authorization?: string;
  /** The server's process (its descendants count too), for where the CPU went during the load. */
  serverPid: number;
}

/** The signup load with a progress bar; every answer, their summary, and who used the CPU meanwhile. */
export async function runSignupLoad(label: string, options: SignupLoadOptions) {
  const bar = progressBar(label, options.plan.length);
  const before = cpuSnapshot();
  const { answers, durationMs, maxLagMs } = await driveLoad({ ...options, maxRetries: 30, onProgress: bar.update });
  const cpu = cpuBetween(before, cpuSnapshot(), options.serverPid);
  bar.end();
  const summary = summarise(answers, durationMs, maxLagMs);
  return { answers, summary: { ...summary, cpu: { ...cpu, serverMsPerRequest: round((cpu.seconds.server * 1000) / summary.requests, 2) } } };
}

/** The API's process in a stack (with API_PROCESSES > 1, the cluster's primary). */
export function apiPid(stack: LocalStack): number {
  const pid = stack.children.find((child) => child.name === 'api')?.process.pid;
  if (pid === undefined) throw new Error('the stack runs no API process');
  return pid;
}

/** One series of a load's timeline as chart points. */
export function timelinePoints(timeline: LoadSummary['timeline'] | undefined, key: 'accepted' | 'answered' | 'p50' | 'p95' | 'p99'): Array<[number, number]> {
  return (timeline ?? []).map((second) => [second.second, second[key]]);
}

/** Writes bench/results/<scenario>-<date>.json; returns its path. */
export function writeResult(scenario: string, startedAt: Date, result: unknown): string {
  const resultsDir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const resultFile = path.join(resultsDir, `${scenario}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  return resultFile;
}

/** Writes docs/bench/<scenario>.svg; returns its path. */
export function writeChart(scenario: string, svg: string): string {
  const chartDir = path.join(ROOT, 'docs', 'bench');
  fs.mkdirSync(chartDir, { recursive: true });
  const chartFile = path.join(chartDir, `${scenario}.svg`);
  fs.writeFileSync(chartFile, svg);
  return chartFile;
}

export const elapsedSeconds = (fromMs: number, toMs: number) => Math.round((toMs - fromMs) / 100) / 10;
