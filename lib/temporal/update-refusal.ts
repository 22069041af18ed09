// Which business refusal a workflow update failed with: the API turns it into an HTTP answer, a
// batch action records it as the participant's outcome. Both need the same reading of the failure.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

/**
 * The first ApplicationFailure in the cause chain of a failed update whose type `isRefusal`
 * accepts (a validator's or handler's refusal); undefined for any other failure. A refusal from
 * an activity the update handler awaited arrives wrapped in an ActivityFailure, hence the walk.
 */
export function updateRefusalOf(error: unknown, isRefusal: (type: string) => boolean): { type: string; message: string } | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  for (let failure: unknown = error.cause; failure instanceof Error; failure = failure.cause) {
    if (failure instanceof ApplicationFailure && failure.type && isRefusal(failure.type)) return { type: failure.type, message: failure.message };
  }
  return undefined;
}
