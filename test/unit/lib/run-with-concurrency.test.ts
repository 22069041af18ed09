import { runWithConcurrency } from '../../../lib/run-with-concurrency';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('keeps at most `limit` calls in flight and runs every item', async () => {
  let inFlight = 0;
  let most = 0;
  const done: number[] = [];
  await runWithConcurrency([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    await pause(5);
    inFlight -= 1;
    done.push(item);
  });
  expect(most).toBe(3);
  expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
});

it('after a failure starts nothing new, and rethrows only once the calls in flight have settled', async () => {
  const settled: number[] = [];
  const run = runWithConcurrency([1, 2, 3, 4, 5, 6], 3, async (item) => {
    if (item === 1) throw new Error('first fails');
    await pause(20);
    settled.push(item);
  });
  await expect(run).rejects.toThrow('first fails');
  // 2 and 3 were in flight when 1 failed: both finished before the rejection, and nothing after them started.
  expect(settled.sort()).toEqual([2, 3]);
});
