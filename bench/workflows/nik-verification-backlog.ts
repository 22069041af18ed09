// The verification-backlog benchmark's stand-in for a batch of journeys waiting at
// VERIFYING_IDENTITY: each participant's NIK verification is the journey's own call (the real
// `verifyIdentityWithDukcapil` activity, on Dukcapil's task queue next to the journey's, with the
// journey's registry retry profile), all scheduled at once, so the queue's rate limit alone paces them.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities';
import { outsideSystemTaskQueue } from '../../workflows/outside-system-queues';
import { REGISTRY_PROFILE } from '../../workflows/participant-journey/activities';

export interface NikVerificationBacklogInput {
  participantIds: string[];
  /** The journeys' task queue: Dukcapil's is derived from it as the journey derives it. */
  journeyTaskQueue: string;
}

export interface NikVerificationBacklogResult {
  /** Verifications answered, by Dukcapil's result (MATCH, MISMATCH, ...). */
  byResult: Record<string, number>;
  /** Verifications that ended in a failure (none should: errors are retried until answered), by failure type. */
  failedByType: Record<string, number>;
}

export async function nikVerificationBacklog(input: NikVerificationBacklogInput): Promise<NikVerificationBacklogResult> {
  const dukcapil = proxyActivities<ReturnType<typeof createActivities>>({ ...REGISTRY_PROFILE, taskQueue: outsideSystemTaskQueue(input.journeyTaskQueue, 'dukcapil') });
  const byResult: Record<string, number> = {};
  const failedByType: Record<string, number> = {};
  await Promise.all(
    input.participantIds.map(async (participantId) => {
      try {
        const check = await dukcapil.verifyIdentityWithDukcapil({ participantId });
        byResult[check.result] = (byResult[check.result] ?? 0) + 1;
      } catch (error) {
        if (!(error instanceof ActivityFailure)) throw error;
        const type = error.cause instanceof ApplicationFailure ? (error.cause.type ?? 'ApplicationFailure') : (error.cause?.name ?? 'unknown');
        failedByType[type] = (failedByType[type] ?? 0) + 1;
      }
    }),
  );
  return { byResult, failedByType };
}
