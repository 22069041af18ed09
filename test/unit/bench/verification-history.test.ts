// The verification-backlog benchmark's reading of workflow histories: attempts come from the one
// started event the server writes for the last attempt, waits from scheduled to closed.
import { summariseVerifications, verificationsFromHistory } from '../../../bench/verification-history';

const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 });

const history = [
  { eventId: 5, eventTime: at(1_000), activityTaskScheduledEventAttributes: {} },
  { eventId: 6, eventTime: at(1_000), activityTaskScheduledEventAttributes: {} },
  { eventId: 7, eventTime: at(1_000), activityTaskScheduledEventAttributes: {} },
  { eventId: 8, eventTime: at(1_200), activityTaskStartedEventAttributes: { scheduledEventId: 5, attempt: 1 } },
  { eventId: 9, eventTime: at(1_500), activityTaskCompletedEventAttributes: { scheduledEventId: 5, startedEventId: 8 } },
  // Retried twice: the server writes the started event of the third attempt only.
  { eventId: 10, eventTime: at(7_000), activityTaskStartedEventAttributes: { scheduledEventId: 6, attempt: 3 } },
  { eventId: 11, eventTime: at(7_400), activityTaskCompletedEventAttributes: { scheduledEventId: 6, startedEventId: 10 } },
];

it('reads each verification: scheduled, closed, attempts; one still pending', () => {
  expect(verificationsFromHistory(history)).toEqual([
    { scheduledAtMs: 1_000, closedAtMs: 1_500, attempts: 1, failed: false },
    { scheduledAtMs: 1_000, closedAtMs: 7_400, attempts: 3, failed: false },
    { scheduledAtMs: 1_000, attempts: 0, failed: false },
  ]);
});

it('counts a failed verification as closed and failed', () => {
  const failed = [
    { eventId: 5, eventTime: at(0), activityTaskScheduledEventAttributes: {} },
    { eventId: 6, eventTime: at(2_000), activityTaskStartedEventAttributes: { scheduledEventId: 5, attempt: 2 } },
    { eventId: 7, eventTime: at(2_100), activityTaskFailedEventAttributes: { scheduledEventId: 5, startedEventId: 6 } },
  ];
  expect(verificationsFromHistory(failed)).toEqual([{ scheduledAtMs: 0, closedAtMs: 2_100, attempts: 2, failed: true }]);
});

it('sums retries and waits, and places each answer in the second it came', () => {
  const summary = summariseVerifications(verificationsFromHistory(history), 0);
  expect(summary).toMatchObject({
    verifications: 3,
    answered: 2,
    failed: 0,
    pending: 1,
    attempts: 4,
    retries: 2,
    maxAttempts: 3,
    participantsByAttempts: { 1: 1, 3: 1 },
    waitSeconds: { p50: 0.5, p95: 6.4, p99: 6.4, max: 6.4 },
  });
  expect(summary.timeline).toHaveLength(8);
  expect(summary.timeline[1]).toEqual({ second: 1, answered: 1, p50WaitSeconds: 0.5, p99WaitSeconds: 0.5 });
  expect(summary.timeline[7]).toEqual({ second: 7, answered: 1, p50WaitSeconds: 6.4, p99WaitSeconds: 6.4 });
  expect(summary.timeline[3]!.answered).toBe(0);
});
