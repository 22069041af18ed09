/**
 * rule-set-simulation: RuleSetSimulator.simulate over N stored participants (default 1,000,000),
 * against the baseline, a hand-written plain-JavaScript predicate of the same two rule sets run
 * through the same reading and counting (same worker threads, block ranges and tallies); plus the per-core
 * decision rates of json-rules-engine and the compiled evaluator (bench/rules-throughput.ts).
 * Prints JSON and writes it to bench/results/.
 *
 *   npm run bench -- rule-set-simulation [--participants 1000000] [--workers 2] [--runs 3] [--worker-scaling 1,2,3]
 *     [--database-url postgresql://...] [--reseed] [--postgres-port 23350]
 *
 * The database is the embedded PostgreSQL 17 on --postgres-port, a new cluster in
 * bench/results/rule-set-simulation-data/postgres, stopped at the end, migrations applied and the
 * population seeded. --database-url names an external server instead, which must be a benchmark
 * database: migrations are applied and its participants are replaced by the seeded ones (kept for
 * the next run of the same size unless --reseed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureDefaultRuleSet, DEFAULT_RULE_SET_NAME } from '../activities/eligibility';
import { RuleSetSimulator, type SimulationReport } from '../api/rule-sets/rule-set-simulation';
import { createPrismaClient, type PrismaClient } from '../lib/database';
import { createLogger } from '../lib/logger';
import { validateRuleSet, formatRuleSetErrors } from '../rules';
import { applyMigrations } from '../scripts/stack/migrations';
import { databaseDescription, openBenchDatabase } from './bench-database';
import { BENCH_KEY_ID, POPULATION_REFERENCE_DATE, seedEligibilityFactsPopulation } from './eligibility-facts-population';
import { candidateRuleSetDefinition } from './hand-written-rules';
import { measureRulesThroughput, numberArgument } from './rules-throughput';
import { freshDataDirectory } from './stack-benchmark';

const TARGET_SECONDS_PER_MILLION = 15;
const BASELINE_WORKER = path.join(__dirname, 'rule-set-simulation.baseline-worker.ts');

function textArgument(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

function listArgument(args: readonly string[], name: string): number[] {
  const text = textArgument(args, name);
  if (text === undefined) return [];
  const values = text.split(',').map(Number);
  if (values.some((value) => !Number.isInteger(value) || value <= 0)) throw new Error(`--${name} needs positive whole numbers, comma-separated`);
  return values;
}

async function prepareDatabase(databaseUrl: string, prisma: PrismaClient, participants: number, reseed: boolean) {
  await applyMigrations(databaseUrl);
  await ensureDefaultRuleSet(prisma);
  const inForce = await prisma.ruleSet.findUniqueOrThrow({ where: { name_version: { name: DEFAULT_RULE_SET_NAME, version: 1 } } });
  const candidateDefinition = candidateRuleSetDefinition();
  const validation = validateRuleSet(candidateDefinition);
  if (!validation.ok) throw new Error(`the benchmark's candidate rule set is invalid: ${formatRuleSetErrors(validation.errors)}`);
  const candidateRow = await prisma.ruleSet.upsert({
    where: { name_version: { name: candidateDefinition.name, version: 1 } },
    create: { name: candidateDefinition.name, version: 1, status: 'DRAFT', description: candidateDefinition.description, rules: candidateDefinition.rules, createdBy: 'bench' },
    update: { description: candidateDefinition.description, rules: candidateDefinition.rules },
  });

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let seedSeconds: number | null = null;
  try {
    const counts = await client.query<{ facts: string; participants: string; bench: string }>(
      `SELECT (SELECT count(*) FROM "EligibilityFacts") AS facts, (SELECT count(*) FROM "Participant") AS participants,
              (SELECT count(*) FROM "Participant" WHERE "personalDataKeyId" = $1) AS bench`,
      [BENCH_KEY_ID],
    );
    const row = counts.rows[0];
    const alreadySeeded = row !== undefined && Number(row.facts) === participants && Number(row.participants) === participants && Number(row.bench) === participants;
    if (reseed || !alreadySeeded) {
      console.error(`seeding ${participants} participants into ${new URL(databaseUrl).pathname.slice(1)}...`);
      const startedAt = performance.now();
      await seedEligibilityFactsPopulation(client, { participants, ruleSetId: inForce.id, ruleSetVersion: inForce.version });
      seedSeconds = Number(((performance.now() - startedAt) / 1000).toFixed(1));
    }
  } finally {
    await client.end();
  }
  return { candidate: { ...validation.ruleSet, id: candidateRow.id, version: candidateRow.version }, seedSeconds };
}

/** The report without its timing, to check that two evaluators found exactly the same. */
function findings(report: SimulationReport): Omit<SimulationReport, 'durationMs'> {
  const { durationMs: _durationMs, ...rest } = report;
  return rest;
}

type Run = { seconds: number; cpuSeconds: number };
type Timed = { cold: Run; warm: Run[]; report: SimulationReport };

async function timedRun(simulator: RuleSetSimulator, request: Parameters<RuleSetSimulator['simulate']>[0]): Promise<{ run: Run; report: SimulationReport }> {
  // The whole process, worker threads included (PostgreSQL's own work is not in it).
  const cpuBefore = process.cpuUsage();
  const report = await simulator.simulate(request);
  const cpu = process.cpuUsage(cpuBefore);
  return { run: { seconds: report.durationMs / 1000, cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)) }, report };
}

/**
 * Each simulator's first run on fresh workers (they start on first use), then warm runs as the API
 * serves them, taking turns so that both face the same neighbours on a shared machine.
 */
async function timeInTurns(simulators: readonly RuleSetSimulator[], request: Parameters<RuleSetSimulator['simulate']>[0], warmRuns: number): Promise<Timed[]> {
  const timed: Timed[] = [];
  for (const simulator of simulators) {
    const cold = await timedRun(simulator, request);
    timed.push({ cold: cold.run, warm: [], report: cold.report });
  }
  for (let index = 0; index < warmRuns; index += 1) {
    for (const [position, simulator] of simulators.entries()) {
      const { run, report } = await timedRun(simulator, request);
      timed[position]!.warm.push(run);
      timed[position]!.report = report;
    }
  }
  return timed;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

/** On a shared machine the fastest run is the one least slowed by others; the median says what to expect. */
function summary(timed: Timed, what: string) {
  const seconds = timed.warm.map((run) => run.seconds);
  return {
    bestSeconds: Math.min(...seconds),
    medianSeconds: median(seconds),
    coldSeconds: timed.cold.seconds,
    medianCpuSeconds: median(timed.warm.map((run) => run.cpuSeconds)),
    warmRuns: timed.warm,
    what,
  };
}

export async function main(args: readonly string[]): Promise<void> {
  const externalUrl = textArgument(args, 'database-url');
  const participants = numberArgument(args, 'participants', 1_000_000);
  const workerCount = numberArgument(args, 'workers', os.availableParallelism());
  const warmRuns = numberArgument(args, 'runs', 3);
  const workerScaling = listArgument(args, 'worker-scaling');
  const loadBefore = os.loadavg();

  const { dataDir, log } = freshDataDirectory('rule-set-simulation');
  const database = await openBenchDatabase({ externalUrl, dataDir, port: numberArgument(args, 'postgres-port', 23_350), log });
  const databaseUrl = database.url;
  const prisma = createPrismaClient(databaseUrl, { maxConnections: 2 });
  const logger = createLogger('bench', 'warn');
  const simulators: RuleSetSimulator[] = [];
  const newSimulator = (options: { workerCount: number; workerModule?: string }) => {
    const simulator = new RuleSetSimulator({ prisma, logger, databaseUrl, ...options });
    simulators.push(simulator);
    return simulator;
  };
  try {
    const { candidate, seedSeconds } = await prepareDatabase(databaseUrl, prisma, participants, args.includes('--reseed'));
    const request = { candidate, evaluationDate: POPULATION_REFERENCE_DATE, exampleLimit: 10 };

    const [compiled, baseline] = await timeInTurns([newSimulator({ workerCount }), newSimulator({ workerCount, workerModule: BASELINE_WORKER })], request, warmRuns);
    if (compiled === undefined || baseline === undefined) throw new Error('unreachable: two simulators were timed');
    if (compiled.report.baseline?.name !== DEFAULT_RULE_SET_NAME) {
      throw new Error(`expected "${DEFAULT_RULE_SET_NAME}" in force on ${request.evaluationDate}, found ${JSON.stringify(compiled.report.baseline)}`);
    }
    const agree = JSON.stringify(findings(compiled.report)) === JSON.stringify(findings(baseline.report));

    // Every worker count in turn, run after run, so they meet the same neighbours.
    const scalingRuns = await timeInTurns(workerScaling.map((workers) => newSimulator({ workerCount: workers })), request, 3);
    const scaling = workerScaling.map((workers, index) => {
      const runs = scalingRuns[index]?.warm ?? [];
      return { workers, bestSeconds: Math.min(...runs.map((run) => run.seconds)), medianSeconds: median(runs.map((run) => run.seconds)), medianCpuSeconds: median(runs.map((run) => run.cpuSeconds)) };
    });

    const throughput = await measureRulesThroughput({ inputs: 200_000, engineInputs: 20_000 });
    const simulate = summary(compiled, 'RuleSetSimulator.simulate with the compiled evaluator: both versions decided for every participant; warm runs (cold: the first, workers starting)');
    const baselineSummary = summary(baseline, 'the same simulate with a hand-written plain-JavaScript predicate of both rule sets in the workers');
    const perMillion = 1_000_000 / participants;
    const result = {
      benchmark: 'rule-set-simulation',
      date: new Date().toISOString(),
      node: process.version,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.availableParallelism(),
      memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      loadAverageBefore: loadBefore.map((load) => Number(load.toFixed(2))),
      loadAverageAfter: os.loadavg().map((load) => Number(load.toFixed(2))),
      settings: { database: databaseDescription(externalUrl) },
      participants: compiled.report.participants + compiled.report.bornAfterEvaluationDate,
      seedSeconds,
      workers: workerCount,
      candidate: candidate.name,
      inForce: compiled.report.baseline.name,
      evaluationDate: request.evaluationDate,
      simulate,
      baseline: baselineSummary,
      simulateOverBaseline: {
        best: Number((simulate.bestSeconds / baselineSummary.bestSeconds).toFixed(2)),
        /** The median of each turn's ratio: runs side by side met the same load. */
        medianOfTurns: Number(median(compiled.warm.map((run, index) => run.seconds / (baseline.warm[index]?.seconds ?? Number.NaN))).toFixed(2)),
        cpu: Number((simulate.medianCpuSeconds / baselineSummary.medianCpuSeconds).toFixed(2)),
      },
      target: {
        secondsPerMillion: TARGET_SECONDS_PER_MILLION,
        metByBest: simulate.bestSeconds * perMillion < TARGET_SECONDS_PER_MILLION,
        metByMedian: simulate.medianSeconds * perMillion < TARGET_SECONDS_PER_MILLION,
      },
      reportsAgree: agree,
      workerScaling: scaling,
      decisionsPerSecondPerCore: throughput.decisionsPerSecondPerCore,
      throughputDisagreements: throughput.disagreements,
      report: { ...findings(compiled.report), examples: compiled.report.examples.slice(0, 3) },
    };
    const text = JSON.stringify(result, null, 2);
    console.log(text);
    const resultsDir = path.join(__dirname, 'results');
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(path.join(resultsDir, `rule-set-simulation-${result.date.replace(/[:.]/g, '-')}.json`), `${text}\n`);
    if (!agree || throughput.disagreements.compiledVersusBaseline > 0 || throughput.disagreements.compiledVersusJsonRulesEngine > 0) {
      console.error('the evaluators disagree: see the result');
      process.exitCode = 1;
    }
  } finally {
    await Promise.all(simulators.map((simulator) => simulator.close()));
    await prisma.$disconnect();
    await database.stop();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
