import { registryRetryDelayMs } from '../../../activities/registry-checks';

describe('registryRetryDelayMs', () => {
  it('doubles from 2 s with equal jitter: between half and all of the backoff', () => {
    expect(registryRetryDelayMs(1, undefined, () => 0)).toBe(1_000);
    expect(registryRetryDelayMs(1, undefined, () => 1)).toBe(2_000);
    expect(registryRetryDelayMs(4, undefined, () => 0)).toBe(8_000);
    expect(registryRetryDelayMs(4, undefined, () => 0.5)).toBe(12_000);
  });

  it('stops growing at 5 minutes', () => {
    expect(registryRetryDelayMs(40, undefined, () => 1)).toBe(300_000);
    expect(registryRetryDelayMs(40, undefined, () => 0)).toBe(150_000);
  });

  it('never retries sooner than the system asked with Retry-After', () => {
    expect(registryRetryDelayMs(1, 30_000, () => 1)).toBe(30_000);
    expect(registryRetryDelayMs(8, 1_000, () => 0)).toBe(128_000);
  });
});
