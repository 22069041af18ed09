// Temporal answers "workflow not found" both for a journey not started yet and for an update or
// signal to a journey that has ended; the database tells the cases apart.
import type { PrismaClient } from '../../lib/database';
import { ConflictError, NotFoundError, ServiceUnavailableError, type HttpError } from '../errors';

export function participantNotFound(): NotFoundError {
  return new NotFoundError('PARTICIPANT_NOT_FOUND', 'No such participant');
}

/**
 * `whenEnded` says what a journey that has finished answers (by default 409 WRONG_STAGE): an
 * appeal to a journey whose appeal window closed, for one, is told so.
 */
export async function explainMissingJourney(
  prisma: PrismaClient,
  participantId: string,
  whenEnded: (stage: string) => HttpError = (stage) => new ConflictError('WRONG_STAGE', `The participant's journey has ended (stage ${stage})`),
): Promise<HttpError> {
  const [participant, outbox] = await Promise.all([
    prisma.participant.findUnique({ where: { id: participantId }, select: { stage: true } }),
    prisma.workflowStartOutbox.findUnique({ where: { participantId }, select: { startedAt: true } }),
  ]);
  if (!participant) return participantNotFound();
  if (!outbox?.startedAt) return new ServiceUnavailableError('JOURNEY_STARTING', 'The participant\'s journey is still being started; retry in a few seconds', 2);
  return whenEnded(participant.stage);
}
