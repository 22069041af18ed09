// A short signup spike against the test stack (CI smoke test, no speed assertion): every
// accepted registration is in PostgreSQL with its outbox row, every journey starts exactly once,
// duplicates are 409, invalid bodies 400, and nothing is a 5xx or a dropped connection.
import { randomInt } from 'node:crypto';
import { checkSignups, driveLoad, fetchResidents, planSignups, waitForAllStarted } from '../../bench/signup-load';
import { connectTestTemporal } from '../support/clients';
import { KEYS } from '../support/http';
import { readTestStack } from '../support/test-stack';
import { runWithConcurrency } from '../../lib/run-with-concurrency';

jest.setTimeout(300_000);

const COUNT = Number(process.env.SIGNUP_SMOKE_COUNT ?? 2_000);
const SECONDS = Number(process.env.SIGNUP_SMOKE_SECONDS ?? 10);

it(`takes ${COUNT} signups in ${SECONDS} s and loses none`, async () => {
  const stack = readTestStack();
  // A stretch of the population no other test uses (they register residents they create).
  const residents = await fetchResidents(stack.simulatorsUrl, randomInt(0, 90_000 - COUNT), COUNT);
  const plan = planSignups(residents, { duplicate: 0.02, invalid: 0.02 });
  const { answers } = await driveLoad({
    url: `${stack.apiUrl}/v1/registrations`,
    authorization: `Bearer ${KEYS.backend}`,
    plan,
    seconds: SECONDS,
    concurrency: 64,
    maxRetries: 20,
  });

  const ids = answers.flatMap((answer) => (answer.participantId ? [answer.participantId] : []));
  const temporal = await connectTestTemporal();
  try {
    const checks = await checkSignups(stack.databaseUrl, answers);
    expect(checks.serverErrors).toBe(0);
    expect(checks.acceptedIds).toBe(COUNT);
    expect(checks.niksAcceptedOnce).toBe(COUNT);
    expect(checks.niksAcceptedTwice).toBe(0);
    expect(checks.duplicatesAnswered409).toBe(checks.duplicatesSent);
    expect(checks.invalidAnswered400).toBe(checks.invalidSent);
    expect(checks.participantRows).toBe(COUNT);
    expect(checks.outboxRows).toBe(COUNT);
    expect(checks.lost).toBe(0);

    const { pending } = await waitForAllStarted(stack.databaseUrl, ids, 240_000);
    expect(pending).toBe(0);
    // One run per journey: the workflow id is the participant's (REJECT_DUPLICATE), so a second
    // start is refused by Temporal. Each journey is there, running, or (on a slow machine, with a
    // test wave's one-minute email window open) ended as EXPIRED: nothing failed or was terminated.
    const outcomes = new Map<string, number>();
    await runWithConcurrency(ids, 20, async (participantId) => {
      const description = await temporal.client.workflow.getHandle(`participant-${participantId}`).describe();
      const outcome = description.status.name === 'COMPLETED' ? `COMPLETED ${String(description.searchAttributes.JalurStage?.[0])}` : description.status.name;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    });
    expect([...outcomes].filter(([outcome]) => outcome !== 'RUNNING' && outcome !== 'COMPLETED EXPIRED')).toEqual([]);
    expect((outcomes.get('RUNNING') ?? 0) + (outcomes.get('COMPLETED EXPIRED') ?? 0)).toBe(COUNT);
  } finally {
    // Thousands of journeys waiting for mail would sit in the worker's way for the suites after this one.
    // (Those already ended refuse the termination, which is fine; those the relay has not started
    // yet are waited for, so that none starts after this.)
    await waitForAllStarted(stack.databaseUrl, ids, 240_000);
    await runWithConcurrency(ids, 20, async (participantId) => {
      await temporal.client.workflow.getHandle(`participant-${participantId}`).terminate('signup smoke test finished').catch(() => undefined);
    });
    await temporal.close();
  }
});
