// The one way an activity calls an outside system. A business refusal fails the activity for good,
// typed `<SYSTEM>_<code>` so the workflow and the operator see what was refused; an outage is
// retried after a jittered backoff that honours Retry-After; any other error is a bug, rethrown as
// it is for Temporal's own retry policy.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { OutsideSystem } from '../lib/outside-systems';
import { OutsideSystemRejectedError, OutsideSystemUnavailableError } from './clients/errors';

export interface RetryBackoff {
  initialMs: number;
  maxMs: number;
}

const REGISTRY_BACKOFF: RetryBackoff = { initialMs: 2_000, maxMs: 5 * 60_000 };

/**
 * The backoff of the retry profile the workflows give each system's activities (the verification
 * mail goes out under the internal one), restated because the activity chooses each retry's delay
 * itself, to add jitter and honour Retry-After.
 */
export const RETRY_BACKOFF: Readonly<Record<OutsideSystem, RetryBackoff>> = {
  dukcapil: REGISTRY_BACKOFF,
  dtks: REGISTRY_BACKOFF,
  dapodik: REGISTRY_BACKOFF,
  kemnaker: REGISTRY_BACKOFF,
  'participation-registry': REGISTRY_BACKOFF,
  payments: { initialMs: 2_000, maxMs: 10 * 60_000 },
  mail: { initialMs: 1_000, maxMs: 60_000 },
  // Notices by text message go out under the internal profile, like mail.
  messaging: { initialMs: 1_000, maxMs: 60_000 },
  // No workflow calls the training platforms yet; a registry's patience until one does.
  training: REGISTRY_BACKOFF,
};

export const OUTSIDE_SYSTEM_UNAVAILABLE = 'OUTSIDE_SYSTEM_UNAVAILABLE';

/** The failure type of a refusal, e.g. PAYMENTS_ACCOUNT_CLOSED, PARTICIPATION_REGISTRY_HTTP_404. */
export const refusalFailureType = (system: OutsideSystem, code: string) => `${system.toUpperCase().replaceAll('-', '_')}_${code}`;

/**
 * Exponential backoff with equal jitter (half fixed, half random), never sooner than the system
 * asked. After an outage the waiting participants come back spread out, not all in one second.
 */
export function retryDelayMs(backoff: RetryBackoff, attempt: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(retryAfterMs ?? 0, Math.round(delay / 2 + (random() * delay) / 2));
}

/** Runs one call to an outside system inside an activity, with its failures mapped to Temporal's retry semantics. */
export async function callOutsideSystem<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof OutsideSystemUnavailableError) {
      throw ApplicationFailure.create({
        type: OUTSIDE_SYSTEM_UNAVAILABLE,
        message: error.message,
        nextRetryDelay: retryDelayMs(RETRY_BACKOFF[error.system], Context.current().info.attempt, error.retryAfterMs),
      });
    }
    if (error instanceof OutsideSystemRejectedError) {
      throw ApplicationFailure.create({ type: refusalFailureType(error.system, error.code), message: error.message, nonRetryable: true });
    }
    throw error;
  }
}
