// The task queue of each outside system that has one (lib/outside-systems.ts). Its activities
// run only there, so the server's per-queue rate limit (`maxTaskQueueActivitiesPerSecond`) is
// one ceiling on that system across every worker. Pure, so workflow code and workers share it.
import type { OutsideSystemQueue } from '../lib/outside-systems';

export type { OutsideSystemQueue };

/** `<journey task queue>-<system>`, e.g. `jalur-participants-dukcapil`. */
export const outsideSystemTaskQueue = (journeyTaskQueue: string, system: OutsideSystemQueue) => `${journeyTaskQueue}-${system}`;

/** Which activities call which system; the worker for a system's queue registers only these. */
export const OUTSIDE_SYSTEM_ACTIVITIES = {
  dukcapil: ['verifyIdentityWithDukcapil', 'verifyAppealIdentityWithDukcapil'],
  dtks: ['checkSocialAidWithDtks'],
  dapodik: ['checkStudentStatusWithDapodik'],
  kemnaker: ['checkLaidOffListWithKemnaker'],
  'participation-registry': ['countPastParticipationsInRegistry'],
  payments: ['payParticipant', 'importStatementPage'],
} as const satisfies Record<OutsideSystemQueue, readonly string[]>;
