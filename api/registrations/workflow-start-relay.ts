// The outbox relay: every second or so, starts the journey of every registration whose start
// did not go through at signup (Temporal slow or down, API restarted in between). Rows younger
// than a few seconds are left to the registration request that is still trying them.
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
}

const DEFAULT_OPTIONS: WorkflowStartRelayOptions = { intervalMs: 1_000, minimumAgeMs: 5_000, batchSize: 100, concurrency: 10, startTimeoutMs: 5_000 };

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
    const { prisma, journeyStarter } = this.deps;
    const rows = await prisma.workflowStartOutbox.findMany({
      where: { startedAt: null, createdAt: { lt: new Date(Date.now() - this.options.minimumAgeMs) } },
      orderBy: [{ attempts: 'asc' }, { createdAt: 'asc' }],
      take: this.options.batchSize,
      select: { participantId: true },
    });
    if (rows.length === 0) return 0;
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
    return started;
  }

  private scheduleNextPass(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.currentPass = this.relayOnce()
        .then((started) => {
          if (started > 0) this.deps.logger.info({ started }, 'outbox relay started journeys');
        })
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'outbox relay pass failed; retrying shortly'))
        .finally(() => {
          this.currentPass = undefined;
          this.scheduleNextPass();
        });
    }, this.options.intervalMs);
    // The relay alone must not keep a stopping process alive.
    this.timer.unref();
  }
}
