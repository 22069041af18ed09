// Reads the verification-backlog's workflow histories: for each scheduled verification, when it was
// scheduled, when it was answered and after how many attempts (the server writes one started event,
// for the last attempt, whose `attempt` counts them all), and a per-second timeline of them.
import { percentile, round } from './signup-load';

/** A 64-bit integer as the decoded protobuf gives it (a Long), or a number in fixtures. */
type Int64 = number | { toNumber(): number } | null | undefined;
const toNumber = (value: Int64) => (typeof value === 'number' ? value : (value?.toNumber() ?? 0));

/** The part of a history event (temporal.api.history.v1.IHistoryEvent) read here. */
export interface HistoryEventLike {
  eventId?: Int64;
  eventTime?: { seconds?: Int64; nanos?: number | null } | null;
  activityTaskScheduledEventAttributes?: object | null;
  activityTaskStartedEventAttributes?: { scheduledEventId?: Int64; attempt?: number | null } | null;
  activityTaskCompletedEventAttributes?: { scheduledEventId?: Int64 } | null;
  activityTaskFailedEventAttributes?: { scheduledEventId?: Int64 } | null;
  activityTaskTimedOutEventAttributes?: { scheduledEventId?: Int64 } | null;
}

const eventTimeMs = (event: HistoryEventLike) => toNumber(event.eventTime?.seconds) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1_000_000);

export interface Verification {
  scheduledAtMs: number;
  /** When it completed or failed; undefined while still pending. */
  closedAtMs?: number;
  attempts: number;
  failed: boolean;
}

export function verificationsFromHistory(events: HistoryEventLike[]): Verification[] {
  const byScheduledId = new Map<string, Verification>();
  for (const event of events) {
    const id = String(toNumber(event.eventId));
    const at = eventTimeMs(event);
    if (event.activityTaskScheduledEventAttributes) {
      byScheduledId.set(id, { scheduledAtMs: at, attempts: 0, failed: false });
      continue;
    }
    const closed = event.activityTaskStartedEventAttributes ?? event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
    const verification = closed?.scheduledEventId == null ? undefined : byScheduledId.get(String(toNumber(closed.scheduledEventId)));
    if (!verification) continue;
    if (event.activityTaskStartedEventAttributes) verification.attempts = event.activityTaskStartedEventAttributes.attempt ?? 1;
    else {
      verification.closedAtMs = at;
      verification.failed = !event.activityTaskCompletedEventAttributes;
    }
  }
  return [...byScheduledId.values()];
}

export interface VerificationSummary {
  verifications: number;
  answered: number;
  failed: number;
  pending: number;
  attempts: number;
  retries: number;
  maxAttempts: number;
  participantsByAttempts: Record<number, number>;
  /** From scheduling to the answer: how long a participant waited in VERIFYING_IDENTITY. */
  waitSeconds: { p50: number; p95: number; p99: number; max: number };
  /** Per second since `originMs`: verifications answered, and the p50/p99 wait of those. */
  timeline: Array<{ second: number; answered: number; p50WaitSeconds: number; p99WaitSeconds: number }>;
}

export function summariseVerifications(verifications: Verification[], originMs: number): VerificationSummary {
  const closed = verifications.filter((verification) => verification.closedAtMs !== undefined);
  const waitOf = (verification: Verification) => (verification.closedAtMs! - verification.scheduledAtMs) / 1000;
  const waits = closed.map(waitOf).sort((a, b) => a - b);
  const participantsByAttempts: Record<number, number> = {};
  for (const verification of closed) participantsByAttempts[verification.attempts] = (participantsByAttempts[verification.attempts] ?? 0) + 1;
  const bySecond = new Map<number, number[]>();
  for (const verification of closed) {
    const second = Math.floor((verification.closedAtMs! - originMs) / 1000);
    const bucket = bySecond.get(second);
    if (bucket) bucket.push(waitOf(verification));
    else bySecond.set(second, [waitOf(verification)]);
  }
  const lastSecond = Math.max(-1, ...bySecond.keys());
  const timeline = Array.from({ length: lastSecond + 1 }, (_, second) => {
    const inSecond = (bySecond.get(second) ?? []).sort((a, b) => a - b);
    return { second, answered: inSecond.length, p50WaitSeconds: round(percentile(inSecond, 50), 1), p99WaitSeconds: round(percentile(inSecond, 99), 1) };
  });
  const attempts = closed.reduce((sum, verification) => sum + verification.attempts, 0);
  return {
    verifications: verifications.length,
    answered: closed.filter((verification) => !verification.failed).length,
    failed: closed.filter((verification) => verification.failed).length,
    pending: verifications.length - closed.length,
    attempts,
    retries: attempts - closed.length,
    maxAttempts: closed.reduce((max, verification) => Math.max(max, verification.attempts), 0),
    participantsByAttempts,
    waitSeconds: { p50: round(percentile(waits, 50), 1), p95: round(percentile(waits, 95), 1), p99: round(percentile(waits, 99), 1), max: round(waits.at(-1) ?? 0, 1) },
    timeline,
  };
}
