// The batch action's contract: its workflow id, input, the operator's controls (pause, resume,
// cancel) as updates, and its refusals. The API imports this file without importing workflow code.
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export const BATCH_ACTION_WORKFLOW = 'batchAction';
export const batchActionWorkflowId = (batchId: string) => `batch-action-${batchId}`;

/** The operator actions a batch can apply: each is one journey update that takes no input of its own. */
export const BATCH_ACTION_KINDS = ['RESEND_VERIFICATION_EMAIL', 'CANCEL', 'RETRY_PAYOUT'] as const;
export type BatchActionKind = (typeof BATCH_ACTION_KINDS)[number];

export interface BatchActionInput {
  batchId: string;
  kind: BatchActionKind;
  reason: string;
  /** Who asked for the batch: each participant's audit entry names them, with the batch id. */
  requestedBy: { name: string; role: string };
  /** The ceiling: participants the action is applied to per second, at most. */
  ratePerSecond: number;
  /** Pages per run before continue-as-new (about 6 history events each). */
  pagesPerRun: number;
  /** Where a continued run picks up: the last participant whose item a page has applied. */
  progress?: { afterParticipantId: string };
}

export interface BatchActionResult {
  status: 'COMPLETED' | 'CANCELLED';
}

/** What the workflow has been asked: the API reports it with the progress the database holds. */
export interface BatchActionControl {
  pauseRequested: boolean;
  cancellationRequested: boolean;
}

// Updates, not signals: a validator refuses a control that does not apply (resuming a batch that
// is not paused) before anything reaches the history, and the operator is told so at once. A
// control takes effect between pages (a page lasts about two seconds): the items in flight finish.
export const pauseBatchUpdate = defineUpdate<BatchActionControl, [{ by: string }]>('pauseBatch');
export const resumeBatchUpdate = defineUpdate<BatchActionControl, [{ by: string }]>('resumeBatch');
export const cancelBatchUpdate = defineUpdate<BatchActionControl, [{ by: string; reason: string }]>('cancelBatch');
export const getBatchControlQuery = defineQuery<BatchActionControl>('getBatchControl');

/** The controls' refusals, carried by ApplicationFailure.type; the API answers them with 409. */
export const BATCH_ACTION_ERROR_TYPES = {
  notRunning: 'BATCH_NOT_RUNNING',
  notPaused: 'BATCH_NOT_PAUSED',
} as const;
export const BATCH_ACTION_REFUSALS: ReadonlySet<string> = new Set(Object.values(BATCH_ACTION_ERROR_TYPES));
