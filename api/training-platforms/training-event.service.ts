// Training-platform events. Each event is claimed by inserting its (platformId, eventId) row and
// marked applied once the journey accepted it: a redelivery of an applied event has no effect,
// while one whose earlier attempt crashed half-way is tried again (the update id stops Temporal
// from applying it twice). When the journey refuses (or cannot be reached) the claim is
// released, so the platform's answer is the refusal and a later redelivery is judged afresh.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { isUniqueViolation, type PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { participantWorkflowId, recordTrainingEventUpdate } from '../../workflows/participant-journey.definitions';
import { explainMissingJourney } from '../participants/missing-journey';
import type { TrainingEvent, TrainingEventOutcome } from './training-event.schema';

const UPDATE_TIMEOUT_MS = 10_000;

export interface TrainingEventServiceDependencies {
  prisma: PrismaClient;
  temporal: Client;
  logger: Logger;
}

export class TrainingEventService {
  constructor(private readonly deps: TrainingEventServiceDependencies) {}

  async recordTrainingEvent(event: TrainingEvent): Promise<TrainingEventOutcome> {
    const { prisma, temporal, logger } = this.deps;
    const { platformId, eventId, participantId, type, courseId, price } = event;
    const log = { platformId, eventId, participantId, type };
    try {
      await prisma.trainingEvent.create({ data: { platformId, eventId, participantId, type, courseId, price } });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const claim = await prisma.trainingEvent.findUnique({ where: { platformId_eventId: { platformId, eventId } }, select: { appliedAt: true } });
      if (claim?.appliedAt) {
        logger.info(log, 'duplicate training event ignored');
        return { status: 'duplicate' };
      }
      logger.info(log, 'training event claimed earlier but not applied; trying again');
    }

    try {
      const journey = temporal.workflow.getHandle(participantWorkflowId(participantId));
      await temporal.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, () =>
        journey.executeUpdate(recordTrainingEventUpdate, {
          args: [{ eventId, type, platformId, courseId, price }],
          // Temporal deduplicates updates by id within a run: a retry after a lost answer is not applied twice.
          updateId: `training-event:${platformId}:${eventId}`,
        }),
      );
    } catch (error) {
      await prisma.trainingEvent.delete({ where: { platformId_eventId: { platformId, eventId } } }).catch((releaseError: unknown) => {
        logger.error({ ...log, err: releaseError }, 'could not release the claim of a refused training event');
      });
      logger.info({ ...log, refusal: error instanceof Error ? error.name : 'unknown' }, 'training event not applied; claim released');
      if (error instanceof WorkflowNotFoundError) throw await explainMissingJourney(prisma, participantId);
      throw error;
    }
    await prisma.trainingEvent.update({ where: { platformId_eventId: { platformId, eventId } }, data: { appliedAt: new Date() } });
    logger.info(log, 'training event applied');
    return { status: 'accepted' };
  }
}
