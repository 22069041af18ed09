/** The outside systems the simulators stand in for; each has its own fault knobs and counters. */

export const OUTSIDE_SYSTEMS = ['dukcapil', 'dtks', 'dapodik', 'kemnaker', 'payments', 'training', 'smtp'] as const;

export type OutsideSystemName = (typeof OUTSIDE_SYSTEMS)[number];

export function isOutsideSystemName(value: string): value is OutsideSystemName {
  return (OUTSIDE_SYSTEMS as readonly string[]).includes(value);
}

/** Builds one value per system; the single place that turns a list of keys into a complete record. */
export function perOutsideSystem<T>(makeValue: (system: OutsideSystemName) => T): Record<OutsideSystemName, T> {
  // Object.fromEntries loses the key type; every system is present by construction.
  return Object.fromEntries(OUTSIDE_SYSTEMS.map((system) => [system, makeValue(system)])) as Record<OutsideSystemName, T>;
}
