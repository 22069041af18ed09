/**
 * Fault knobs per outside system and the admission decision every simulated request goes
 * through, over HTTP and SMTP alike: rate limit first (per wall-clock second), then outage,
 * then random errors, then latency.
 */
import { z } from 'zod';
import { OUTSIDE_SYSTEMS, type OutsideSystem } from '../lib/outside-systems';
import { perOutsideSystem } from './outside-systems';
import { memoryOnlyJournal, type StateJournal } from './state-journal';
import type { FaultKind, SystemStats } from './system-stats';

export const faultSettingsSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    /** Share of requests answered 503, 0..1. */
    errorRate: z.number().min(0).max(1).optional(),
    /** Requests accepted per wall-clock second; the rest get 429 with Retry-After. */
    rateLimitPerSecond: z.number().int().min(1).optional(),
    /** Every request gets 503. */
    outage: z.boolean().optional(),
  })
  .strict();

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

/** One line of faults.jsonl: a system's knobs replaced. Switching every knob off clears the file. */
export const faultJournalEntrySchema = z
  .object({
    type: z.literal('configured'),
    // Journals written by simulators before the mail system shared the engine's name call it 'smtp'.
    system: z.preprocess((system) => (system === 'smtp' ? 'mail' : system), z.enum(OUTSIDE_SYSTEMS)),
    settings: faultSettingsSchema,
  })
  .strict();

export type FaultJournalEntry = z.infer<typeof faultJournalEntrySchema>;

export type Admission =
  | { kind: 'proceed'; delayMs: number }
  | { kind: 'reject'; fault: FaultKind; delayMs: number; retryAfterMs?: number };

export interface FaultInjectorDependencies {
  stats: SystemStats;
  now: () => number;
  random: () => number;
  journal?: StateJournal<FaultJournalEntry>;
}

export class FaultInjector {
  private settings = perOutsideSystem<FaultSettings>(() => ({}));
  private readonly journal: StateJournal<FaultJournalEntry>;

  constructor(private readonly dependencies: FaultInjectorDependencies) {
    this.journal = dependencies.journal ?? memoryOnlyJournal();
  }

  /** Replays what the journal held at start. */
  restore(entries: Iterable<FaultJournalEntry>): void {
    for (const entry of entries) {
      this.settings[entry.system] = { ...entry.settings };
    }
  }

  /** Replaces the system's knobs: knobs left out are switched off. */
  configure(system: OutsideSystem, settings: FaultSettings): void {
    this.journal.append({ type: 'configured', system, settings });
    this.settings[system] = { ...settings };
  }

  settingsFor(system: OutsideSystem): FaultSettings {
    return { ...this.settings[system] };
  }

  allSettings(): Record<OutsideSystem, FaultSettings> {
    return perOutsideSystem((system) => this.settingsFor(system));
  }

  reset(): void {
    this.journal.clear();
    this.settings = perOutsideSystem<FaultSettings>(() => ({}));
  }

  /** Decides what happens to one request that just arrived, and counts it. */
  admit(system: OutsideSystem): Admission {
    const { stats, now, random } = this.dependencies;
    const settings = this.settings[system];
    const arrivedAt = now();
    stats.recordArrival(system, arrivedAt);

    const limit = settings.rateLimitPerSecond;
    if (limit !== undefined && stats.acceptedInSecondOf(system, arrivedAt) >= limit) {
      stats.recordFaultRejection(system, 'rateLimit');
      return { kind: 'reject', fault: 'rateLimit', delayMs: 0, retryAfterMs: 1000 - (arrivedAt % 1000) };
    }
    stats.recordAccepted(system, arrivedAt);

    const delayMs = settings.latencyMs ?? 0;
    if (delayMs > 0) {
      stats.recordDelay(system);
    }
    if (settings.outage === true) {
      stats.recordFaultRejection(system, 'outage');
      return { kind: 'reject', fault: 'outage', delayMs };
    }
    if (settings.errorRate !== undefined && random() < settings.errorRate) {
      stats.recordFaultRejection(system, 'errorRate');
      return { kind: 'reject', fault: 'errorRate', delayMs };
    }
    return { kind: 'proceed', delayMs };
  }
}
