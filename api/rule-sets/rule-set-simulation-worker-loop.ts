// Inside a simulation worker thread: read the stored facts block range by block range (ranges
// the main thread hands out in turn), decide each participant before and after, and tally. The
// query for the next range runs while this one is decided. On PostgreSQL every worker reads in the
// snapshot the main thread exported, so a row updated meanwhile is counted once, as it was. The
// deciders are a parameter so the benchmark can run a hand-written predicate through exactly the
// same reading and counting.
import { parentPort } from 'node:worker_threads';
import pg from 'pg';
import { z } from 'zod';
import { EMPLOYMENT_STATUSES, IDENTITY_STATUSES, REGISTRATION_CHANNELS, deriveEligibilityFacts, ruleSetSchema, type CompiledRuleSetOnFacts, type EligibilityInput, type RuleSetDefinition } from '../../rules';
import { calendarDateSchema } from '../../rules/facts';
import { emptyTally, tallyDecision, type SimulationTally } from './rule-set-simulation-tally';

/**
 * Heap blocks [fromBlock, toBlock) of the facts table, read with a TID range scan: sequential, no
 * index and no sort (a keyset walk over the primary key costs PostgreSQL ~20x more per row, as
 * random heap reads). toBlock null: to the end of the table.
 */
export type BlockRange = { fromBlock: number; toBlock: number | null };

/** `pg_export_snapshot()`'s identifier; checked because SET TRANSACTION SNAPSHOT takes no parameters. */
const SNAPSHOT_ID_PATTERN = /^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/i;

export const simulationJobSchema = z.strictObject({
  /** Tells this job's messages from a previous job's late ones. */
  jobId: z.number().int(),
  databaseUrl: z.string().min(1),
  snapshot: z.string().regex(SNAPSHOT_ID_PATTERN),
  /** Rule sets travel as plain data; the deciders validate them again on this side. */
  baseline: ruleSetSchema.nullable(),
  candidate: ruleSetSchema,
  evaluationDate: calendarDateSchema,
  exampleLimit: z.number().int().min(0),
});
export type SimulationJob = z.infer<typeof simulationJobSchema>;

/** A range null: there are no more. */
export type MainToWorkerMessage = { type: 'job'; job: SimulationJob } | { type: 'range'; jobId: number; range: BlockRange | null };
export type WorkerToMainMessage = { type: 'next-range'; jobId: number } | { type: 'done'; jobId: number; tally: SimulationTally } | { type: 'failed'; jobId: number; message: string };

const rangeMessageSchema = z.strictObject({
  type: z.literal('range'),
  jobId: z.number().int(),
  range: z.strictObject({ fromBlock: z.number().int().min(0), toBlock: z.number().int().min(0).nullable() }).nullable(),
});
const jobMessageSchema = z.strictObject({ type: z.literal('job'), job: simulationJobSchema });

export interface Deciders {
  /** The version in force on the evaluation date; null when there was none. */
  before: CompiledRuleSetOnFacts | null;
  after: CompiledRuleSetOnFacts;
}

export type CreateDeciders = (rules: { baseline: RuleSetDefinition | null; candidate: RuleSetDefinition }) => Deciders;

// What a row carries. The booleans and enums travel packed in one integer: each column PostgreSQL
// sends costs ~0.4 µs to parse here, and packing cuts the reading's CPU by about a third.
const FLAG_BITS = { isStudent: 0, onLaidOffList: 1, microBusinessLostIncome: 2 } as const;
const ENUM_FIELDS = [
  { column: 'employmentStatus', values: EMPLOYMENT_STATUSES, shift: 3, bits: 3 },
  { column: 'identityStatus', values: IDENTITY_STATUSES, shift: 6, bits: 3 },
  { column: 'channel', values: REGISTRATION_CHANNELS, shift: 9, bits: 2 },
] as const;
for (const field of ENUM_FIELDS) {
  if (field.values.length > 2 ** field.bits) throw new Error(`${field.column} has more values than its ${field.bits} bits hold: widen the packing`);
}

// An enum value the code does not list packs as NULL, which factRowToInput refuses.
const enumIndexSql = ({ column, values, shift }: (typeof ENUM_FIELDS)[number]) =>
  `(CASE "${column}" ${values.map((value, index) => `WHEN '${value}' THEN ${index}`).join(' ')} END << ${shift})`;
const PACKED_FLAGS_SQL = [
  ...Object.entries(FLAG_BITS).map(([column, bit]) => `("${column}"::int << ${bit})`),
  ...ENUM_FIELDS.map(enumIndexSql),
].join(' | ');
const FACT_COLUMNS = `"participantId", "dateOfBirth", "socialAidPrograms", "province", "previousParticipations", ${PACKED_FLAGS_SQL} AS flags`;
const BOUNDED_RANGE_SQL = `SELECT ${FACT_COLUMNS} FROM "EligibilityFacts" WHERE ctid >= $1::tid AND ctid < $2::tid`;
const OPEN_RANGE_SQL = `SELECT ${FACT_COLUMNS} FROM "EligibilityFacts" WHERE ctid >= $1::tid`;

const DATE_OID = 1082;
/** DATE as its ISO text (`YYYY-MM-DD` under DateStyle ISO), never a JS Date: no time zone may move a birthday. */
const factTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === DATE_OID ? (text: string) => text : pg.types.getTypeParser(oid, format))) as pg.CustomTypesConfig['getTypeParser'],
};

type FactRow = [participantId: string, dateOfBirth: string, socialAidPrograms: string[] | null, province: string, previousParticipations: number, flags: number | null];

function enumValue<T extends string>(values: readonly T[], flags: number, shift: number, bits: number, column: string): T {
  const value = values[(flags >> shift) & (2 ** bits - 1)];
  if (value === undefined) throw new Error(`a stored ${column} is not one this version knows`);
  return value;
}

/** A stored row as the input `deriveEligibilityFacts` takes: the database's column types hold it to the input schema. */
export function factRowToInput(row: FactRow, evaluationDate: string): EligibilityInput {
  const flags = row[5];
  if (flags === null) throw new Error('a stored enum value is not one this version knows');
  const [employment, identity, channel] = ENUM_FIELDS;
  return {
    dateOfBirth: row[1],
    isStudent: (flags & (1 << FLAG_BITS.isStudent)) !== 0,
    socialAidPrograms: row[2] ?? [],
    onLaidOffList: (flags & (1 << FLAG_BITS.onLaidOffList)) !== 0,
    employmentStatus: enumValue(employment.values, flags, employment.shift, employment.bits, employment.column),
    microBusinessLostIncome: (flags & (1 << FLAG_BITS.microBusinessLostIncome)) !== 0,
    province: row[3],
    previousParticipations: row[4],
    identityStatus: enumValue(identity.values, flags, identity.shift, identity.bits, identity.column),
    channel: enumValue(channel.values, flags, channel.shift, channel.bits, channel.column),
    evaluationDate,
  };
}

/**
 * The block ranges of one job, asked of the main thread one ahead of need, so that the next range
 * is usually at hand (synchronously) when its query should start.
 */
class RangeFeed {
  private readonly arrived: Array<BlockRange | null> = [];
  private waiting: ((range: BlockRange | null) => void) | undefined;
  private exhausted = false;

  constructor(private readonly ask: () => void) {
    ask();
    ask();
  }

  deliver(range: BlockRange | null): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve(range);
    } else {
      this.arrived.push(range);
    }
  }

  /** The next range if it has arrived (null: no more), undefined if it has not yet. */
  poll(): BlockRange | null | undefined {
    if (this.arrived.length === 0) return this.exhausted ? null : undefined;
    return this.took(this.arrived.shift() ?? null);
  }

  take(): Promise<BlockRange | null> {
    const ready = this.poll();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise<BlockRange | null>((resolve) => {
      this.waiting = resolve;
    }).then((range) => this.took(range));
  }

  private took(range: BlockRange | null): BlockRange | null {
    if (range === null) this.exhausted = true;
    else this.ask();
    return range;
  }
}

async function simulateJob(job: SimulationJob, deciders: Deciders, ranges: RangeFeed): Promise<SimulationTally> {
  const client = new pg.Client({ connectionString: job.databaseUrl, types: factTypes, application_name: 'jalur-rule-set-simulation' });
  await client.connect();
  const tally = emptyTally();
  let pending: Promise<FactRow[] | null> | undefined;
  try {
    await client.query('SET DateStyle TO ISO');
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET TRANSACTION SNAPSHOT '${job.snapshot}'`);
    const read = async (range: BlockRange | null): Promise<FactRow[] | null> => {
      if (range === null) return null;
      const from = `(${range.fromBlock},0)`;
      const query = range.toBlock === null ? { text: OPEN_RANGE_SQL, values: [from] } : { text: BOUNDED_RANGE_SQL, values: [from, `(${range.toBlock},0)`] };
      return (await client.query<FactRow>({ ...query, rowMode: 'array' })).rows;
    };

    const { before, after } = deciders;
    const { evaluationDate, exampleLimit } = job;
    pending = ranges.take().then(read);
    for (let rows = await pending; rows !== null; rows = await pending) {
      // Send the next range's query before deciding this one, so PostgreSQL works while we do.
      const next = ranges.poll();
      pending = next === undefined ? ranges.take().then(read) : read(next);
      for (const row of rows) {
        const input = factRowToInput(row, evaluationDate);
        if (input.dateOfBirth > evaluationDate) {
          tally.bornAfterEvaluationDate += 1;
          continue;
        }
        const facts = deriveEligibilityFacts(input);
        tallyDecision(tally, row[0], facts.province, before === null ? null : before(facts), after(facts), exampleLimit);
      }
    }
    await client.query('COMMIT');
    return tally;
  } finally {
    // After a failure mid-loop, let the query in flight settle before closing its connection.
    await pending?.catch(() => undefined);
    await client.end();
  }
}

/** The body of a simulation worker thread: one job at a time, as the main thread sends them. */
export function runSimulationWorker(createDeciders: CreateDeciders): void {
  const port = parentPort;
  if (!port) throw new Error('runSimulationWorker runs inside a worker thread');
  const post = (message: WorkerToMainMessage) => port.postMessage(message);
  let current: { jobId: number; ranges: RangeFeed } | undefined;

  port.on('message', (message: unknown) => {
    const range = rangeMessageSchema.safeParse(message);
    if (range.success) {
      if (current?.jobId === range.data.jobId) current.ranges.deliver(range.data.range);
      return;
    }
    const parsed = jobMessageSchema.safeParse(message);
    if (!parsed.success) {
      post({ type: 'failed', jobId: -1, message: `unexpected message: ${parsed.error.message}` });
      return;
    }
    const { job } = parsed.data;
    const ranges = new RangeFeed(() => post({ type: 'next-range', jobId: job.jobId }));
    current = { jobId: job.jobId, ranges };
    Promise.resolve()
      .then(() => simulateJob(job, createDeciders({ baseline: job.baseline, candidate: job.candidate }), ranges))
      .then(
        (tally) => post({ type: 'done', jobId: job.jobId, tally }),
        (error: unknown) => post({ type: 'failed', jobId: job.jobId, message: error instanceof Error ? error.message : String(error) }),
      );
  });
}
