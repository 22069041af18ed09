// Training-platform events. Each event is claimed by inserting its (platformId, eventId) row and
// marked applied once the journey accepted it: a redelivery of an applied event has no effect,
// while one whose earlier attempt crashed half-way is tried again (the update id stops Temporal
// from applying it twice). When the journey refuses (or cannot be reached) the claim is
// released, so the platform's answer is the refusal and a later redelivery is judged afresh.
//
// Replays: every verified signature is recorded for the timestamp window (after which the
// timestamp check refuses the request anyway). The same signed request arriving again is a
// replay: answered `duplicate` when its event was applied (a platform's blind retry needs a 2xx
// and gets no second effect), refused with 401 WEBHOOK_REPLAYED otherwise, so a captured request
// that was refused cannot be played back later to take effect. A genuine redelivery signs anew.
import { createHash } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { isUniqueViolation, type PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { participantWorkflowId, recordTrainingEventUpdate } from '../../workflows/participant-journey.definitions';
import { DEFAULT_WEBHOOK_TOLERANCE_SECONDS } from '../../lib/webhook-signature';
import { UnauthorizedError } from '../errors';
import { explainMissingJourney } from '../participants/missing-journey';
import type { TrainingEvent, TrainingEventOutcome } from './training-event.schema';

const UPDATE_TIMEOUT_MS = 10_000;
/** Signatures are kept twice the timestamp window (either side of the clock), then pruned. */
const SIGNATURE_RETENTION_MS = 2 * DEFAULT_WEBHOOK_TOLERANCE_SECONDS * 1000;
const PRUNE_INTERVAL_MS = 60_000;

export interface TrainingEventServiceDependencies {
  prisma: PrismaClient;
  temporal: Client;
  logger: Logger;
}

export class TrainingEventService {
  private lastPrunedAt = 0;

  constructor(private readonly deps: TrainingEventServiceDependencies) {}

  async recordTrainingEvent(event: TrainingEvent, signature: string): Promise<TrainingEventOutcome> {
    const { prisma, temporal, logger } = this.deps;
    const { platformId, eventId, participantId, type, courseId, price } = event;
    const log = { platformId, eventId, participantId, type };
    if (!(await this.firstSighting(platformId, signature))) {
      const claim = await prisma.trainingEvent.findUnique({ where: { platformId_eventId: { platformId, eventId } }, select: { appliedAt: true } });
      logger.warn({ ...log, applied: Boolean(claim?.appliedAt) }, 'replayed training-event signature');
      if (claim?.appliedAt) return { status: 'duplicate' };
      throw new UnauthorizedError('WEBHOOK_REPLAYED', 'This signed request was received before; a redelivery must be signed anew');
    }
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

  /** Records the signature; false when it was seen before (a replay). */
  private async firstSighting(platformId: string, signature: string): Promise<boolean> {
    const { prisma } = this.deps;
    const signatureDigest = new Uint8Array(createHash('sha256').update(signature).digest());
    await this.pruneOldSignatures();
    try {
      await prisma.webhookSignatureSeen.create({ data: { platformId, signatureDigest } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  private async pruneOldSignatures(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrunedAt < PRUNE_INTERVAL_MS) return;
    this.lastPrunedAt = now;
    await this.deps.prisma.webhookSignatureSeen.deleteMany({ where: { seenAt: { lt: new Date(now - SIGNATURE_RETENTION_MS) } } });
  }
}
