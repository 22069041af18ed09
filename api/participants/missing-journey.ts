// Temporal answers "workflow not found" both for a journey not started yet and for an update or
// signal to a journey that has ended; the database tells the cases apart.
import type { PrismaClient } from '../../lib/database';
import { ConflictError, NotFoundError, ServiceUnavailableError, type HttpError } from '../errors';

export function participantNotFound(): NotFoundError {
  return new NotFoundError('PARTICIPANT_NOT_FOUND', 'No such participant');
}

export async function explainMissingJourney(prisma: PrismaClient, participantId: string): Promise<HttpError> {
  const [participant, outbox] = await Promise.all([
    prisma.participant.findUnique({ where: { id: participantId }, select: { stage: true } }),
    prisma.workflowStartOutbox.findUnique({ where: { participantId }, select: { startedAt: true } }),
  ]);
  if (!participant) return participantNotFound();
  if (!outbox?.startedAt) return new ServiceUnavailableError('JOURNEY_STARTING', 'The participant\'s journey is still being started; retry in a few seconds', 2);
  return new ConflictError('WRONG_STAGE', `The participant's journey has ended (stage ${participant.stage})`);
}
