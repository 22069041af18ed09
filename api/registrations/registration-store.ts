// Where a registration is written: the participant row and its workflow-start outbox row in ONE
// SQL statement (a data-modifying CTE), so both commit together or neither does, in one round
// trip. This is the hottest write in the system (80,000 signups a minute on the peak day), and
// measured on it Prisma's interactive transaction (BEGIN, two INSERTs, COMMIT, each through the
// query compiler) cost about a third of the API's CPU per signup; here it is a prepared
// statement on the `pg` driver Prisma itself runs on. Every other write stays with Prisma.
//
// Group commit: a registration that arrives while every connection is busy waits in a queue, and
// the next free connection writes everything waiting (up to `maxBatchSize`) in one statement and
// one commit. A lone registration goes at once, alone; under a peak the commits, round trips and
// the database's per-transaction work are shared. A NIK taken (by an earlier registration or by
// another in the same batch) skips only its own row (ON CONFLICT DO NOTHING), so one duplicate
// never fails its neighbours.
import pg from 'pg';
import type { EmploymentStatus, NoticeChannel, RegistrationChannel } from '../../generated/prisma/client';
import { DatabaseUnavailableError, isConnectionFailure } from '../../lib/database';

export interface RegistrationRow {
  participantId: string;
  nikHash: string;
  personalData: string;
  personalDataKeyId: string;
  province: string;
  employmentStatus: EmploymentStatus;
  microBusinessLostIncome: boolean;
  channel: RegistrationChannel;
  noticeChannel: NoticeChannel;
  language: string;
  stage: string;
  registeredAt: Date;
}

/** The NIK's blind index is taken: this person has registered before. */
export class NikAlreadyRegisteredError extends Error {
  override readonly name = 'NikAlreadyRegisteredError';
}

/** The connection broke while the statement ran: it may or may not have committed. */
class StatementOutcomeUnknownError extends DatabaseUnavailableError {}

/** No database connection came free within the wait: the database is saturated, nothing was written. */
export class RegistrationStoreSaturatedError extends Error {
  override readonly name = 'RegistrationStoreSaturatedError';
}

export interface RegistrationStoreOptions {
  maxConnections: number;
  /**
   * How long a registration waits for a connection before it is refused (and the registrant told
   * to come back), and how long a write rides out a database that restarts or fails over.
   */
  connectionWaitMs: number;
  /** The most registrations one statement (one commit) writes. */
  maxBatchSize: number;
}

const UNIQUE_VIOLATION = '23505';
/** The unique index on the NIK's blind index (prisma/migrations/*_init). */
const NIK_HASH_INDEX = 'Participant_nikHash_key';

// One array per column, unnested into rows. Timestamps go in as UTC ISO strings cast to
// `timestamp` (what Prisma's DateTime is), so the process's time zone never shifts them.
// `updatedAt` has no database default (Prisma sets it). The outbox row is written only for a
// participant row that was: the statement returns the ids it wrote.
const INSERT_REGISTRATIONS = `
WITH registration AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::"EmploymentStatus"[], $7::boolean[],
    $8::"RegistrationChannel"[], $9::text[], $10::timestamp[], $11::"NoticeChannel"[], $12::text[])
    AS r("id", "nikHash", "personalData", "personalDataKeyId", "province", "employmentStatus", "microBusinessLostIncome", "channel", "stage", "registeredAt",
      "noticeChannel", "language")
), participant AS (
  INSERT INTO "Participant" ("id", "nikHash", "personalData", "personalDataKeyId", "province", "employmentStatus",
    "microBusinessLostIncome", "channel", "stage", "stageChangedAt", "createdAt", "updatedAt", "noticeChannel", "language")
  SELECT "id", "nikHash", "personalData", "personalDataKeyId", "province", "employmentStatus",
    "microBusinessLostIncome", "channel", "stage", "registeredAt", "registeredAt", "registeredAt", "noticeChannel", "language"
  FROM registration
  ON CONFLICT ("nikHash") DO NOTHING
  RETURNING "id", "createdAt"
)
INSERT INTO "WorkflowStartOutbox" ("participantId", "createdAt") SELECT "id", "createdAt" FROM participant RETURNING "participantId"`;

interface WaitingRegistration {
  row: RegistrationRow;
  resolve: () => void;
  reject: (error: Error) => void;
  /** Refuses the registration if no connection takes it within connectionWaitMs. */
  timer: NodeJS.Timeout;
}

export class RegistrationStore {
  private readonly pool: pg.Pool;

  private readonly waiting: WaitingRegistration[] = [];

  /** Statements being written, at most one per connection. */
  private writing = 0;

  /** When a registration last found every connection busy (performance.now()). */
  private lastQueuedAt = Number.NEGATIVE_INFINITY;

  constructor(
    databaseUrl: string,
    private readonly options: RegistrationStoreOptions,
  ) {
    // connectionTimeoutMillis: how long opening a connection may take; the queue above never
    // asks for more connections than the pool has, so no one waits in the pool itself.
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections, connectionTimeoutMillis: options.connectionWaitMs });
    // An idle connection the server dropped (restart, failover) must not take the process down;
    // the pool replaces it on next use.
    this.pool.on('error', () => undefined);
  }

  /**
   * Whether a registration had to queue for a connection within the last `withinMs`. Over a
   * window rather than at one instant: under a peak the queue empties and fills many times a
   * second, and a relay that looked at one instant would start a batch into every gap.
   */
  queuedWithin(withinMs: number): boolean {
    return performance.now() - this.lastQueuedAt < withinMs;
  }

  /** Commits the participant and its outbox row, or throws having written nothing. */
  insert(row: RegistrationRow): Promise<void> {
    if (this.writing >= this.options.maxConnections) this.lastQueuedAt = performance.now();
    return new Promise<void>((resolve, reject) => {
      const registration: WaitingRegistration = {
        row,
        resolve,
        reject,
        timer: setTimeout(() => {
          const index = this.waiting.indexOf(registration);
          if (index === -1) return;
          this.waiting.splice(index, 1);
          reject(new RegistrationStoreSaturatedError('no database connection free'));
        }, this.options.connectionWaitMs),
      };
      this.waiting.push(registration);
      this.writeWaiting();
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Hands what is waiting to the free connections, a batch each. */
  private writeWaiting(): void {
    while (this.waiting.length > 0 && this.writing < this.options.maxConnections) {
      const batch = this.waiting.splice(0, this.options.maxBatchSize);
      for (const registration of batch) clearTimeout(registration.timer);
      this.writing += 1;
      void this.write(batch);
    }
  }

  private async write(batch: WaitingRegistration[]): Promise<void> {
    let written: Set<string>;
    try {
      written = await this.insertRidingOutRestarts(batch.map((registration) => registration.row));
    } catch (error) {
      for (const registration of batch) registration.reject(error as Error);
      return;
    } finally {
      // The connection is free before anyone hears back: a caller's next signup finds it so.
      this.writing -= 1;
      this.writeWaiting();
    }
    for (const { row, resolve, reject } of batch) {
      if (written.has(row.participantId)) resolve();
      else reject(new NikAlreadyRegisteredError('NIK already registered'));
    }
  }

  /**
   * The insert, tried again while the database cannot be reached (a restart, a failover: refused
   * connections, a server shutting down or starting up, connections it dropped) for up to
   * `connectionWaitMs`: a restart of a few seconds makes a slower 202, not a 503. A statement
   * whose connection broke may have committed, so the next try first looks for its rows by
   * participant id: those it finds were written (202), and are not inserted again.
   */
  private async insertRidingOutRestarts(rows: RegistrationRow[]): Promise<Set<string>> {
    const deadline = performance.now() + this.options.connectionWaitMs;
    let mayHaveCommitted = false;
    for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 1_000)) {
      try {
        return await this.insertRows(rows, mayHaveCommitted);
      } catch (error) {
        if (!(error instanceof DatabaseUnavailableError) || performance.now() + delayMs > deadline) throw error;
        mayHaveCommitted ||= error instanceof StatementOutcomeUnknownError;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /**
   * The ids of the rows written; a row missing from them had its NIK taken. With
   * `lookForEarlierCommit`, rows an earlier try committed count as written and are not sent again.
   */
  private async insertRows(unordered: RegistrationRow[], lookForEarlierCommit: boolean): Promise<Set<string>> {
    // In NIK-hash order: a row whose NIK another open transaction has just written waits for that
    // one to end, and two batches holding the same two NIKs in opposite orders would wait for each
    // other (a deadlock, broken only after a second by failing a whole batch). Taken in one
    // order by every batch, the waits can never form a cycle.
    const rows = [...unordered].sort((a, b) => (a.nikHash < b.nikHash ? -1 : a.nikHash > b.nikHash ? 1 : 0));
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      if (isConnectionFailure(error) || (error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message))) {
        throw new DatabaseUnavailableError('the database cannot be reached', { cause: error });
      }
      throw error;
    }
    // A connection the server drops while it is lent out is reported on the client as an 'error'
    // event besides the failed query; unheard, that event would end the process.
    const onBrokenConnection = () => undefined;
    client.on('error', onBrokenConnection);
    let broken: Error | undefined;
    try {
      const committedEarlier = lookForEarlierCommit ? await existingParticipants(client, rows) : new Set<string>();
      const toInsert = rows.filter((row) => !committedEarlier.has(row.participantId));
      if (toInsert.length === 0) return committedEarlier;
      const result = await client.query<{ participantId: string }>({
        name: 'insert-registrations',
        text: INSERT_REGISTRATIONS,
        values: [
          toInsert.map((row) => row.participantId),
          toInsert.map((row) => row.nikHash),
          toInsert.map((row) => row.personalData),
          toInsert.map((row) => row.personalDataKeyId),
          toInsert.map((row) => row.province),
          toInsert.map((row) => row.employmentStatus),
          toInsert.map((row) => row.microBusinessLostIncome),
          toInsert.map((row) => row.channel),
          toInsert.map((row) => row.stage),
          toInsert.map((row) => row.registeredAt.toISOString()),
          toInsert.map((row) => row.noticeChannel),
          toInsert.map((row) => row.language),
        ],
      });
      return new Set([...committedEarlier, ...result.rows.map((row) => row.participantId)]);
    } catch (error) {
      // Another unique index than the NIK's (none today) would fail the whole batch: named, not hidden.
      if (isViolationOf(error, NIK_HASH_INDEX)) throw new NikAlreadyRegisteredError('NIK already registered', { cause: error });
      // A connection that broke mid-statement: whether the insert committed is unknown; the next
      // try finds out by the participant ids.
      if (isConnectionFailure(error)) {
        broken = error as Error;
        throw new StatementOutcomeUnknownError('the database connection broke', { cause: error });
      }
      throw error;
    } finally {
      client.off('error', onBrokenConnection);
      // A broken connection is closed, not returned to the pool for the next signup to find.
      client.release(broken);
    }
  }
}

/** Of these rows, the ones whose participant is in the database. */
async function existingParticipants(client: pg.PoolClient, rows: RegistrationRow[]): Promise<Set<string>> {
  const { rows: found } = await client.query<{ id: string }>('SELECT "id" FROM "Participant" WHERE "id" = ANY($1::uuid[])', [rows.map((row) => row.participantId)]);
  return new Set(found.map((row) => row.id));
}

function isViolationOf(error: unknown, constraint: string): boolean {
  const { code, constraint: violated } = error as { code?: unknown; constraint?: unknown };
  return code === UNIQUE_VIOLATION && violated === constraint;
}
