// The outside systems Jalur reaches over HTTP or SMTP, simulated locally by simulators/. Pure,
// so workflow code, workers, configuration, the engine's clients and the simulators share it.
export const OUTSIDE_SYSTEMS = ['dukcapil', 'dtks', 'dapodik', 'kemnaker', 'participation-registry', 'payments', 'training', 'mail'] as const;
export type OutsideSystem = (typeof OUTSIDE_SYSTEMS)[number];

export function isOutsideSystem(value: string): value is OutsideSystem {
  return (OUTSIDE_SYSTEMS as readonly string[]).includes(value);
}

/**
 * The systems whose calls run on a task queue of their own (the registries and the payment
 * provider), so the server's per-queue rate limit is one ceiling on each across every worker.
 */
export const OUTSIDE_SYSTEM_QUEUES = ['dukcapil', 'dtks', 'dapodik', 'kemnaker', 'participation-registry', 'payments'] as const satisfies readonly OutsideSystem[];
export type OutsideSystemQueue = (typeof OUTSIDE_SYSTEM_QUEUES)[number];
