// Applies one operator action to every member of a batch (fixed when it was requested), a page at
// a time, at a bounded rate. The activity paces the items and writes each one's outcome; this
// workflow decides only when to take the next page: not while paused, never again once cancelled.
import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import {
  BATCH_ACTION_ERROR_TYPES,
  cancelBatchUpdate,
  getBatchControlQuery,
  pauseBatchUpdate,
  resumeBatchUpdate,
  type BatchActionControl,
  type BatchActionInput,
  type BatchActionResult,
} from './batch-action.definitions';

type Activities = ReturnType<typeof createActivities>;

/** A page lasts about this long at the batch's rate: how soon a pause or a cancellation takes effect. */
const PAGE_SECONDS = 2;
const MAX_PAGE_SIZE = 500;

const internal = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
// A page's items are paced over about PAGE_SECONDS, each journey update answering within its own
// timeout; a retried page skips the items already settled (their outcome is no longer PENDING).
const paced = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export async function batchAction(input: BatchActionInput): Promise<BatchActionResult> {
  const { batchId, kind, reason, requestedBy, ratePerSecond, pagesPerRun } = input;
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, ratePerSecond * PAGE_SECONDS));
  let afterParticipantId = input.progress?.afterParticipantId;
  let pause: { by: string } | undefined;
  let resumedBy: string | undefined;
  let cancellation: { by: string; reason: string } | undefined;
  const control = (): BatchActionControl => ({ pauseRequested: pause !== undefined, cancellationRequested: cancellation !== undefined });

  setHandler(getBatchControlQuery, control);
  setHandler(
    pauseBatchUpdate,
    ({ by }) => {
      pause = { by };
      return control();
    },
    { validator: (_request) => refuseUnless(pause === undefined && cancellation === undefined, BATCH_ACTION_ERROR_TYPES.notRunning, 'The batch is not running') },
  );
  setHandler(
    resumeBatchUpdate,
    ({ by }) => {
      pause = undefined;
      resumedBy = by;
      return control();
    },
    { validator: (_request) => refuseUnless(pause !== undefined && cancellation === undefined, BATCH_ACTION_ERROR_TYPES.notPaused, 'The batch is not paused') },
  );
  setHandler(
    cancelBatchUpdate,
    (request) => {
      cancellation = request;
      return control();
    },
    { validator: (_request) => refuseUnless(cancellation === undefined, BATCH_ACTION_ERROR_TYPES.notRunning, 'The batch is already being cancelled') },
  );

  for (let page = 0; ; page++) {
    if (cancellation) {
      // Every member not reached yet is recorded as cancelled: each one's outcome is known.
      await internal.cancelBatchAction({ batchId, by: cancellation.by, reason: cancellation.reason });
      await condition(allHandlersFinished);
      return { status: 'CANCELLED' };
    }
    if (pause) {
      await internal.recordBatchActionStatus({ batchId, status: 'PAUSED', by: pause.by });
      await condition(() => pause === undefined || cancellation !== undefined);
      if (cancellation) continue;
      await internal.recordBatchActionStatus({ batchId, status: 'RUNNING', by: resumedBy ?? requestedBy.name });
    }
    // A bounded history, whatever the batch's size: the next run picks up after the last member applied.
    if (page >= pagesPerRun && afterParticipantId) {
      // Controls are answered at once (their handlers never wait), so none is left unfinished here.
      await condition(allHandlersFinished);
      if (!pause && !cancellation) await continueAsNew<typeof batchAction>({ ...input, progress: { afterParticipantId } });
      continue;
    }
    const applied = await paced.applyBatchActionPage({ batchId, kind, reason, requestedBy, afterParticipantId, limit: pageSize, ratePerSecond });
    if (applied.lastParticipantId) afterParticipantId = applied.lastParticipantId;
    if (applied.items < pageSize) {
      await internal.completeBatchAction({ batchId });
      await condition(allHandlersFinished);
      return { status: 'COMPLETED' };
    }
  }
}

function refuseUnless(allowed: boolean, type: string, message: string): void {
  if (!allowed) throw ApplicationFailure.nonRetryable(message, type);
}
