// Whether a signup starts its journey itself or leaves the start to the outbox relay. A start at
// signup gives the registrant a running journey within milliseconds while Temporal keeps up; in a
// spike each one would hold its signup (and its in-flight slot) for as long as Temporal takes,
// on a machine where Temporal and the worker compete with the API for the same cores. So the gate
// turns them off while they would cost more than they give, and the relay, which yields to
// queueing signups, starts those journeys a few seconds later:
// - after a failed start, for `failurePauseMs` (Temporal down or refusing: every registrant would
//   otherwise wait the full timeout, and the held registrations would fill the in-flight limit);
// - after a start slower than `slowStartMs`, for `slowPauseMs` (Temporal busy);
// - beyond `maxInFlight` starts at once (a burst: the rest go to the relay at once).

export interface InlineStartGateOptions {
  slowStartMs: number;
  slowPauseMs: number;
  failurePauseMs: number;
  maxInFlight: number;
  now?: () => number;
}

export type InlineStartOutcome = { ok: true; elapsedMs: number } | { ok: false };

export class InlineStartGate {
  private inFlight = 0;
  private pausedUntil = 0;
  private readonly now: () => number;

  constructor(private readonly options: InlineStartGateOptions) {
    this.now = options.now ?? Date.now;
  }

  /** True: this signup starts its journey, and must call `release` with the outcome. */
  tryAcquire(): boolean {
    if (this.now() < this.pausedUntil || this.inFlight >= this.options.maxInFlight) return false;
    this.inFlight += 1;
    return true;
  }

  /** Returns the pause this outcome began, in ms (0: none). */
  release(outcome: InlineStartOutcome): number {
    this.inFlight -= 1;
    const pauseMs = !outcome.ok ? this.options.failurePauseMs : outcome.elapsedMs > this.options.slowStartMs ? this.options.slowPauseMs : 0;
    if (pauseMs > 0) this.pausedUntil = Math.max(this.pausedUntil, this.now() + pauseMs);
    return pauseMs;
  }
}
