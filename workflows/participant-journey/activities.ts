// The journey's activities, one proxy per timeout and retry profile.
import { type ActivityOptions, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../../activities';
import { type OutsideSystemQueue, outsideSystemTaskQueue } from '../outside-system-queues';

type Activities = ReturnType<typeof createActivities>;

// Outside systems retry for as long as they are down (no maximum attempts, Temporal's exponential
// backoff with jitter): an outage of minutes leaves participants waiting, never failed.
export const internal = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
/** Exported for the verification-backlog benchmark, which calls Dukcapil with the journey's own profile. */
export const REGISTRY_PROFILE: ActivityOptions = {
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
};
const PAYMENT_PROFILE: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes', backoffCoefficient: 2 },
};

/**
 * Each outside system's activities on that system's own task queue, next to the journey's, where
 * the worker enforces the system's rate ceiling (server-side, across workers) and concurrency.
 * Built per run: the journey's task queue is known only inside the workflow.
 */
export function outsideSystemProxies() {
  const journeyTaskQueue = workflowInfo().taskQueue;
  const on = (system: OutsideSystemQueue, profile: ActivityOptions) =>
    proxyActivities<Activities>({ ...profile, taskQueue: outsideSystemTaskQueue(journeyTaskQueue, system) });
  return {
    dukcapil: on('dukcapil', REGISTRY_PROFILE),
    dtks: on('dtks', REGISTRY_PROFILE),
    dapodik: on('dapodik', REGISTRY_PROFILE),
    kemnaker: on('kemnaker', REGISTRY_PROFILE),
    participationRegistry: on('participation-registry', REGISTRY_PROFILE),
    payments: on('payments', PAYMENT_PROFILE),
  };
}
