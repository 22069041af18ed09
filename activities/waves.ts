// Wave membership: which calendar applies, and recording an application to an open wave.
import { ApplicationFailure } from '@temporalio/activity';
import { isWaveOpenAt } from '../api/waves/wave-state';
import { isUniqueViolation, type PrismaClient } from '../lib/database';
import { JOURNEY_ERROR_TYPES } from '../workflows/participant-journey.definitions';
import { DEFAULT_PROGRAM_CALENDAR, type ProgramCalendar } from '../workflows/program-calendar';

export function calendarOf(wave: { calendar: unknown }): ProgramCalendar {
  return { ...DEFAULT_PROGRAM_CALENDAR, ...(wave.calendar as Partial<ProgramCalendar>) };
}

export function createWaveActivities({ prisma }: { prisma: PrismaClient }) {
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
      return wave ? calendarOf(wave) : DEFAULT_PROGRAM_CALENDAR;
    },

    async recordWaveApplication(application: { participantId: string; waveId: string; priorityPoints: number; province: string; at: string }) {
      const wave = await prisma.wave.findUnique({ where: { id: application.waveId } });
      if (!wave || !isWaveOpenAt(wave, new Date(application.at))) {
        throw ApplicationFailure.create({ type: JOURNEY_ERROR_TYPES.waveNotOpen, message: 'The wave is not open for applications', nonRetryable: true });
      }
      try {
        await prisma.$transaction([
          prisma.waveApplication.create({
            data: { waveId: wave.id, participantId: application.participantId, priorityPoints: application.priorityPoints, province: application.province, appliedAt: new Date(application.at) },
          }),
          prisma.participant.update({
            where: { id: application.participantId },
            data: { currentWaveId: wave.id, appliedAt: new Date(application.at) },
          }),
        ]);
      } catch (error) {
        // A retry of this very activity finds its own row: that is success, not a second application.
        if (!isUniqueViolation(error)) throw error;
        const existing = await prisma.waveApplication.findUnique({ where: { waveId_participantId: { waveId: wave.id, participantId: application.participantId } } });
        if (existing?.appliedAt.toISOString() !== new Date(application.at).toISOString()) {
          throw ApplicationFailure.create({ type: JOURNEY_ERROR_TYPES.alreadyApplied, message: 'Already applied to this wave', nonRetryable: true });
        }
      }
      return { waveNumber: wave.number, calendar: calendarOf(wave) };
    },
  };
}
