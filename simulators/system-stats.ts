/**
 * Traffic counters per outside system. The busiest-second figures let a benchmark prove that
 * the engine kept under a rate ceiling: they count requests per wall-clock second.
 */
import type { OutsideSystem } from '../lib/outside-systems';
import { perOutsideSystem } from './outside-systems';

export type FaultKind = 'outage' | 'errorRate' | 'rateLimit';

export interface SystemStatsSnapshot {
  /** Every request that arrived. */
  requests: number;
  /** Requests that reached the simulated system, by how it answered. */
  answered: { ok: number; clientError: number; serverError: number };
  /** Requests turned away by an injected fault, by kind. */
  rejectedByFault: Record<FaultKind, number>;
  /** Requests held back by the latency knob before being handled. */
  delayed: number;
  /** Most requests that got past the rate limiter within one wall-clock second. */
  maxAcceptedPerSecond: number;
  /** Most requests that arrived within one wall-clock second, accepted or not. */
  maxReceivedPerSecond: number;
}

/** Counts events within the current wall-clock second and keeps the highest count seen. */
class PerSecondPeak {
  private second = -1;
  private countInSecond = 0;
  peak = 0;

  countAt(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.countInSecond = 0;
    }
    this.countInSecond += 1;
    this.peak = Math.max(this.peak, this.countInSecond);
  }

  countInSecondOf(nowMs: number): number {
    return Math.floor(nowMs / 1000) === this.second ? this.countInSecond : 0;
  }
}

class SystemCounters {
  requests = 0;
  answered = { ok: 0, clientError: 0, serverError: 0 };
  rejectedByFault: Record<FaultKind, number> = { outage: 0, errorRate: 0, rateLimit: 0 };
  delayed = 0;
  readonly accepted = new PerSecondPeak();
  readonly received = new PerSecondPeak();

  snapshot(): SystemStatsSnapshot {
    return {
      requests: this.requests,
      answered: { ...this.answered },
      rejectedByFault: { ...this.rejectedByFault },
      delayed: this.delayed,
      maxAcceptedPerSecond: this.accepted.peak,
      maxReceivedPerSecond: this.received.peak,
    };
  }
}

function emptyCounters(): Record<OutsideSystem, SystemCounters> {
  return perOutsideSystem(() => new SystemCounters());
}

export class SystemStats {
  private counters = emptyCounters();

  recordArrival(system: OutsideSystem, nowMs: number): void {
    const counters = this.counters[system];
    counters.requests += 1;
    counters.received.countAt(nowMs);
  }

  /** Called once a request is past the rate limiter. */
  recordAccepted(system: OutsideSystem, nowMs: number): void {
    this.counters[system].accepted.countAt(nowMs);
  }

  acceptedInSecondOf(system: OutsideSystem, nowMs: number): number {
    return this.counters[system].accepted.countInSecondOf(nowMs);
  }

  recordFaultRejection(system: OutsideSystem, fault: FaultKind): void {
    this.counters[system].rejectedByFault[fault] += 1;
  }

  recordDelay(system: OutsideSystem): void {
    this.counters[system].delayed += 1;
  }

  /** `status` is an HTTP status, or for SMTP its reply code (2xx accepted, 4xx/5xx refused). */
  recordAnswer(system: OutsideSystem, status: number): void {
    const answered = this.counters[system].answered;
    if (status < 400) {
      answered.ok += 1;
    } else if (status < 500) {
      answered.clientError += 1;
    } else {
      answered.serverError += 1;
    }
  }

  snapshot(): Record<OutsideSystem, SystemStatsSnapshot> {
    return perOutsideSystem((system) => this.counters[system].snapshot());
  }

  reset(): void {
    this.counters = emptyCounters();
  }
}
