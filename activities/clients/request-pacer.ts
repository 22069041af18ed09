/**
 * Paces one process's calls to an outside system so that no second, however it is placed, holds
 * more of them than the rate allows (a sliding window over the last calls' send times).
 *
 * Why, next to the task queue's rate limit: the Temporal server's limit is a token bucket over
 * when activity tasks are handed out, across every worker. It holds the average, but a bucket
 * lets a second's refill follow a burst, and a worker that was busy (CPU, GC) sends the tasks it
 * picked up in a bunch: measured, 25 calls in one second against a ceiling of 10. The outside
 * system counts calls per second as they arrive, so the last step before the wire must space them.
 */
export interface PacerClock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class RequestPacer {
  /** Calls allowed in one window. */
  private readonly callsPerWindow: number;
  private readonly windowMs: number;
  /** Send times of the last `callsPerWindow` calls, a ring: the next slot to write is the oldest once full. */
  private readonly sentAt: number[] = [];
  private oldestIndex = 0;
  /** Callers take their turn in arrival order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    requestsPerSecond: number,
    private readonly clock: PacerClock = realClock,
  ) {
    if (!(requestsPerSecond > 0)) throw new RangeError(`requestsPerSecond must be positive, got ${requestsPerSecond}`);
    // At 1/s or more: whole calls per second (a fraction is rounded down, never up). Below 1/s:
    // one call per 1/rate seconds, which also keeps any one second to at most one call.
    this.callsPerWindow = requestsPerSecond >= 1 ? Math.floor(requestsPerSecond) : 1;
    this.windowMs = requestsPerSecond >= 1 ? 1000 : 1000 / requestsPerSecond;
  }

  /** Resolves when one more call may be sent; the caller sends it at once. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.takeSlot());
    this.queue = turn;
    return turn;
  }

  private async takeSlot(): Promise<void> {
    const oldest = this.sentAt.length === this.callsPerWindow ? this.sentAt[this.oldestIndex] : undefined;
    if (oldest !== undefined) {
      const freeAt = oldest + this.windowMs;
      // A timer may fire a little early: wait until the window has really moved on.
      for (let now = this.clock.now(); now < freeAt; now = this.clock.now()) {
        await this.clock.sleep(Math.ceil(freeAt - now));
      }
    }
    this.sentAt[this.oldestIndex] = this.clock.now();
    this.oldestIndex = (this.oldestIndex + 1) % this.callsPerWindow;
  }
}
