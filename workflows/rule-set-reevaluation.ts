// Asks every participant in the program to be re-checked against one published rule-set version:
// pages through them by id and signals their journeys in batches. Each journey decides for itself
// (its history shows the re-evaluation); this workflow only delivers the requests and counts them.
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { RuleSetReevaluationInput, RuleSetReevaluationResult } from './rule-set-reevaluation.definitions';

type Activities = ReturnType<typeof createActivities>;

const PAGE_SIZE = 200;
/** About 6 events per page: a run stays far below the history limits, whatever the population. */
const PAGES_PER_RUN = 100;

const internal = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
// A batch's signals go out with bounded concurrency; a retry re-sends all of them, which the
// journeys ignore (same request id).
const signalling = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export async function ruleSetReevaluation(input: RuleSetReevaluationInput): Promise<RuleSetReevaluationResult> {
  const { reevaluationId, ruleSetId, requestedBy } = input;
  let afterParticipantId = input.progress?.afterParticipantId;
  let participantsSignalled = input.progress?.participantsSignalled ?? 0;
  let journeysNotRunning = input.progress?.journeysNotRunning ?? 0;

  for (let page = 0; ; page++) {
    if (page === PAGES_PER_RUN && afterParticipantId) {
      await continueAsNew<typeof ruleSetReevaluation>({ ...input, progress: { afterParticipantId, participantsSignalled, journeysNotRunning } });
    }
    const participantIds = await internal.listParticipantsInProgram({ afterParticipantId, limit: PAGE_SIZE });
    if (participantIds.length > 0) {
      const sent = await signalling.signalEligibilityReevaluation({ participantIds, requestId: reevaluationId, ruleSetId, requestedBy });
      participantsSignalled += sent.signalled;
      journeysNotRunning += sent.notRunning;
      afterParticipantId = participantIds.at(-1);
    }
    const completed = participantIds.length < PAGE_SIZE;
    await internal.recordReevaluationProgress({ reevaluationId, participantsSignalled, journeysNotRunning, completed });
    if (completed) return { participantsSignalled, journeysNotRunning };
  }
}
