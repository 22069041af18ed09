// The outbox relay: starts the journey of every registration whose start did not go through at
// signup (Temporal slow or down, API restarted in between, or REGISTRATION_INLINE_START=false),
// in batches, at most `startsPerSecond`; a backlog is drained batch after batch, and while
// Temporal fails the passes back off exponentially. Rows younger than `minimumAgeMs` are left to
// the registration request that may still be trying them.
import type { PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { runWithConcurrency } from '../run-with-concurrency';
import type { ParticipantJourneyStarter } from './participant-journey-starter';

export interface WorkflowStartRelayOptions {
  intervalMs: number;
  /** Rows younger than this belong to the registration request still starting them. */
  minimumAgeMs: number;
  batchSize: number;
  concurrency: number;
  startTimeoutMs: number;
  /** The bound on starts the relay asks of Temporal. */
  startsPerSecond: number;
  /** The longest pause between passes while Temporal keeps failing. */
  maxBackoffMs: number;
}

const DEFAULT_OPTIONS: WorkflowStartRelayOptions = {
  intervalMs: 1_000,
  minimumAgeMs: 5_000,
  batchSize: 100,
  concurrency: 10,
  startTimeoutMs: 5_000,
  startsPerSecond: 500,
  maxBackoffMs: 30_000,
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

export interface WorkflowStartRelayDependencies {
  prisma: PrismaClient;
  journeyStarter: ParticipantJourneyStarter;
  logger: Logger;
}

export class WorkflowStartRelay {
  private readonly options: WorkflowStartRelayOptions;
  private timer: NodeJS.Timeout | undefined;
  private currentPass: Promise<void> | undefined;
  private stopped = true;
  private consecutiveFailures = 0;

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
    const { prisma, journeyStarter } = this.deps;
    const rows = await prisma.workflowStartOutbox.findMany({
      where: { startedAt: null, createdAt: { lt: new Date(Date.now() - this.options.minimumAgeMs) } },
      orderBy: [{ attempts: 'asc' }, { createdAt: 'asc' }],
      take: this.options.batchSize,
      select: { participantId: true },
    });
    if (rows.length === 0) return { started: 0, claimed: 0 };
    const participants = await prisma.participant.findMany({
      where: { id: { in: rows.map((row) => row.participantId) } },
      select: { id: true, province: true, employmentStatus: true, microBusinessLostIncome: true, channel: true, createdAt: true },
    });
    let started = 0;
    await runWithConcurrency(participants, this.options.concurrency, async (participant) => {
      await journeyStarter.startParticipantJourney(
        {
          participantId: participant.id,
          province: participant.province,
          employmentStatus: participant.employmentStatus,
          microBusinessLostIncome: participant.microBusinessLostIncome,
          channel: participant.channel,
          registeredAt: participant.createdAt.toISOString(),
        },
        this.options.startTimeoutMs,
      );
      started += 1;
    });
    return { started, claimed: rows.length };
  }

  private scheduleNextPass(delayMs = this.options.intervalMs): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const passStartedAt = Date.now();
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
