// Waves: creation with a full calendar, reading with the effective state, and closing. Until
// the waves/selection work lands, closing selects every applicant.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Wave } from '../../generated/prisma/client';
import { isUniqueViolation, type PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { participantWorkflowId, waveOutcomeSignal } from '../../workflows/participant-journey.definitions';
import { DEFAULT_PROGRAM_CALENDAR, type ProgramCalendar } from '../../workflows/program-calendar';
import { ConflictError, NotFoundError } from '../errors';
import { isUuid } from '../resource-ids';
import { runWithConcurrency } from '../run-with-concurrency';
import { programCalendarSchema, type CreateWaveRequest, type WaveCloseSummary, type WaveView } from './wave.schema';
import { waveStateAt } from './wave-state';

const SIGNAL_PAGE_SIZE = 500;
const SIGNAL_CONCURRENCY = 25;

export interface WaveServiceDependencies {
  prisma: PrismaClient;
  temporal: Client;
  logger: Logger;
  now: () => Date;
}

export class WaveService {
  constructor(private readonly deps: WaveServiceDependencies) {}

  async createWave(request: CreateWaveRequest, createdBy: string): Promise<WaveView> {
    const calendar: ProgramCalendar = { ...DEFAULT_PROGRAM_CALENDAR, ...request.calendar };
    try {
      const wave = await this.deps.prisma.wave.create({
        data: {
          number: request.number,
          opensAt: new Date(request.opensAt),
          closesAt: new Date(request.closesAt),
          quota: request.quota,
          calendar: { ...calendar },
          createdBy,
        },
      });
      return this.toView(wave);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('WAVE_NUMBER_TAKEN', `Wave number ${request.number} already exists`);
      throw error;
    }
  }

  async listWaves(): Promise<WaveView[]> {
    const waves = await this.deps.prisma.wave.findMany({ orderBy: { number: 'asc' } });
    return waves.map((wave) => this.toView(wave));
  }

  async getWave(waveId: string): Promise<WaveView> {
    return this.toView(await this.findWave(waveId));
  }

  /**
   * Marks every APPLIED application SELECTED and tells each applicant's workflow. The wave stays
   * SELECTING until every signal went out, so calling close again after a crash or an outage
   * re-sends them (the workflow ignores a repeated outcome for the same wave), then SELECTED.
   */
  async closeWave(waveId: string): Promise<WaveCloseSummary> {
    const wave = await this.findWave(waveId);
    const state = waveStateAt(wave, this.deps.now());
    if (state === 'SCHEDULED') throw new ConflictError('WAVE_NOT_OPEN_YET', `Wave ${wave.number} has not opened yet`);
    if (state !== 'SELECTED') {
      const decidedAt = this.deps.now();
      await this.deps.prisma.$transaction([
        this.deps.prisma.wave.update({ where: { id: wave.id }, data: { state: 'SELECTING' } }),
        this.deps.prisma.waveApplication.updateMany({ where: { waveId: wave.id, status: 'APPLIED' }, data: { status: 'SELECTED', decidedAt } }),
      ]);
      const journeysEnded = await this.signalSelectedApplicants(wave.id);
      await this.deps.prisma.wave.update({ where: { id: wave.id }, data: { state: 'SELECTED' } });
      this.deps.logger.info({ waveId: wave.id, waveNumber: wave.number, journeysEnded }, 'wave closed and applicants selected');
    }
    const [selected, notSelected] = await Promise.all([
      this.deps.prisma.waveApplication.count({ where: { waveId: wave.id, status: 'SELECTED' } }),
      this.deps.prisma.waveApplication.count({ where: { waveId: wave.id, status: 'NOT_SELECTED' } }),
    ]);
    return { waveId: wave.id, state: 'SELECTED', selected, notSelected };
  }

  /** Returns how many selected applicants no longer had a running journey (they withdrew, say). */
  private async signalSelectedApplicants(waveId: string): Promise<number> {
    let journeysEnded = 0;
    let cursor: string | undefined;
    for (;;) {
      const page = await this.deps.prisma.waveApplication.findMany({
        where: { waveId, status: 'SELECTED' },
        select: { id: true, participantId: true },
        orderBy: { id: 'asc' },
        take: SIGNAL_PAGE_SIZE,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      });
      await runWithConcurrency(page, SIGNAL_CONCURRENCY, async ({ participantId }) => {
        try {
          await this.deps.temporal.workflow.getHandle(participantWorkflowId(participantId)).signal(waveOutcomeSignal, { waveId, selected: true });
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          journeysEnded += 1;
        }
      });
      if (page.length < SIGNAL_PAGE_SIZE) return journeysEnded;
      cursor = page.at(-1)!.id;
    }
  }

  private async findWave(waveId: string): Promise<Wave> {
    const wave = isUuid(waveId) ? await this.deps.prisma.wave.findUnique({ where: { id: waveId } }) : null;
    if (!wave) throw new NotFoundError('WAVE_NOT_FOUND', 'No such wave');
    return wave;
  }

  private toView(wave: Wave): WaveView {
    const calendar = programCalendarSchema.safeParse(wave.calendar);
    // Written by createWave only; a stored calendar that does not parse is a bug, not a client error.
    if (!calendar.success) throw new Error(`Wave ${wave.id} has a malformed stored calendar`);
    return {
      id: wave.id,
      number: wave.number,
      state: waveStateAt(wave, this.deps.now()),
      opensAt: wave.opensAt.toISOString(),
      closesAt: wave.closesAt.toISOString(),
      timeZone: wave.timeZone,
      quota: wave.quota,
      calendar: calendar.data,
      createdAt: wave.createdAt.toISOString(),
    };
  }
}
