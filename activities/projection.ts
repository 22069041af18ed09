// Keeps the database's projection of each participant (for queries and the funnel) in step
// with the workflow, which stays the source of truth. Every write is idempotent.
import type { PrismaClient } from '../lib/database';
import { FINAL_STAGES, type Stage } from '../workflows/participant-journey.definitions';

export type Milestone =
  | 'emailVerifiedAt'
  | 'nikVerifiedAt'
  | 'trainingPurchasedAt'
  | 'trainingCompletedAt'
  | 'completedAt';

export function createProjectionActivities({ prisma }: { prisma: PrismaClient }) {
  return {
    async recordStage({ participantId, stage, at }: { participantId: string; stage: Stage; at: string }): Promise<void> {
      // Only move forward in time: a retried older write must not overwrite a newer stage. A stage
      // on the path after an exit means an operator reset the ended journey: the exit no longer
      // holds (and must not start the personal-data retention clock).
      const resumed = FINAL_STAGES.has(stage) ? {} : { exitedAt: null, exitReason: null };
      await prisma.participant.updateMany({
        where: { id: participantId, stageChangedAt: { lte: new Date(at) } },
        data: { stage, stageChangedAt: new Date(at), ...resumed },
      });
    },

    async recordMilestone({ participantId, milestone, at }: { participantId: string; milestone: Milestone; at: string }): Promise<void> {
      await prisma.participant.updateMany({ where: { id: participantId, [milestone]: null }, data: { [milestone]: new Date(at) } });
    },

    async recordExit({ participantId, stage, reason, at }: { participantId: string; stage: Stage; reason: string; at: string }): Promise<void> {
      await prisma.participant.update({ where: { id: participantId }, data: { exitedAt: new Date(at), exitReason: `${stage}: ${reason}` } });
    },
  };
}
