// The task queue of each outside system. Its activities run only there, so the server's
// per-queue rate limit (`maxTaskQueueActivitiesPerSecond`) is one ceiling on that system
// across every worker. Pure, so workflow code, workers and configuration share it.
export const OUTSIDE_SYSTEM_QUEUES = ['dukcapil', 'dtks', 'dapodik', 'kemnaker', 'payments'] as const;
export type OutsideSystemQueue = (typeof OUTSIDE_SYSTEM_QUEUES)[number];

/** `<journey task queue>-<system>`, e.g. `jalur-participants-dukcapil`. */
export const outsideSystemTaskQueue = (journeyTaskQueue: string, system: OutsideSystemQueue) => `${journeyTaskQueue}-${system}`;

/** Which activities call which system; the worker for a system's queue registers only these. */
export const OUTSIDE_SYSTEM_ACTIVITIES = {
  dukcapil: ['verifyIdentityWithDukcapil'],
  dtks: ['checkSocialAidWithDtks'],
  dapodik: ['checkStudentStatusWithDapodik'],
  kemnaker: ['checkLaidOffListWithKemnaker'],
  payments: ['payParticipant'],
} as const satisfies Record<OutsideSystemQueue, readonly string[]>;
