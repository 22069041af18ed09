// PostgreSQL and the Temporal server restarted while journeys run: nothing is lost and every
// journey completes, paid exactly once. Needs what only the full run sets up (`npm run
// reliability`): a private PostgreSQL it may restart (RELIABILITY_PG_DATA, started with pg_ctl)
// and a Temporal dev server on a file (JALUR_TEST_TEMPORAL_DB_FILE); skipped otherwise.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { runCompressedJourneys } from '../../bench/compressed-journeys';
import { embeddedPostgresBinaryDir } from '../../scripts/stack/embedded-postgres';
import { readTestStack } from '../support/test-stack';
import { restartTemporalDevServer } from '../support/worker-control';
import { recordFigures, sized } from './support/figures';
import { checkMoney } from '../../bench/money-checks';

const PG_DATA = process.env.RELIABILITY_PG_DATA;
const PG_BIN = process.env.RELIABILITY_PG_BIN ?? embeddedPostgresBinaryDir();
const TEMPORAL_FILE = process.env.JALUR_TEST_TEMPORAL_DB_FILE;
const JOURNEYS = sized('RESTART_JOURNEYS', 5, 40);
const ROUNDS = sized('RESTART_ROUNDS', 1, 2);

jest.setTimeout(sized('RESTART_TIMEOUT_MS', 600_000, 3_600_000));

const runIf = PG_DATA && TEMPORAL_FILE ? it : it.skip;

function restartPostgres(): void {
  const command = path.join(PG_BIN, 'pg_ctl');
  const args = ['-D', PG_DATA!, '-m', 'fast', '-w', 'restart', '-l', path.join(PG_DATA!, '..', 'postgres.log')];
  // As root the runner started it as the postgres user, which must restart it too.
  const runAs = process.env.RELIABILITY_PG_RUN_AS;
  if (runAs) execFileSync('runuser', ['-u', runAs, '--', command, ...args], { stdio: 'ignore' });
  else execFileSync(command, args, { stdio: 'ignore' });
}

runIf(`completes ${JOURNEYS} journeys while PostgreSQL and the Temporal server restart`, async () => {
  const started = Date.now();
  let finished = false;
  const restarts = { postgres: 0, temporal: 0, temporalKilled: 0 };
  const restarter = (async () => {
    for (let round = 0; round < ROUNDS && !finished; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      restartPostgres();
      restarts.postgres += 1;
      process.stdout.write(`restarts: PostgreSQL at ${Math.round((Date.now() - started) / 1000)} s\n`);
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      // A clean stop, then (next round) a crash: SQLite in WAL mode must survive both.
      const signal = round % 2 === 0 ? 'SIGTERM' : 'SIGKILL';
      await restartTemporalDevServer({ signal });
      restarts.temporal += 1;
      if (signal === 'SIGKILL') restarts.temporalKilled += 1;
      process.stdout.write(`restarts: Temporal (${signal}) at ${Math.round((Date.now() - started) / 1000)} s\n`);
    }
  })();
  const outcomes = await runCompressedJourneys(readTestStack(), JOURNEYS, { cohortSize: Math.min(JOURNEYS, 40), cohortsInFlight: 1 }).finally(() => {
    finished = true;
  });
  await restarter;

  const ids = outcomes.map((outcome) => outcome.participantId);
  const money = await checkMoney(ids, readTestStack());
  const completed = outcomes.filter((outcome) => outcome.stage === 'COMPLETED').length;
  recordFigures('infrastructure-restarts', {
    journeys: JOURNEYS,
    completed,
    lost: JOURNEYS - completed,
    postgresRestarts: restarts.postgres,
    temporalRestarts: restarts.temporal,
    temporalKilledWithSigkill: restarts.temporalKilled,
    keysPaidTwice: money.keysPaidTwice.length,
    wrongProviderTotals: money.wrongProviderTotals.length,
    wrongLedgerTotals: money.wrongLedgerTotals.length,
    durationSeconds: Math.round((Date.now() - started) / 1000),
  });
  expect(restarts.postgres).toBeGreaterThanOrEqual(1);
  expect(restarts.temporal).toBeGreaterThanOrEqual(1);
  expect(outcomes.map((outcome) => outcome.stage)).toEqual(ids.map(() => 'COMPLETED'));
  expect(money.keysPaidTwice).toEqual([]);
  expect(money.wrongProviderTotals).toEqual([]);
  expect(money.wrongLedgerTotals).toEqual([]);
});
