// The outbox relay: starts the journey of every registration whose start did not go through at
// signup (Temporal slow or down, API restarted in between, or REGISTRATION_INLINE_START=false),
// in batches, at most `startsPerSecond`; a backlog is drained batch after batch, and while
// Temporal fails the passes back off exponentially. Rows younger than `minimumAgeMs` are left to
// the registration request that may still be trying them.
//
// Several relays may run at once (one per API process): each pass claims its batch with
// FOR UPDATE SKIP LOCKED and a lease (`claimedUntil`), so two relays never take the same row, and
// a relay that dies mid-pass leaves its rows to the others once the lease runs out. A row whose
// start failed waits out its own backoff, so one that keeps failing never holds up the rest.
//
// Signups come first: while registrations queue for the database (`signupsQueueing`: one queued
// in the last 2 s, api/server.ts), a pass is put off, since every start costs this process and
// Temporal the CPU and connections a signup needs, and a start can wait where a registrant cannot.
// Never longer than `maxYieldMs` in a row, so a sustained peak slows the relay without stopping it.
import { Prisma, type PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { runWithConcurrency } from '../../lib/run-with-concurrency';
import type { ParticipantJourneyInput } from '../../workflows/participant-journey.definitions';
import { describeStartFailure, type ParticipantJourneyStarter } from './participant-journey-starter';

export interface WorkflowStartRelayOptions {
  intervalMs: number;
  /** Rows younger than this belong to the registration request still starting them. */
  minimumAgeMs: number;
  batchSize: number;
  concurrency: number;
  startTimeoutMs: number;
  /** The bound on starts the relay asks of Temporal. */
  startsPerSecond: number;
  /** The longest pause between passes while Temporal keeps failing, and the longest a failed row waits. */
  maxBackoffMs: number;
  /** The longest the relay puts its passes off, in a row, while signups queue. */
  maxYieldMs: number;
}

const DEFAULT_OPTIONS: WorkflowStartRelayOptions = {
  intervalMs: 1_000,
  minimumAgeMs: 5_000,
  batchSize: 100,
  concurrency: 10,
  startTimeoutMs: 5_000,
  startsPerSecond: 500,
  // A failed pass costs one start attempt, so the cap can be short: at 30 s a Temporal back from
  // a minute's outage waited up to half a minute for the relay's next pass (measured: 46 s from
  // its return to the first start, with the client's reconnect backoff).
  maxBackoffMs: 5_000,
  maxYieldMs: 10_000,
};

export type RelayPassOutcome = { ok: true; claimed: number; elapsedMs: number } | { ok: false; consecutiveFailures: number };

/**
 * When the next pass starts: a full batch means a backlog, so the next one follows as soon as
 * the rate allows; a short batch means caught up, so the interval; a failure backs off
 * (interval doubling per failure in a row, capped).
 */
export function nextPassDelayMs(outcome: RelayPassOutcome, options: WorkflowStartRelayOptions): number {
  if (!outcome.ok) return Math.min(options.maxBackoffMs, options.intervalMs * 2 ** Math.min(20, outcome.consecutiveFailures - 1));
  if (outcome.claimed < options.batchSize) return options.intervalMs;
  return Math.max(0, Math.ceil((outcome.claimed / options.startsPerSecond) * 1000 - outcome.elapsedMs));
}

/** How long a row whose start failed `attempts` times waits before a relay tries it again. */
export function failedRowDelayMs(attempts: number, options: Pick<WorkflowStartRelayOptions, 'intervalMs' | 'maxBackoffMs'>): number {
  return Math.min(options.maxBackoffMs, options.intervalMs * 2 ** Math.min(20, Math.max(0, attempts - 1)));
}

interface ClaimedRow {
  participantId: string;
  attempts: number;
  province: string;
  employmentStatus: ParticipantJourneyInput['employmentStatus'];
  microBusinessLostIncome: boolean;
  channel: ParticipantJourneyInput['channel'];
  createdAt: Date;
}

/**
 * A pass's claim: the oldest unstarted, unclaimed rows, fewest attempts first, leased until
 * `leaseUntil`, with what a start needs of each participant. The order is the partial index
 * "WorkflowStartOutbox_unstarted_idx"'s, so a pass reads its batch and stops however long the
 * backlog (test/integration/workflow-start-relay.test.ts checks the plan).
 */
export function claimStatement({ now, createdBefore, leaseUntil, batchSize }: { now: Date; createdBefore: Date; leaseUntil: Date; batchSize: number }): Prisma.Sql {
  return Prisma.sql`
    WITH claimable AS (
      SELECT "participantId" FROM "WorkflowStartOutbox"
      WHERE "startedAt" IS NULL AND "createdAt" < ${createdBefore} AND ("claimedUntil" IS NULL OR "claimedUntil" < ${now})
      ORDER BY "attempts", "createdAt"
      LIMIT ${batchSize}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "WorkflowStartOutbox" AS outbox SET "claimedUntil" = ${leaseUntil}
    FROM claimable JOIN "Participant" AS participant ON participant."id" = claimable."participantId"
    WHERE outbox."participantId" = claimable."participantId"
    RETURNING participant."id" AS "participantId", outbox."attempts", participant."province",
      participant."employmentStatus"::text AS "employmentStatus", participant."microBusinessLostIncome",
      participant."channel"::text AS "channel", participant."createdAt"`;
}

export interface WorkflowStartRelayDependencies {
  prisma: PrismaClient;
  journeyStarter: Pick<ParticipantJourneyStarter, 'startWorkflow'>;
  logger: Logger;
  /** True while registrations are queueing in this process: the relay gives way to them. */
  signupsQueueing?: () => boolean;
}

export class WorkflowStartRelay {
  private readonly options: WorkflowStartRelayOptions;
  private timer: NodeJS.Timeout | undefined;
  private currentPass: Promise<void> | undefined;
  private stopped = true;
  private consecutiveFailures = 0;
  /** When the relay began putting passes off for signups, if it is doing so. */
  private yieldingSince: number | undefined;

  constructor(private readonly deps: WorkflowStartRelayDependencies, options: Partial<WorkflowStartRelayOptions> = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.scheduleNextPass();
  }

  /** Resolves when the pass in progress, if any, has finished; no new pass starts after. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.currentPass;
  }

  /**
   * One pass over the oldest unstarted rows; returns how many journeys it started. Rows that
   * failed more often come last, so one row that keeps failing never holds up the others. The
   * first failure ends the pass: when Temporal is down, the next pass comes after the interval.
   */
  async relayOnce(): Promise<number> {
    return (await this.pass()).started;
  }

  private async pass(): Promise<{ started: number; claimed: number }> {
    const rows = await this.claimBatch();
    if (rows.length === 0) return { started: 0, claimed: 0 };
    const started: string[] = [];
    let failure: { row: ClaimedRow; error: unknown } | undefined;
    try {
      await runWithConcurrency(rows, this.options.concurrency, async (row) => {
        try {
          await this.deps.journeyStarter.startWorkflow(
            {
              participantId: row.participantId,
              province: row.province,
              employmentStatus: row.employmentStatus,
              microBusinessLostIncome: row.microBusinessLostIncome,
              channel: row.channel,
              registeredAt: row.createdAt.toISOString(),
            },
            this.options.startTimeoutMs,
          );
          started.push(row.participantId);
        } catch (error) {
          failure ??= { row, error };
          throw error;
        }
      });
    } finally {
      await this.recordOutcomes(rows, started, failure);
    }
    return { started: started.length, claimed: rows.length };
  }

  /** The oldest unstarted, unclaimed rows (fewest attempts first), leased to this pass. */
  private async claimBatch(): Promise<ClaimedRow[]> {
    const now = Date.now();
    return this.deps.prisma.$queryRaw<ClaimedRow[]>(
      claimStatement({ now: new Date(now), createdBefore: new Date(now - this.options.minimumAgeMs), leaseUntil: new Date(now + this.claimLeaseMs()), batchSize: this.options.batchSize }),
    );
  }

  /** Long enough for a whole pass in which every start takes its full timeout. */
  private claimLeaseMs(): number {
    const { batchSize, concurrency, startTimeoutMs } = this.options;
    return 2 * Math.ceil(batchSize / concurrency) * startTimeoutMs;
  }

  /** Started rows in one statement; the failed row waits its backoff; rows never tried go back at once. */
  private async recordOutcomes(rows: ClaimedRow[], started: string[], failure: { row: ClaimedRow; error: unknown } | undefined): Promise<void> {
    const { prisma } = this.deps;
    const now = new Date();
    if (started.length > 0) {
      await prisma.workflowStartOutbox.updateMany({
        where: { participantId: { in: started } },
        data: { startedAt: now, attempts: { increment: 1 }, lastError: null, claimedUntil: null },
      });
    }
    if (failure) {
      await prisma.workflowStartOutbox.update({
        where: { participantId: failure.row.participantId },
        data: { attempts: { increment: 1 }, lastError: describeStartFailure(failure.error), claimedUntil: new Date(now.getTime() + failedRowDelayMs(failure.row.attempts + 1, this.options)) },
      });
    }
    const settled = new Set([...started, ...(failure ? [failure.row.participantId] : [])]);
    const untried = rows.filter((row) => !settled.has(row.participantId)).map((row) => row.participantId);
    if (untried.length > 0) await prisma.workflowStartOutbox.updateMany({ where: { participantId: { in: untried } }, data: { claimedUntil: null } });
  }

  /** Whether to put this pass off for signups; measures how long it has done so in a row. */
  private yieldsToSignups(now: number): boolean {
    if (!this.deps.signupsQueueing?.()) {
      this.yieldingSince = undefined;
      return false;
    }
    this.yieldingSince ??= now;
    if (now - this.yieldingSince < this.options.maxYieldMs) return true;
    this.yieldingSince = undefined;
    return false;
  }

  private scheduleNextPass(delayMs = this.options.intervalMs): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const passStartedAt = Date.now();
      if (this.yieldsToSignups(passStartedAt)) {
        this.scheduleNextPass(this.options.intervalMs);
        return;
      }
      let outcome: RelayPassOutcome;
      this.currentPass = this.pass()
        .then(({ started, claimed }) => {
          this.consecutiveFailures = 0;
          outcome = { ok: true, claimed, elapsedMs: Date.now() - passStartedAt };
          if (started > 0) this.deps.logger.info({ started }, 'outbox relay started journeys');
        })
        .catch((error: unknown) => {
          this.consecutiveFailures += 1;
          outcome = { ok: false, consecutiveFailures: this.consecutiveFailures };
          const retryInMs = nextPassDelayMs(outcome, this.options);
          this.deps.logger.warn({ err: error, consecutiveFailures: this.consecutiveFailures, retryInMs }, 'outbox relay pass failed; backing off');
        })
        .finally(() => {
          this.currentPass = undefined;
          this.scheduleNextPass(nextPassDelayMs(outcome, this.options));
        });
    }, delayMs);
    // The relay alone must not keep a stopping process alive.
    this.timer.unref();
  }
}
