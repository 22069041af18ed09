import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { OutsideSystemRejectedError, OutsideSystemUnavailableError } from '../../../activities/clients/errors';
import { callOutsideSystem, OUTSIDE_SYSTEM_UNAVAILABLE, RETRY_BACKOFF, retryDelayMs } from '../../../activities/outside-call';

const registry = RETRY_BACKOFF.dukcapil;
const payments = RETRY_BACKOFF.payments;

describe('retryDelayMs', () => {
  it('doubles from the initial backoff with equal jitter: between half and all of the backoff', () => {
    expect(retryDelayMs(registry, 1, undefined, () => 0)).toBe(1_000);
    expect(retryDelayMs(registry, 1, undefined, () => 1)).toBe(2_000);
    expect(retryDelayMs(registry, 4, undefined, () => 0)).toBe(8_000);
    expect(retryDelayMs(registry, 4, undefined, () => 0.5)).toBe(12_000);
  });

  it("stops growing at the profile's maximum: 5 minutes for a registry, 10 for payments", () => {
    expect(retryDelayMs(registry, 40, undefined, () => 1)).toBe(300_000);
    expect(retryDelayMs(registry, 40, undefined, () => 0)).toBe(150_000);
    expect(retryDelayMs(payments, 40, undefined, () => 1)).toBe(600_000);
    expect(retryDelayMs(payments, 9, undefined, () => 1)).toBe(512_000);
  });

  it('never retries sooner than the system asked with Retry-After', () => {
    expect(retryDelayMs(registry, 1, 30_000, () => 1)).toBe(30_000);
    expect(retryDelayMs(registry, 8, 1_000, () => 0)).toBe(128_000);
  });
});

/** What callOutsideSystem throws for `error`, run as attempt `attempt` of an activity. */
async function failureOf(error: Error, attempt = 1): Promise<unknown> {
  return new MockActivityEnvironment({ attempt }).run(() => callOutsideSystem(() => Promise.reject(error)).catch((thrown: unknown) => thrown));
}

describe('callOutsideSystem', () => {
  it("returns the system's answer", async () => {
    await expect(new MockActivityEnvironment().run(() => callOutsideSystem(() => Promise.resolve({ onList: true })))).resolves.toEqual({ onList: true });
  });

  it("retries an outage after the system's backoff for that attempt", async () => {
    const failure = await failureOf(new OutsideSystemUnavailableError({ system: 'payments', status: 503, reason: 'server-error' }), 5);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: OUTSIDE_SYSTEM_UNAVAILABLE, nonRetryable: false, message: 'payments is unavailable, server-error (HTTP 503)' });
    // Attempt 5 of the payments profile (2 s doubling): between half of 32 s and all of it.
    const { nextRetryDelay } = failure as ApplicationFailure;
    expect(nextRetryDelay).toBeGreaterThanOrEqual(16_000);
    expect(nextRetryDelay).toBeLessThanOrEqual(32_000);
  });

  it('waits at least as long as Retry-After asked', async () => {
    const failure = await failureOf(new OutsideSystemUnavailableError({ system: 'kemnaker', status: 429, reason: 'rate-limited', retryAfterMs: 90_000 }));
    expect(failure).toMatchObject({ type: OUTSIDE_SYSTEM_UNAVAILABLE, nonRetryable: false, nextRetryDelay: 90_000 });
  });

  it('fails a business refusal for good, typed by system and code', async () => {
    await expect(failureOf(new OutsideSystemRejectedError({ system: 'payments', status: 409, code: 'IDEMPOTENCY_KEY_REUSED' }))).resolves.toMatchObject({
      type: 'PAYMENTS_IDEMPOTENCY_KEY_REUSED',
      nonRetryable: true,
      message: 'payments rejected the request: IDEMPOTENCY_KEY_REUSED (HTTP 409)',
    });
    await expect(failureOf(new OutsideSystemRejectedError({ system: 'dukcapil', status: 404, code: 'HTTP_404' }))).resolves.toMatchObject({ type: 'DUKCAPIL_HTTP_404', nonRetryable: true });
    await expect(failureOf(new OutsideSystemRejectedError({ system: 'mail', status: 550, code: 'SMTP_550' }))).resolves.toMatchObject({
      type: 'MAIL_SMTP_550',
      nonRetryable: true,
      message: 'mail rejected the request: SMTP_550 (SMTP 550)',
    });
  });

  it('rethrows any other error unchanged, for Temporal to retry under its own policy', async () => {
    const bug = new TypeError('Cannot read properties of undefined');
    await expect(failureOf(bug)).resolves.toBe(bug);
  });
});
