// Wave membership: which calendar applies, recording an application to an open wave, the terms
// of the wave a participant was selected in, and which wave a participant not selected is
// carried over to.
import { ApplicationFailure } from '@temporalio/activity';
import { isUniqueViolation, type PrismaClient } from '../lib/database';
import { DEFAULT_PROGRAM_CALENDAR, type ProgramCalendar } from '../lib/program-calendar';
import { storedCalendarOf } from '../lib/program-calendar.schema';
import type { ProgramTerms } from '../lib/program-terms';
import { storedTermsOf } from '../lib/program-terms.schema';
import { isWaveOpenAt } from '../lib/wave-state';
import { JOURNEY_ERROR_TYPES } from '../workflows/participant-journey.definitions';


export function createWaveActivities({ prisma, carryOver }: { prisma: PrismaClient; carryOver: boolean }) {
  return {
    /**
     * The calendar a registrant's first steps follow: the one of the wave open at signup (or
     * the next one scheduled), else the program defaults. After joining a wave, its own applies.
     */
    async loadProgramCalendar({ at }: { at: string }): Promise<ProgramCalendar> {
      const wave = await prisma.wave.findFirst({
        where: { state: { in: ['SCHEDULED', 'OPEN'] }, closesAt: { gt: new Date(at) } },
        orderBy: { opensAt: 'asc' },
      });
      return wave ? storedCalendarOf(wave) : DEFAULT_PROGRAM_CALENDAR;
    },

    /**
     * Records an application to a wave open at `at`. The wave's row is read under a share lock,
     * so the selection's close (which takes the row for update) waits for an application in
     * flight, and an application after the close sees it: nobody lands after the ranking.
     */
    async recordWaveApplication(application: {
      participantId: string;
      waveId: string;
      priorityPoints: number;
      province: string;
      at: string;
      carriedOverFromWaveId?: string;
    }) {
      const appliedAt = new Date(application.at);
      const key = { waveId_participantId: { waveId: application.waveId, participantId: application.participantId } };
      // A retry of this very activity finds its own row: that is success, not a second application.
      const sameApplication = async () => {
        const existing = await prisma.waveApplication.findUnique({ where: key, include: { wave: true } });
        if (!existing) return undefined;
        if (existing.appliedAt.getTime() !== appliedAt.getTime()) {
          throw ApplicationFailure.create({ type: JOURNEY_ERROR_TYPES.alreadyApplied, message: 'Already applied to this wave', nonRetryable: true });
        }
        return { waveNumber: existing.wave.number, calendar: storedCalendarOf(existing.wave) };
      };
      const earlier = await sameApplication();
      if (earlier) return earlier;
      try {
        return await prisma.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT id FROM "Wave" WHERE id = ${application.waveId}::uuid FOR SHARE`;
          const wave = await tx.wave.findUnique({ where: { id: application.waveId } });
          if (!wave || !isWaveOpenAt(wave, appliedAt)) {
            throw ApplicationFailure.create({ type: JOURNEY_ERROR_TYPES.waveNotOpen, message: 'The wave is not open for applications', nonRetryable: true });
          }
          await tx.waveApplication.create({
            data: {
              waveId: wave.id,
              participantId: application.participantId,
              priorityPoints: application.priorityPoints,
              province: application.province,
              appliedAt,
              carriedOverFromWaveId: application.carriedOverFromWaveId,
            },
          });
          await tx.participant.update({ where: { id: application.participantId }, data: { currentWaveId: wave.id, appliedAt } });
          return { waveNumber: wave.number, calendar: storedCalendarOf(wave) };
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const raced = await sameApplication();
        if (!raced) throw error;
        return raced;
      }
    },

    /**
     * The terms of a wave, read by a journey when it learns it was selected there. They are fixed
     * from the close on (the waves API refuses to change them), so every participant selected in
     * the wave reads the same.
     */
    async loadWaveTerms({ waveId }: { waveId: string }): Promise<ProgramTerms> {
      return storedTermsOf(await prisma.wave.findUniqueOrThrow({ where: { id: waveId }, select: { id: true, terms: true } }));
    },

    /**
     * The wave a participant not selected in `afterWaveId` is carried over to, when the program
     * carries over (WAVE_CARRY_OVER): the next wave by number that has not closed yet.
     */
    async findCarryOverWave({ afterWaveId }: { afterWaveId: string }): Promise<{ waveId: string; number: number; opensAt: string } | null> {
      if (!carryOver) return null;
      const previous = await prisma.wave.findUnique({ where: { id: afterWaveId }, select: { number: true } });
      if (!previous) return null;
      const next = await prisma.wave.findFirst({
        where: { number: { gt: previous.number }, state: { in: ['SCHEDULED', 'OPEN'] }, closesAt: { gt: new Date() } },
        orderBy: { number: 'asc' },
      });
      return next && { waveId: next.id, number: next.number, opensAt: next.opensAt.toISOString() };
    },
  };
}
