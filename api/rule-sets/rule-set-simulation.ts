// The computation behind POST /v1/rule-sets/:id/simulate: how many eligibility decisions over the
// stored population (EligibilityFacts) a candidate rule set would change against the version in
// force, by reason and province, with examples. Both versions are decided with the compiled
// evaluator on the same facts and date, in worker threads that each read their share of the table
// with pg (Prisma is too slow for a million rows), all in one snapshot of it; json-rules-engine
// stays the per-participant path.
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import type { PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { startOfProgramDay } from '../../lib/program-day';
import { DEFAULT_PROGRAM_TERMS, maxPayoutUnder, type ProgramTerms } from '../../lib/program-terms';
import { findRuleSetInForce } from '../../lib/rule-set-in-force';
import { formatRuleSetErrors, isCalendarDate, validateRuleSet, type CompiledDecision, type RuleSetDefinition, type ValidatedRuleSet } from '../../rules';
import { ConflictError, ValidationError } from '../errors';
import { emptyTally, flippedCriteria, mergeTally, pickExamples, type ChangeKind, type SimulationTally } from './rule-set-simulation-tally';
import type { BlockRange, MainToWorkerMessage, SimulationJob, WorkerToMainMessage } from './rule-set-simulation-worker-loop';

export const DEFAULT_EXAMPLE_LIMIT = 10;
export const MAX_EXAMPLE_LIMIT = 100;

export interface RuleSetSimulatorDependencies {
  prisma: PrismaClient;
  logger: Logger;
  /** The database the facts are read from (config.database.url): the workers connect with pg directly. */
  databaseUrl: string;
  /** Worker threads; default one per core. Each holds one database connection while simulating. */
  workerCount?: number;
  /** Table blocks per query (8 kB each, ~50 participants); default 128, ~1 MB. */
  blocksPerRange?: number;
  /** The worker's entry module; default the compiled evaluator's. The benchmark runs its hand-written baseline through it. */
  workerModule?: string;
}

export interface SimulationRequest {
  candidate: ValidatedRuleSet & { id: string; version: number };
  /** YYYY-MM-DD: ages are computed on it, and the version in force on it is the baseline. */
  evaluationDate: string;
  /** Default 10, at most 100. */
  exampleLimit?: number;
}

export type RuleSetIdentity = { id: string; version: number; name: string };

export interface SimulationReport {
  candidate: RuleSetIdentity;
  /** The version in force on the evaluation date; null when none was, and then everyone counts as changed. */
  baseline: RuleSetIdentity | null;
  evaluationDate: string;
  /** Participants decided (stored facts), not counting those born after the evaluation date. */
  participants: number;
  /** Stored participants born after the evaluation date: they have no age on it, so they are left out. */
  bornAfterEvaluationDate: number;
  /** Same outcome, same priority and the same reasons under both versions. */
  unchanged: number;
  changed: {
    /** participants - unchanged: each changed participant once. */
    total: number;
    becameEligible: number;
    becameIneligible: number;
    /** Same outcome, different priority points. */
    priorityChanged: number;
    /** Same outcome (ineligible), different reasons; may overlap priorityChanged. */
    reasonsChanged: number;
  };
  /** Every reason code of either version, most changed first. */
  byReason: Array<{ code: string; newlyFailing: number; noLongerFailing: number; failingBefore: number; failingAfter: number }>;
  /** Every province with stored participants, by name. */
  byProvince: Array<{ province: string; participants: number; changed: number; becameEligible: number; becameIneligible: number }>;
  /**
   * The money the change commits or releases, at the program's terms (the 2020 terms: the training
   * balance plus every incentive and survey payment, Rp 3,550,000 a person): a person who becomes
   * eligible may receive all of it, one who becomes ineligible no longer. An upper bound, since not
   * everyone eligible is selected in a wave.
   */
  committedMoney: { terms: ProgramTerms; perParticipant: number; newlyCommitted: number; released: number; netChange: number };
  /** Changed participants, taken in turn from each kind of change, smallest participant ids first within a kind; each with the criteria that flipped. */
  examples: Array<{
    participantId: string;
    change: ChangeKind;
    before: CompiledDecision | null;
    after: CompiledDecision;
    flipped: { newlyFailing: string[]; noLongerFailing: string[]; priorityChange: number };
  }>;
  durationMs: number;
}

/** The table's blocks in ranges for the workers to take in turn; the last one runs to the end of the table. */
export function blockRanges(blockCount: number, blocksPerRange: number): BlockRange[] {
  const ranges: BlockRange[] = [];
  for (let fromBlock = 0; fromBlock + blocksPerRange < blockCount; fromBlock += blocksPerRange) ranges.push({ fromBlock, toBlock: fromBlock + blocksPerRange });
  ranges.push({ fromBlock: ranges.length * blocksPerRange, toBlock: null });
  return ranges;
}

/**
 * The facts table as of one moment: a read-only transaction whose snapshot the workers import, so
 * each participant is read once, as it was then, even while decisions update rows.
 */
async function openFactsSnapshot(databaseUrl: string, logger: Logger): Promise<{ snapshot: string; blockCount: number; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'jalur-rule-set-simulation' });
  // A connection lost while the workers read fails their transactions; here it must not crash the process.
  client.on('error', (error) => logger.warn({ err: error }, 'rule-set simulation lost its snapshot connection'));
  let connected = false;
  try {
    await client.connect();
    connected = true;
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
    const size = await client.query<{ blocks: string }>(`SELECT pg_relation_size('"EligibilityFacts"') / current_setting('block_size')::int AS blocks`);
    const blockCount = Number(size.rows[0]?.blocks ?? 0);
    return { snapshot, blockCount, close: () => client.end() };
  } catch (error) {
    if (connected) await client.end().catch(() => undefined);
    throw new Error(`rule-set simulation could not open the facts table: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

let nextJobId = 1;

export class RuleSetSimulator {
  private readonly pool: SimulationWorkerPool;
  /** One simulation at a time: they share the workers, and each already uses every core. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: RuleSetSimulatorDependencies) {
    const workerCount = deps.workerCount ?? os.availableParallelism();
    if (!Number.isInteger(workerCount) || workerCount < 1) throw new Error('workerCount must be a whole number of at least 1');
    this.pool = new SimulationWorkerPool(deps.workerModule ?? path.join(__dirname, 'rule-set-simulation.worker.ts'), workerCount);
  }

  simulate(request: SimulationRequest): Promise<SimulationReport> {
    const run = this.queue.then(() => this.simulateNow(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops the worker threads; a simulation under way fails. */
  close(): Promise<void> {
    return this.pool.close();
  }

  private async simulateNow({ candidate, evaluationDate, exampleLimit = DEFAULT_EXAMPLE_LIMIT }: SimulationRequest): Promise<SimulationReport> {
    if (!isCalendarDate(evaluationDate)) throw new ValidationError('evaluationDate must be a calendar date in YYYY-MM-DD form', { evaluationDate: 'must be YYYY-MM-DD' });
    if (!Number.isInteger(exampleLimit) || exampleLimit < 0 || exampleLimit > MAX_EXAMPLE_LIMIT) {
      throw new ValidationError(`exampleLimit must be a whole number from 0 to ${MAX_EXAMPLE_LIMIT}`, { exampleLimit: `0 to ${MAX_EXAMPLE_LIMIT}` });
    }
    const startedAt = performance.now();
    // The version in force when the evaluation date begins is the one a decision made that day would mostly have used.
    const inForce = await findRuleSetInForce(this.deps.prisma, startOfProgramDay(evaluationDate));
    let baseline: RuleSetDefinition | null = null;
    if (inForce) {
      const validation = validateRuleSet({ name: inForce.name, description: inForce.description, rules: inForce.rules }, { allowRetiredFacts: true });
      if (!validation.ok) {
        throw new ConflictError('RULE_SET_IN_FORCE_INVALID', `Rule set ${inForce.id} (version ${inForce.version}) in force on ${evaluationDate} is invalid: ${formatRuleSetErrors(validation.errors)}`);
      }
      baseline = validation.ruleSet;
    }

    const facts = await openFactsSnapshot(this.deps.databaseUrl, this.deps.logger);
    let tallies: SimulationTally[];
    try {
      const job: SimulationJob = {
        jobId: nextJobId++,
        databaseUrl: this.deps.databaseUrl,
        snapshot: facts.snapshot,
        baseline: baseline && plainRuleSet(baseline),
        candidate: plainRuleSet(candidate),
        evaluationDate,
        exampleLimit,
      };
      tallies = await this.pool.run(job, blockRanges(facts.blockCount, this.deps.blocksPerRange ?? 128));
    } finally {
      await facts.close();
    }
    const tally = tallies.reduce((total, part) => mergeTally(total, part, exampleLimit), emptyTally());
    const report = buildReport(tally, {
      candidate: { id: candidate.id, version: candidate.version, name: candidate.name },
      baseline: inForce && { id: inForce.id, version: inForce.version, name: inForce.name },
      evaluationDate,
      exampleLimit,
      durationMs: Math.round(performance.now() - startedAt),
    });
    this.deps.logger.info(
      { candidate: report.candidate, baseline: report.baseline, evaluationDate, participants: report.participants, changed: report.changed.total, durationMs: report.durationMs },
      'rule-set simulation finished',
    );
    return report;
  }
}

function committedMoneyOf(tally: SimulationTally, terms: ProgramTerms): SimulationReport['committedMoney'] {
  const perParticipant = terms.trainingBalance + maxPayoutUnder(terms);
  const newlyCommitted = tally.becameEligible * perParticipant;
  const released = tally.becameIneligible * perParticipant;
  return { terms, perParticipant, newlyCommitted, released, netChange: newlyCommitted - released };
}

/** What crosses to the workers: the rule set's data, without the caller's extra fields. */
function plainRuleSet(ruleSet: RuleSetDefinition): RuleSetDefinition {
  return { name: ruleSet.name, description: ruleSet.description, rules: ruleSet.rules };
}

function buildReport(
  tally: SimulationTally,
  context: Pick<SimulationReport, 'candidate' | 'baseline' | 'evaluationDate' | 'durationMs'> & { exampleLimit: number },
): SimulationReport {
  return {
    candidate: context.candidate,
    baseline: context.baseline,
    evaluationDate: context.evaluationDate,
    participants: tally.participants,
    bornAfterEvaluationDate: tally.bornAfterEvaluationDate,
    unchanged: tally.unchanged,
    changed: {
      total: tally.changed,
      becameEligible: tally.becameEligible,
      becameIneligible: tally.becameIneligible,
      priorityChanged: tally.priorityChanged,
      reasonsChanged: tally.reasonsChanged,
    },
    byReason: Object.entries(tally.reasons)
      .map(([code, counts]) => ({ code, ...counts }))
      .sort((a, b) => b.newlyFailing + b.noLongerFailing - (a.newlyFailing + a.noLongerFailing) || (a.code < b.code ? -1 : 1)),
    byProvince: Object.entries(tally.provinces)
      .map(([province, counts]) => ({ province, ...counts }))
      .sort((a, b) => (a.province < b.province ? -1 : 1)),
    committedMoney: committedMoneyOf(tally, DEFAULT_PROGRAM_TERMS),
    examples: pickExamples(tally, context.exampleLimit).map((example) => ({ ...example, flipped: flippedCriteria(example) })),
    durationMs: context.durationMs,
  };
}

/**
 * Worker threads started on the first simulation and kept for the next ones. A simulation hands
 * each worker the job; workers then take id ranges in turn (so a busy core takes fewer) and
 * return their tallies. Any failure stops every worker: the next simulation starts fresh ones.
 */
class SimulationWorkerPool {
  private workers: Worker[] = [];

  constructor(
    private readonly workerModule: string,
    private readonly workerCount: number,
  ) {}

  run(job: SimulationJob, ranges: readonly BlockRange[]): Promise<SimulationTally[]> {
    if (this.workers.length === 0) this.workers = Array.from({ length: this.workerCount }, () => startWorker(this.workerModule));
    const workers = this.workers;
    let nextRange = 0;
    const tallies: SimulationTally[] = [];
    return new Promise<SimulationTally[]>((resolve, reject) => {
      const detach: Array<() => void> = [];
      const settle = (error?: Error) => {
        for (const undo of detach) undo();
        for (const worker of workers) worker.unref();
        if (error === undefined) {
          resolve(tallies);
          return;
        }
        void this.close();
        reject(error);
      };
      for (const worker of workers) {
        const send = (message: MainToWorkerMessage) => worker.postMessage(message);
        const onMessage = (message: WorkerToMainMessage) => {
          if (message.jobId !== job.jobId && message.jobId !== -1) return;
          if (message.type === 'next-range') {
            send({ type: 'range', jobId: job.jobId, range: ranges[nextRange++] ?? null });
          } else if (message.type === 'done') {
            tallies.push(message.tally);
            if (tallies.length === workers.length) settle();
          } else {
            settle(new Error(`rule-set simulation failed in a worker: ${message.message}`));
          }
        };
        const onError = (error: Error) => settle(error);
        const onExit = (code: number) => settle(new Error(`a rule-set simulation worker stopped (exit code ${code})`));
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        detach.push(() => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        });
        worker.ref();
        send({ type: 'job', job });
      }
    });
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** TypeScript workers (this repository runs on tsx) load tsx's CommonJS hooks first; compiled ones start directly. */
function startWorker(workerModule: string): Worker {
  if (!workerModule.endsWith('.ts')) return new Worker(workerModule);
  const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(workerModule)});`;
  return new Worker(bootstrap, { eval: true });
}
