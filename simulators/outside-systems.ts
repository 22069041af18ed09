import { OUTSIDE_SYSTEMS, type OutsideSystem } from '../lib/outside-systems';

/** Builds one value per simulated system; the single place that turns the list of systems into a complete record. */
export function perOutsideSystem<T>(makeValue: (system: OutsideSystem) => T): Record<OutsideSystem, T> {
  // Object.fromEntries loses the key type; every system is present by construction.
  return Object.fromEntries(OUTSIDE_SYSTEMS.map((system) => [system, makeValue(system)])) as Record<OutsideSystem, T>;
}
