import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** An activity failed with a non-retryable ApplicationFailure: a refusal the journey answers, not a fault it retries. */
export function isBusinessRefusal(error: unknown): error is ActivityFailure & { cause: ApplicationFailure } {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.nonRetryable === true;
}
