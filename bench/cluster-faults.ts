/**
 * cluster-faults: the production topology (`npm run cluster`) broken on purpose while it works.
 * --journeys compressed journeys (cohorts of 100, two in flight, through the balancer) and a
 * steady signup load run while, --interval seconds apart, one part after another fails:
 *
 *   1. the Temporal history service, SIGKILL (started again --down seconds later);
 *   2. one API host, SIGKILL (the balancer must route around it; started again later);
 *   3. one worker host, SIGKILL (started again later);
 *   4. PostgreSQL, restarted (fast shutdown, then started again).
 *
 * The signup client does what a real one does: a request that gets no answer or a 5xx is sent
 * again a second later (a 409 then means the first one had been committed). What is checked:
 * journeys lost (not COMPLETED), idempotency keys the payment provider paid twice (its own log),
 * signups lost (answered 202, or 409 after a lost answer, yet not in PostgreSQL, or their journey
 * never started), and every 5xx or unanswered request with the fault it fell in.
 *
 *   npm run bench -- cluster-faults [--journeys 1000] [--signups-per-second 10] [--interval 60]
 *     [--down 15] [--history-shards 4]
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startCluster, type RunningCluster } from '../scripts/cluster/cluster';
import type { ClusterHostName } from '../scripts/cluster/topology';
import { checkMoney } from './money-checks';
import { wholeNumber } from './command-line';
import { runCompressedJourneys } from './compressed-journeys';
import { progressBar } from './progress-bar';
import { fetchResidents, registrationBody, round, waitForAllStarted } from './signup-load';
import { ROOT, loadAverage, machine, writeResult } from './stack-benchmark';

const SCENARIO = 'cluster-faults';
const JOURNEYS = wholeNumber('journeys', 1_000);
const SIGNUPS_PER_SECOND = wholeNumber('signups-per-second', 10);
const INTERVAL_SECONDS = wholeNumber('interval', 60);
const DOWN_SECONDS = wholeNumber('down', 15);
const HISTORY_SHARDS = wholeNumber('history-shards', 4);
const MAX_ATTEMPTS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Fault {
  what: string;
  part: ClusterHostName;
  kind: 'SIGKILL' | 'restart';
  /** Seconds from the start of the run: when it failed, and when it served again. */
  at: number;
  backAt?: number;
}

interface SignupAttempt {
  atSeconds: number;
  status: number;
  error?: string;
}

interface SignupOutcome {
  nik: string;
  attempts: SignupAttempt[];
  finalStatus: number;
  participantId?: string;
}

/** One registration as a client with retries sends it: again after no answer or a 5xx, after Retry-After on a 429. */
async function signUp(apiUrl: string, body: Record<string, unknown>, began: number): Promise<SignupOutcome> {
  const attempts: SignupAttempt[] = [];
  for (;;) {
    const atSeconds = round((Date.now() - began) / 1000, 2);
    let status = 0;
    let error: string | undefined;
    let participantId: string | undefined;
    let retryAfterMs = 1_000;
    try {
      const response = await fetch(`${apiUrl}/v1/registrations`, {
        method: 'POST',
        headers: { authorization: 'Bearer dev-backend', 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      status = response.status;
      const text = await response.text();
      if (status === 202) participantId = (JSON.parse(text) as { participantId: string }).participantId;
      if (status === 429) retryAfterMs = Number(response.headers.get('retry-after') ?? '1') * 1000;
    } catch (caught) {
      error = (caught as { cause?: { code?: string } }).cause?.code ?? (caught as Error).name;
    }
    attempts.push({ atSeconds, status, ...(error ? { error } : {}) });
    const again = status === 0 || status >= 500 || status === 429;
    if (!again || attempts.length >= MAX_ATTEMPTS) return { nik: String(body.nik), attempts, finalStatus: status, participantId };
    await sleep(retryAfterMs);
  }
}

/** Which fault a moment falls in (from its start until a few seconds after the part served again). */
function faultAt(faults: Fault[], seconds: number): string | undefined {
  return faults.find((fault) => seconds >= fault.at - 1 && seconds <= (fault.backAt ?? Infinity) + 5)?.what;
}

async function injectFaults(cluster: RunningCluster, began: number, faults: Fault[], stopped: () => boolean): Promise<void> {
  const now = () => round((Date.now() - began) / 1000, 1);
  const plan: Array<Omit<Fault, 'at'>> = [
    { what: 'history service killed', part: 'temporal-history', kind: 'SIGKILL' },
    { what: 'API host killed', part: 'api-1', kind: 'SIGKILL' },
    { what: 'worker host killed', part: 'worker-1', kind: 'SIGKILL' },
    { what: 'PostgreSQL restarted', part: 'postgres', kind: 'restart' },
  ];
  for (const step of plan) {
    await sleep(INTERVAL_SECONDS * 1000);
    if (stopped()) return;
    const fault: Fault = { ...step, at: now() };
    faults.push(fault);
    process.stderr.write(`\n${fault.at} s: ${fault.what}\n`);
    if (step.kind === 'SIGKILL') {
      await cluster.kill(step.part);
      await sleep(DOWN_SECONDS * 1000);
    }
    await cluster.restart(step.part);
    fault.backAt = now();
    process.stderr.write(`${fault.backAt} s: ${step.part} serves again\n`);
  }
}

async function run() {
  const startedAt = new Date();
  const loadBefore = loadAverage();
  const dataDir = path.join(ROOT, 'bench', 'results', `${SCENARIO}-data`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const logStream = fs.createWriteStream(path.join(dataDir, 'cluster.log'));
  process.stderr.write(`starting the cluster (${HISTORY_SHARDS} history shards)\n`);
  const cluster = await startCluster({ dataDir, historyShards: HISTORY_SHARDS, output: (line) => logStream.write(`${line}\n`), env: { LOG_LEVEL: 'warn', LOG_FORMAT: 'json' } });
  try {
    const stack = { apiUrl: cluster.endpoints.apiUrl, simulatorsUrl: cluster.endpoints.simulatorsUrl };
    // The load lasts until after the last fault (each restart takes seconds of its own).
    const faultsSeconds = 4 * INTERVAL_SECONDS + 3 * DOWN_SECONDS + 60;
    const residents = await fetchResidents(stack.simulatorsUrl, 200_000, SIGNUPS_PER_SECOND * faultsSeconds);
    const began = Date.now();
    const faults: Fault[] = [];
    let journeysDone = false;

    const bar = progressBar('journeys', JOURNEYS);
    const journeys = runCompressedJourneys(stack, JOURNEYS, { cohortSize: Math.min(100, JOURNEYS), cohortsInFlight: 2, onProgress: bar.update }).finally(() => {
      journeysDone = true;
    });
    const faulting = injectFaults(cluster, began, faults, () => journeysDone);
    // The steady load: one registration every 1/rate seconds, each with its own retries.
    const signups = Promise.all(
      residents.map(async (resident, index) => {
        await sleep((index * 1000) / SIGNUPS_PER_SECOND);
        return signUp(stack.apiUrl, registrationBody(resident, index), began);
      }),
    );

    const [outcomes, signupOutcomes] = await Promise.all([journeys, signups, faulting]);
    bar.end();
    const seconds = round((Date.now() - began) / 1000, 1);

    // Journeys and money.
    const journeyIds = outcomes.map((outcome) => outcome.participantId);
    const money = await checkMoney(journeyIds, { simulatorsUrl: stack.simulatorsUrl, databaseUrl: cluster.databaseUrl });

    // Signups: each one answered 202 (or 409 after a lost answer) is in PostgreSQL once, and its journey started.
    const failedAttempts = signupOutcomes.flatMap((outcome) => outcome.attempts.filter((attempt) => attempt.status === 0 || attempt.status >= 500));
    const db = new pg.Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    let participantsInDatabase: number;
    let allIds: string[];
    try {
      allIds = (await db.query<{ id: string }>('SELECT id FROM "Participant"')).rows.map((row) => row.id);
      participantsInDatabase = allIds.length;
    } finally {
      await db.end();
    }
    const { pending: journeysNeverStarted } = await waitForAllStarted(cluster.databaseUrl, allIds, 10 * 60_000);
    const accepted = signupOutcomes.filter((outcome) => outcome.finalStatus === 202 || (outcome.finalStatus === 409 && outcome.attempts.length > 1));

    const result = {
      scenario: SCENARIO,
      date: startedAt.toISOString(),
      machine: machine(),
      loadAverage: { before: loadBefore, after: loadAverage() },
      command: `npm run bench -- ${SCENARIO} ${process.argv.slice(2).join(' ')}`.trim(),
      settings: { journeys: JOURNEYS, signupsPerSecond: SIGNUPS_PER_SECOND, intervalSeconds: INTERVAL_SECONDS, downSeconds: DOWN_SECONDS, historyShards: HISTORY_SHARDS },
      seconds,
      faults,
      journeys: {
        driven: JOURNEYS,
        completed: outcomes.filter((outcome) => outcome.stage === 'COMPLETED').length,
        lost: outcomes.filter((outcome) => outcome.stage !== 'COMPLETED').length,
      },
      money: {
        keysPaidTwice: money.keysPaidTwice.length,
        wrongProviderTotals: money.wrongProviderTotals.length,
        wrongLedgerTotals: money.wrongLedgerTotals.length,
        providerPaidAmount: money.providerPaidAmount,
        expectedAmount: JOURNEYS * 2_550_000,
      },
      signups: {
        sent: signupOutcomes.length,
        accepted: accepted.length,
        notAccepted: signupOutcomes.filter((outcome) => !accepted.includes(outcome)).map((outcome) => ({ finalStatus: outcome.finalStatus, attempts: outcome.attempts })),
        // Every participant: the journeys' and the load's.
        participantsInDatabase,
        expectedParticipants: JOURNEYS + accepted.length,
        journeysNeverStarted,
        failedAttempts: failedAttempts.length,
        failedAttemptsByFault: failedAttempts.reduce<Record<string, number>>((counts, attempt) => {
          const fault = faultAt(faults, attempt.atSeconds) ?? 'no fault';
          return { ...counts, [`${fault}: ${attempt.status || attempt.error}`]: (counts[`${fault}: ${attempt.status || attempt.error}`] ?? 0) + 1 };
        }, {}),
        retriedThenAccepted: accepted.filter((outcome) => outcome.attempts.length > 1).length,
      },
    };
    const file = writeResult(SCENARIO, startedAt, result);
    process.stdout.write(`${JSON.stringify({ ...result, signups: { ...result.signups, notAccepted: result.signups.notAccepted.length } }, null, 2)}\nresult: ${file}\n`);
  } finally {
    await cluster.stop();
    logStream.end();
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
