// Waves: creation (which starts the wave's selection workflow), program managers' adjustments
// and early close (which the workflow hears as a signal), and the selection as operators read
// it. Ranking and telling applicants is the workflow's work (workflows/wave-selection.ts).
import type { Client } from '@temporalio/client';
import type { Wave } from '../../generated/prisma/client';
import { isUniqueViolation, type Prisma, type PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { DEFAULT_PROGRAM_CALENDAR, type ProgramCalendar } from '../../lib/program-calendar';
import { storedCalendarOf } from '../../lib/program-calendar.schema';
import { DEFAULT_PROGRAM_TERMS, type ProgramTerms } from '../../lib/program-terms';
import { storedTermsOf } from '../../lib/program-terms.schema';
import { LOTTERY_RULE } from '../../lib/wave-lottery';
import { waveAttribute } from '../../workflows/search-attributes';
import { WAVE_SELECTION_WORKFLOW, waveChangedSignal, waveSelectionWorkflowId, type WaveSelectionInput } from '../../workflows/wave-selection.definitions';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../errors';
import { isUuid } from '../resource-ids';
import {
  type ApplicantsPage,
  type ApplicantsQuery,
  type CreateWaveRequest,
  type UpdateWaveRequest,
  type WaveSelectionView,
  type WaveView,
} from './wave.schema';
import { waveStateAt } from '../../lib/wave-state';
import { inTimeZone } from './wave-time';

export interface WaveServiceDependencies {
  prisma: PrismaClient;
  temporal: Client;
  /** The task queue the selection workflows run on (TEMPORAL_SELECTION_TASK_QUEUE). */
  selectionTaskQueue: string;
  logger: Logger;
  now: () => Date;
}

/** Starting or signalling the selection workflow: Temporal answers in milliseconds, or it is down. */
const TEMPORAL_CALL_TIMEOUT_MS = 10_000;

interface ApplicantsCursor {
  rank: number | null;
  id: string;
}

export class WaveService {
  constructor(private readonly deps: WaveServiceDependencies) {}

  /**
   * The wave and its selection workflow, which sleeps until the wave opens and closes. A wave
   * without its workflow would never close on time, so a failed start removes the wave again.
   */
  async createWave(request: CreateWaveRequest, createdBy: string): Promise<WaveView> {
    const calendar: ProgramCalendar = { ...DEFAULT_PROGRAM_CALENDAR, ...request.calendar };
    const terms: ProgramTerms = { ...DEFAULT_PROGRAM_TERMS, ...request.terms };
    let wave: Wave;
    try {
      wave = await this.deps.prisma.wave.create({
        data: {
          number: request.number,
          opensAt: new Date(request.opensAt),
          closesAt: new Date(request.closesAt),
          quota: request.quota,
          calendar: { ...calendar },
          terms: { ...terms },
          createdBy,
          ...(request.timeZone ? { timeZone: request.timeZone } : {}),
        },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('WAVE_NUMBER_TAKEN', `Wave number ${request.number} already exists`);
      throw error;
    }
    try {
      await this.deps.temporal.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
        this.deps.temporal.workflow.start(WAVE_SELECTION_WORKFLOW, {
          workflowId: waveSelectionWorkflowId(wave.id),
          taskQueue: this.deps.selectionTaskQueue,
          args: [{ waveId: wave.id } satisfies WaveSelectionInput],
          workflowIdConflictPolicy: 'USE_EXISTING',
          typedSearchAttributes: [{ key: waveAttribute, value: wave.number }],
        }),
      );
    } catch (error) {
      // Had the start gone through after all, the workflow finds no wave and ends (WAVE_NOT_FOUND).
      await this.deps.prisma.wave.delete({ where: { id: wave.id } });
      throw error;
    }
    this.deps.logger.info({ waveId: wave.id, waveNumber: wave.number }, 'wave created, selection workflow started');
    return this.toView(wave);
  }

  async listWaves(): Promise<WaveView[]> {
    const waves = await this.deps.prisma.wave.findMany({ orderBy: { number: 'asc' } });
    return waves.map((wave) => this.toView(wave));
  }

  async getWave(waveId: string): Promise<WaveView> {
    return this.toView(await this.findWave(waveId));
  }

  /**
   * Under the wave's row lock, so a change and the close (on schedule or early) never cross:
   * whichever comes second sees the other.
   */
  async updateWave(waveId: string, changes: UpdateWaveRequest): Promise<WaveView> {
    await this.findWave(waveId);
    const now = this.deps.now();
    const updated = await this.deps.prisma.$transaction(async (tx) => {
      const wave = await lockWave(tx, waveId);
      const state = waveStateAt(wave, now);
      const closed = state !== 'SCHEDULED' && state !== 'OPEN';
      // Journeys read the terms when they learn they were selected: money changed after the close
      // would pay some of one wave's participants differently from the others.
      if (closed && changes.terms !== undefined) {
        throw new ConflictError('WAVE_TERMS_FIXED', `Wave ${wave.number} has closed for its selection: its terms are fixed`);
      }
      if (closed) throw new ConflictError('WAVE_CLOSED', `Wave ${wave.number} has closed; it can no longer change`);
      if (state === 'OPEN' && (changes.opensAt !== undefined || changes.timeZone !== undefined || changes.calendar !== undefined)) {
        throw new ConflictError('WAVE_ALREADY_OPEN', `Wave ${wave.number} is open: only quota and closesAt can change`);
      }
      const opensAt = changes.opensAt ? new Date(changes.opensAt) : wave.opensAt;
      const closesAt = changes.closesAt ? new Date(changes.closesAt) : wave.closesAt;
      if (closesAt <= opensAt) throw new ValidationError('The request body is invalid', { closesAt: 'must be later than opensAt' });
      if (changes.closesAt && closesAt <= now) {
        throw new UnprocessableError('CLOSES_IN_THE_PAST', 'closesAt must be in the future; to close the wave now, use POST /v1/waves/{id}/close');
      }
      if (changes.quota !== undefined) {
        const selected = await tx.waveApplication.count({ where: { waveId, status: 'SELECTED' } });
        if (changes.quota < selected) throw new UnprocessableError('QUOTA_BELOW_SELECTED', `The quota cannot drop below the ${selected} already selected`);
      }
      const calendar = changes.calendar ? { ...storedCalendarOf(wave), ...changes.calendar } : undefined;
      const terms = changes.terms ? { ...storedTermsOf(wave), ...changes.terms } : undefined;
      return tx.wave.update({
        where: { id: waveId },
        data: { opensAt, closesAt, quota: changes.quota, timeZone: changes.timeZone, ...(calendar ? { calendar } : {}), ...(terms ? { terms } : {}) },
      });
    });
    await this.tellSelectionWorkflow(updated);
    this.deps.logger.info({ waveId, waveNumber: updated.number, changed: Object.keys(changes) }, 'wave adjusted');
    return this.toView(updated);
  }

  /**
   * Closes an open wave now. Applications stop at once (the row lock makes a running one finish
   * first); the selection workflow, woken by a signal, ranks and tells the applicants. Calling
   * it again is harmless, and also wakes (or restarts) a selection that has not finished.
   */
  async closeWave(waveId: string, closedBy: string): Promise<WaveSelectionView> {
    const found = await this.findWave(waveId);
    const now = this.deps.now();
    const storedState = await this.deps.prisma.$transaction(async (tx) => {
      const wave = await lockWave(tx, waveId);
      const state = waveStateAt(wave, now);
      if (state === 'SCHEDULED') throw new ConflictError('WAVE_NOT_OPEN_YET', `Wave ${wave.number} has not opened yet`);
      if (wave.state === 'SCHEDULED' || wave.state === 'OPEN') {
        // Closed by the clock already (closesAt passed) but not recorded yet: it closed at closesAt.
        const early = wave.closesAt > now;
        const closedAt = early ? now : wave.closesAt;
        await tx.wave.update({ where: { id: waveId }, data: { state: 'CLOSED', closedAt, closedBy: early ? closedBy : 'schedule' } });
        const transitions: Prisma.WaveStateTransitionCreateManyInput[] = [];
        if (wave.state === 'SCHEDULED') transitions.push({ waveId, fromState: 'SCHEDULED', toState: 'OPEN', actor: 'schedule', at: wave.opensAt });
        transitions.push({ waveId, fromState: 'OPEN', toState: 'CLOSED', actor: early ? closedBy : 'schedule', at: closedAt });
        await tx.waveStateTransition.createMany({ data: transitions, skipDuplicates: true });
        this.deps.logger.info({ waveId, waveNumber: wave.number, early }, 'wave closed');
      }
      return wave.state;
    });
    if (storedState !== 'SELECTED') await this.tellSelectionWorkflow(found);
    return this.getSelection(waveId);
  }

  async getSelection(waveId: string): Promise<WaveSelectionView> {
    const wave = await this.findWave(waveId);
    const [byStatus, transitions] = await Promise.all([
      this.deps.prisma.waveApplication.groupBy({ by: ['status'], where: { waveId }, _count: { _all: true } }),
      this.deps.prisma.waveStateTransition.findMany({ where: { waveId }, orderBy: { at: 'asc' } }),
    ]);
    const count = (status: string) => byStatus.find((group) => group.status === status)?._count._all ?? 0;
    const selected = count('SELECTED');
    const notSelected = count('NOT_SELECTED');
    return {
      waveId: wave.id,
      number: wave.number,
      state: waveStateAt(wave, this.deps.now()),
      quota: wave.quota,
      closedAt: wave.closedAt?.toISOString() ?? null,
      closedBy: wave.closedBy,
      applicants: count('APPLIED') + selected + notSelected,
      selected,
      notSelected,
      withdrawn: count('WITHDRAWN'),
      cutoffPriority: wave.cutoffPriority,
      seed: wave.selectionSeed,
      lotteryRule: LOTTERY_RULE,
      rankedAt: wave.rankedAt?.toISOString() ?? null,
      signalled: wave.signalledThroughRank,
      journeysEnded: wave.journeysEnded,
      selectionCompletedAt: wave.selectionCompletedAt?.toISOString() ?? null,
      transitions: transitions.map((t) => ({ from: t.fromState, to: t.toState, at: t.at.toISOString(), actor: t.actor })),
    };
  }

  /** Keyset paging in rank order, unranked (not yet ranked, or withdrawn) last, then by id. */
  async listApplicants(waveId: string, query: ApplicantsQuery): Promise<ApplicantsPage> {
    await this.findWave(waveId);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const afterCursor: Prisma.WaveApplicationWhereInput | undefined =
      after === undefined
        ? undefined
        : after.rank === null
          ? { rank: null, id: { gt: after.id } }
          : { OR: [{ rank: { gt: after.rank } }, { rank: after.rank, id: { gt: after.id } }, { rank: null }] };
    const rows = await this.deps.prisma.waveApplication.findMany({
      where: { waveId, ...(query.status ? { status: query.status } : {}), ...(afterCursor ? { AND: [afterCursor] } : {}) },
      orderBy: [{ rank: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      applicants: page.map((row) => ({
        participantId: row.participantId,
        status: row.status,
        rank: row.rank,
        priorityPoints: row.priorityPoints,
        lotteryTicket: row.lotteryTicket,
        province: row.province,
        appliedAt: row.appliedAt.toISOString(),
        decidedAt: row.decidedAt?.toISOString() ?? null,
        carriedOverFromWaveId: row.carriedOverFromWaveId,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ rank: last.rank, id: last.id }) : null,
    };
  }

  /** Signal-with-start: also (re)starts a selection workflow that is missing, e.g. for a wave older than this code. */
  private async tellSelectionWorkflow(wave: { id: string; number: number }): Promise<void> {
    await this.deps.temporal.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
      this.deps.temporal.workflow.signalWithStart(WAVE_SELECTION_WORKFLOW, {
        workflowId: waveSelectionWorkflowId(wave.id),
        taskQueue: this.deps.selectionTaskQueue,
        args: [{ waveId: wave.id } satisfies WaveSelectionInput],
        signal: waveChangedSignal,
        signalArgs: [],
        typedSearchAttributes: [{ key: waveAttribute, value: wave.number }],
      }),
    );
  }

  private async findWave(waveId: string): Promise<Wave> {
    const wave = isUuid(waveId) ? await this.deps.prisma.wave.findUnique({ where: { id: waveId } }) : null;
    if (!wave) throw new NotFoundError('WAVE_NOT_FOUND', 'No such wave');
    return wave;
  }

  private toView(wave: Wave): WaveView {
    return {
      id: wave.id,
      number: wave.number,
      state: waveStateAt(wave, this.deps.now()),
      opensAt: wave.opensAt.toISOString(),
      closesAt: wave.closesAt.toISOString(),
      timeZone: wave.timeZone,
      opensAtLocal: inTimeZone(wave.opensAt, wave.timeZone),
      closesAtLocal: inTimeZone(wave.closesAt, wave.timeZone),
      quota: wave.quota,
      calendar: storedCalendarOf(wave),
      terms: storedTermsOf(wave),
      createdAt: wave.createdAt.toISOString(),
    };
  }
}

async function lockWave(tx: Prisma.TransactionClient, waveId: string): Promise<Wave> {
  await tx.$queryRaw`SELECT id FROM "Wave" WHERE id = ${waveId}::uuid FOR UPDATE`;
  return tx.wave.findUniqueOrThrow({ where: { id: waveId } });
}

function encodeCursor(cursor: ApplicantsCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): ApplicantsCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null) {
      const { rank, id } = value as Record<string, unknown>;
      if ((rank === null || Number.isInteger(rank)) && typeof id === 'string' && isUuid(id)) return { rank: rank as number | null, id };
    }
  } catch {
    // falls through to the validation error
  }
  throw new ValidationError('The request query is invalid', { 'query.cursor': 'must be a nextCursor this API returned' });
}
