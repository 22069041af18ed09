// Where a registration is written: the participant row and its workflow-start outbox row in ONE
// SQL statement (a data-modifying CTE), so both commit together or neither does, in one round
// trip. This is the hottest write in the system (80,000 signups a minute on the peak day), and
// measured on it Prisma's interactive transaction (BEGIN, two INSERTs, COMMIT, each through the
// query compiler) cost about a third of the API's CPU per signup; here it is a prepared
// statement on the `pg` driver Prisma itself runs on. Every other write stays with Prisma.
import pg from 'pg';
import type { EmploymentStatus, RegistrationChannel } from '../../generated/prisma/client';
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
  stage: string;
  registeredAt: Date;
}

/** The NIK's blind index is taken: this person has registered before. */
export class NikAlreadyRegisteredError extends Error {
  override readonly name = 'NikAlreadyRegisteredError';
}

/** No database connection came free within the wait: the database is saturated, nothing was written. */
export class RegistrationStoreSaturatedError extends Error {
  override readonly name = 'RegistrationStoreSaturatedError';
}

export interface RegistrationStoreOptions {
  maxConnections: number;
  /** How long a registration waits for a connection before it is refused (and the registrant told to come back). */
  connectionWaitMs: number;
}

const UNIQUE_VIOLATION = '23505';
/** The unique index on the NIK's blind index (prisma/migrations/*_init). */
const NIK_HASH_INDEX = 'Participant_nikHash_key';

// Timestamps go in as UTC ISO strings cast to `timestamp` (what Prisma's DateTime is), so the
// process's time zone never shifts them. `updatedAt` has no database default (Prisma sets it).
const INSERT_REGISTRATION = `
WITH participant AS (
  INSERT INTO "Participant" ("id", "nikHash", "personalData", "personalDataKeyId", "province", "employmentStatus",
    "microBusinessLostIncome", "channel", "stage", "stageChangedAt", "createdAt", "updatedAt")
  VALUES ($1, $2, $3, $4, $5, $6::"EmploymentStatus", $7, $8::"RegistrationChannel", $9, $10::timestamp, $10::timestamp, $10::timestamp)
  RETURNING "id", "createdAt"
)
INSERT INTO "WorkflowStartOutbox" ("participantId", "createdAt") SELECT "id", "createdAt" FROM participant`;

export class RegistrationStore {
  private readonly pool: pg.Pool;

  private readonly maxConnections: number;

  constructor(databaseUrl: string, options: RegistrationStoreOptions) {
    this.maxConnections = options.maxConnections;
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections, connectionTimeoutMillis: options.connectionWaitMs });
    // An idle connection the server dropped (restart, failover) must not take the process down;
    // the pool replaces it on next use.
    this.pool.on('error', () => undefined);
  }

  /** When a registration last found every connection busy (performance.now()). */
  private lastQueuedAt = Number.NEGATIVE_INFINITY;

  /**
   * Whether a registration had to queue for a connection within the last `withinMs`. Over a
   * window rather than at one instant: under a peak the queue empties and fills many times a
   * second, and a relay that looked at one instant would start a batch into every gap.
   */
  queuedWithin(withinMs: number): boolean {
    return performance.now() - this.lastQueuedAt < withinMs;
  }

  /** Commits the participant and its outbox row, or throws having written nothing. */
  async insert(row: RegistrationRow): Promise<void> {
    let client: pg.PoolClient;
    if (this.pool.waitingCount > 0 || (this.pool.idleCount === 0 && this.pool.totalCount >= this.maxConnections)) this.lastQueuedAt = performance.now();
    try {
      client = await this.pool.connect();
    } catch (error) {
      // pg's pool rejects a waiter after connectionTimeoutMillis with this message and no code.
      if (error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message)) throw new RegistrationStoreSaturatedError('no database connection free', { cause: error });
      if (isConnectionFailure(error)) throw new DatabaseUnavailableError('the database cannot be reached', { cause: error });
      throw error;
    }
    try {
      await client.query({
        name: 'insert-registration',
        text: INSERT_REGISTRATION,
        values: [
          row.participantId,
          row.nikHash,
          row.personalData,
          row.personalDataKeyId,
          row.province,
          row.employmentStatus,
          row.microBusinessLostIncome,
          row.channel,
          row.stage,
          row.registeredAt.toISOString(),
        ],
      });
    } catch (error) {
      if (isViolationOf(error, NIK_HASH_INDEX)) throw new NikAlreadyRegisteredError('NIK already registered', { cause: error });
      // A connection that broke mid-statement: whether the insert committed is unknown, and a
      // retry finds out (202 if it had not, 409 ALREADY_REGISTERED if it had).
      if (isConnectionFailure(error)) throw new DatabaseUnavailableError('the database connection broke', { cause: error });
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function isViolationOf(error: unknown, constraint: string): boolean {
  const { code, constraint: violated } = error as { code?: unknown; constraint?: unknown };
  return code === UNIQUE_VIOLATION && violated === constraint;
}
