import { type PacerClock, RequestPacer } from '../../../activities/clients/request-pacer';

/** A clock that only moves when someone sleeps, optionally waking them early or late by `wakeSkewMs`. */
function fakeClock(wakeSkewMs = 0): PacerClock & { advance(ms: number): void } {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(1, ms + wakeSkewMs);
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** The most send times falling in any window [t, t + 1000 ms). */
function busiestSecond(sentAt: number[]): number {
  const sorted = [...sentAt].sort((a, b) => a - b);
  let most = 0;
  sorted.forEach((sent, last) => {
    const first = sorted.findIndex((earlier) => sent - earlier < 1000);
    most = Math.max(most, last - first + 1);
  });
  return most;
}

async function sendAll(pacer: RequestPacer, clock: PacerClock, count: number): Promise<number[]> {
  return Promise.all(Array.from({ length: count }, () => pacer.acquire().then(() => clock.now())));
}

describe('RequestPacer', () => {
  it('lets a burst of 35 calls at 10/s through at no more than 10 in any second, and no slower than that', async () => {
    const clock = fakeClock();
    const sentAt = await sendAll(new RequestPacer(10, clock), clock, 35);

    expect(busiestSecond(sentAt)).toBe(10);
    // The first ten at once, then ten per second: the 35th goes out at 3 s.
    expect(sentAt.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(Math.max(...sentAt)).toBe(3000);
  });

  it('holds the window when timers fire early', async () => {
    const clock = fakeClock(-300);
    const sentAt = await sendAll(new RequestPacer(4, clock), clock, 20);

    expect(busiestSecond(sentAt)).toBeLessThanOrEqual(4);
  });

  it('rounds a fractional rate down and spaces rates under one per second', async () => {
    const fractional = fakeClock();
    expect(busiestSecond(await sendAll(new RequestPacer(2.9, fractional), fractional, 12))).toBe(2);

    const slow = fakeClock();
    const sentAt = await sendAll(new RequestPacer(0.5, slow), slow, 3);
    expect(sentAt).toEqual([0, 2000, 4000]);
  });

  it('does not hold back calls spread out by the caller', async () => {
    const clock = fakeClock();
    const pacer = new RequestPacer(2, clock);
    const sentAt: number[] = [];
    for (let call = 0; call < 6; call += 1) {
      await pacer.acquire();
      sentAt.push(clock.now());
      clock.advance(600);
    }
    expect(sentAt).toEqual([0, 600, 1200, 1800, 2400, 3000]);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RequestPacer(0)).toThrow(RangeError);
  });
});
