// How many calls to one outside system a worker process takes on at once. The configured
// concurrency, but never more than the process can send within a few seconds at its paced rate:
// a call waiting for the pacer is an activity attempt whose start-to-close time is running
// (20 s for the registries). With 50 slots at 4 calls/s the last waited 12.5 s, and on a starved
// machine attempts timed out after Dukcapil had answered them, and were sent again (BENCHMARKS.md,
// "The pacer with two worker processes"). Tasks not taken stay on the server's queue, where waiting
// costs no attempt.

/** The longest a call should wait for its turn at the pacer: a quarter of the registries' 20 s. */
export const MAX_PACER_WAIT_SECONDS = 5;

/** `pacedPerSecond`: this process's share of the system's ceiling, the rate its pacer sends at. */
export function outsideSystemActivitySlots(maxConcurrentRequests: number, pacedPerSecond: number): number {
  return Math.max(1, Math.min(maxConcurrentRequests, Math.ceil(pacedPerSecond * MAX_PACER_WAIT_SECONDS)));
}
