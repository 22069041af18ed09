import { MAX_PACER_WAIT_SECONDS, outsideSystemActivitySlots } from '../../../workers/outside-system-slots';

describe('calls one worker process takes on for an outside system', () => {
  it('keeps the configured concurrency when the pace sends that many within the wait', () => {
    // Dukcapil by default: 200/s, 50 at once; one process sends 50 in a quarter second.
    expect(outsideSystemActivitySlots(50, 200 / 1)).toBe(50);
    expect(outsideSystemActivitySlots(50, 200 / 2)).toBe(50);
  });

  it('takes on no more than the process sends in the longest wait at its share of the pace', () => {
    // 9/s over two processes: 4.5/s each, 5 s of calls is 23 (the run that resent answered calls had 50).
    expect(outsideSystemActivitySlots(50, 9 / 2)).toBe(Math.ceil(4.5 * MAX_PACER_WAIT_SECONDS));
    expect(outsideSystemActivitySlots(50, 10 / 1)).toBe(10 * MAX_PACER_WAIT_SECONDS);
  });

  it('always takes on at least one call, however slow the pace', () => {
    expect(outsideSystemActivitySlots(50, 0.05 / 4)).toBe(1);
  });
});
