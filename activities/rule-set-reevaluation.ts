// The re-evaluation workflow's hands: who is in the program (a page at a time, by id), signalling
// their journeys, and the progress the API reports.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { runWithConcurrency } from '../lib/run-with-concurrency';
import type { PrismaClient } from '../lib/database';
import { IN_PROGRAM_STAGES, participantWorkflowId, reevaluateEligibilitySignal } from '../workflows/participant-journey.definitions';

const SIGNAL_CONCURRENCY = 20;

export function createRuleSetReevaluationActivities({ prisma, temporal }: { prisma: PrismaClient; temporal: Client }) {
  return {
    /** Keyset pagination: ids after `afterParticipantId`, so the pages stay correct while stages move. */
    async listParticipantsInProgram({ afterParticipantId, limit }: { afterParticipantId?: string; limit: number }): Promise<string[]> {
      const page = await prisma.participant.findMany({
        where: { stage: { in: [...IN_PROGRAM_STAGES] }, ...(afterParticipantId ? { id: { gt: afterParticipantId } } : {}) },
        select: { id: true },
        orderBy: { id: 'asc' },
        take: limit,
      });
      return page.map(({ id }) => id);
    },

    /** A journey that has ended meanwhile is counted, not an error. */
    async signalEligibilityReevaluation(request: { participantIds: string[]; requestId: string; ruleSetId: string; requestedBy: string }) {
      const { participantIds, ...signal } = request;
      let notRunning = 0;
      await runWithConcurrency(participantIds, SIGNAL_CONCURRENCY, async (participantId) => {
        try {
          await temporal.workflow.getHandle(participantWorkflowId(participantId)).signal(reevaluateEligibilitySignal, signal);
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          notRunning += 1;
        }
      });
      return { signalled: participantIds.length - notRunning, notRunning };
    },

    /** Absolute counts, so a retried or repeated write changes nothing. */
    async recordReevaluationProgress(progress: { reevaluationId: string; participantsSignalled: number; journeysNotRunning: number; completed: boolean }) {
      await prisma.ruleSetReevaluation.update({
        where: { id: progress.reevaluationId },
        data: {
          participantsSignalled: progress.participantsSignalled,
          journeysNotRunning: progress.journeysNotRunning,
          ...(progress.completed ? { status: 'COMPLETED', completedAt: new Date() } : {}),
        },
      });
    },
  };
}
