// Chaos: the worker is killed with SIGKILL at random moments while compressed journeys run, and
// replaced each time. Every journey must still complete, no payment may be made twice (by the
// provider's own log), and each participant gets exactly Rp 1,000,000 of training balance and
// Rp 2,550,000 paid out (4 × 600,000 + 3 × 50,000).
import { randomInt } from 'node:crypto';
import { PAYOUT_TOTAL, runCompressedJourneys } from '../../bench/compressed-journeys';
import { readTestStack } from '../support/test-stack';
import { killStackWorker, startReplacementWorker } from '../support/worker-control';
import { recordFigures, sized } from './support/figures';
import { checkMoney } from '../../bench/money-checks';

const JOURNEYS = sized('CHAOS_JOURNEYS', 3, 1_000);
const KILL_EVERY_MS: [number, number] = [sized('CHAOS_KILL_MIN_MS', 8_000, 20_000), sized('CHAOS_KILL_MAX_MS', 20_000, 60_000)];
const MAX_KILLS = sized('CHAOS_MAX_KILLS', 2, 1_000);
/** Two cohorts of this size in flight: one applying to its wave while the other trains and is paid. */
const COHORT_SIZE = sized('CHAOS_COHORT_SIZE', 2, 25);

jest.setTimeout(sized('CHAOS_TIMEOUT_MS', 240_000, 6 * 3_600_000));

it(`completes ${JOURNEYS} journeys while the worker is killed at random, paying each participant exactly once`, async () => {
  const started = Date.now();
  let finished = false;
  let kills = 0;
  let done = 0;
  const killer = (async () => {
    while (!finished && kills < MAX_KILLS) {
      // The first kill comes early, while every journey is still young; the rest at random.
      const pause = kills === 0 ? randomInt(2_000, KILL_EVERY_MS[0]) : randomInt(KILL_EVERY_MS[0], KILL_EVERY_MS[1]);
      await new Promise((resolve) => setTimeout(resolve, pause));
      if (finished) break;
      await killStackWorker();
      kills += 1;
      await startReplacementWorker();
      process.stdout.write(`chaos: kill ${kills} at ${Math.round((Date.now() - started) / 1000)} s, ${done}/${JOURNEYS} journeys done\n`);
    }
  })();

  const outcomes = await runCompressedJourneys(readTestStack(), JOURNEYS, { cohortSize: COHORT_SIZE, cohortsInFlight: 2, onProgress: (n) => (done = n) }).finally(() => {
    finished = true;
  });
  await killer;

  const ids = outcomes.map((outcome) => outcome.participantId);
  const money = await checkMoney(ids, readTestStack());
  const completed = outcomes.filter((outcome) => outcome.stage === 'COMPLETED').length;
  recordFigures('worker-chaos', {
    journeys: JOURNEYS,
    completed,
    lost: JOURNEYS - completed,
    workerKills: kills,
    keysPaidTwice: money.keysPaidTwice.length,
    wrongProviderTotals: money.wrongProviderTotals.length,
    wrongLedgerTotals: money.wrongLedgerTotals.length,
    providerPaidAmount: money.providerPaidAmount,
    providerReplays: money.providerReplays,
    durationSeconds: Math.round((Date.now() - started) / 1000),
  });

  expect(kills).toBeGreaterThanOrEqual(1);
  expect(outcomes.map((outcome) => outcome.stage)).toEqual(ids.map(() => 'COMPLETED'));
  expect(money.keysPaidTwice).toEqual([]);
  expect(money.wrongProviderTotals).toEqual([]);
  expect(money.wrongLedgerTotals).toEqual([]);
  expect(money.providerPaidAmount).toBe(JOURNEYS * PAYOUT_TOTAL);
});
