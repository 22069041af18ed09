// Starts a participant's journey workflow for a WorkflowStartOutbox row and records the
// attempt on the row. Used right after registration and by the relay; both may try the same
// row, which is harmless: the workflow id is the participant's, and REJECT_DUPLICATE means a
// journey can never run twice, even after the first one has ended.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../../lib/config';
import type { PrismaClient } from '../../lib/database';
import type { Logger } from '../../lib/logger';
import { PARTICIPANT_JOURNEY_WORKFLOW, participantWorkflowId, type ParticipantJourneyInput } from '../../workflows/participant-journey.definitions';
import { provinceAttribute, stageAttribute } from '../../workflows/search-attributes';

const LAST_ERROR_MAX_LENGTH = 500;

export interface ParticipantJourneyStarterDependencies {
  prisma: PrismaClient;
  temporal: Client;
  config: Config;
  logger: Logger;
}

export class ParticipantJourneyStarter {
  constructor(private readonly deps: ParticipantJourneyStarterDependencies) {}

  /**
   * Resolves once the workflow runs (or already ran) and the outbox row says so. Rejects when
   * Temporal refused or did not answer within `timeoutMs`; the attempt is recorded either way.
   */
  async startParticipantJourney(input: ParticipantJourneyInput, timeoutMs: number): Promise<void> {
    const { prisma } = this.deps;
    try {
      await this.startWorkflow(input, timeoutMs);
    } catch (error) {
      await prisma.workflowStartOutbox.update({
        where: { participantId: input.participantId },
        data: { attempts: { increment: 1 }, lastError: describeStartFailure(error) },
      });
      throw error;
    }
    await prisma.workflowStartOutbox.update({
      where: { participantId: input.participantId },
      data: { attempts: { increment: 1 }, startedAt: new Date(), lastError: null },
    });
  }

  /**
   * Only the Temporal side: resolves once the journey runs or already ran (a second start of the
   * same participant is answered "already started", which is success here). The relay records
   * its batch's outcomes itself.
   */
  async startWorkflow(input: ParticipantJourneyInput, timeoutMs: number): Promise<void> {
    const { temporal, config } = this.deps;
    try {
      await temporal.withDeadline(Date.now() + timeoutMs, () =>
        temporal.workflow.start(PARTICIPANT_JOURNEY_WORKFLOW, {
          workflowId: participantWorkflowId(input.participantId),
          taskQueue: config.temporal.taskQueue,
          args: [input],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          typedSearchAttributes: [
            { key: stageAttribute, value: 'AWAITING_EMAIL_VERIFICATION' },
            { key: provinceAttribute, value: input.province },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
}

/** Temporal's and gRPC's messages name the workflow id at most; no personal data passes through here. */
export function describeStartFailure(error: unknown): string {
  const parts: string[] = [];
  for (let cause: unknown = error; cause instanceof Error && parts.length < 3; cause = cause.cause) parts.push(`${cause.name}: ${cause.message}`);
  return (parts.join(' <- ') || String(error)).slice(0, LAST_ERROR_MAX_LENGTH);
}
