// Steps that many journey tests share: a participant registered and email-verified over HTTP,
// driven to a stage, and the database's own record of their money.
import pg from 'pg';
import * as stackHttp from '../../bench/stack-http';
import { PAYOUT_ACCOUNT, type RegisteredParticipant, type TestResident } from '../../bench/stack-http';
import { api, eventually, KEYS, participant, registrationFor, sim, waitForStage } from './http';
import { readTestStack } from './test-stack';

export { PAYOUT_ACCOUNT, type RegisteredParticipant } from '../../bench/stack-http';

export const register = (residentOverrides: Partial<TestResident> = {}, registrationOverrides: Record<string, unknown> = {}) =>
  stackHttp.register(readTestStack(), residentOverrides, registrationOverrides);
export const verifyEmail = (registered: RegisteredParticipant) => stackHttp.verifyEmail(readTestStack(), registered);

export async function registerAndVerify(residentOverrides: Partial<TestResident> = {}, registrationOverrides: Record<string, unknown> = {}): Promise<RegisteredParticipant> {
  const registered = await register(residentOverrides, registrationOverrides);
  await verifyEmail(registered);
  return registered;
}

export async function setPayoutAccount(participantId: string, account: Record<string, string> = PAYOUT_ACCOUNT) {
  const answer = await api('PUT', `/v1/participants/${participantId}/payout-account`, { body: account });
  if (answer.status !== 200) throw new Error(`payout account refused: ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** Applies an eligible participant to the wave, closes it and waits until they are selected. */
export async function selectInWave(participantId: string, waveId: string) {
  await waitForStage(participantId, 'ELIGIBLE');
  const applied = await api('POST', `/v1/participants/${participantId}/wave-applications`, { body: { waveId } });
  if (applied.status !== 200) throw new Error(`application refused: ${applied.status} ${JSON.stringify(applied.body)}`);
  const closed = await api('POST', `/v1/waves/${waveId}/close`, { key: KEYS.programManager });
  if (closed.status !== 200) throw new Error(`wave not closed: ${closed.status} ${JSON.stringify(closed.body)}`);
  return waitForStage(participantId, 'SELECTED');
}

/** Buys the cheapest course on a partner platform; `complete` also finishes it. */
export async function takeTraining(participantId: string, { complete }: { complete: boolean }) {
  const catalog = await sim<Array<{ platformId: string; courseId: string; price: number }>>('GET', '/sim/training/catalog');
  const course = [...catalog.body].sort((a, b) => a.price - b.price)[0]!;
  const bought = await sim('POST', '/sim/training/purchases', { participantId, platformId: course.platformId, courseId: course.courseId });
  if (bought.status !== 202) throw new Error(`purchase refused: ${bought.status}`);
  await waitForStage(participantId, 'IN_TRAINING');
  if (complete) {
    const completed = await sim('POST', '/sim/training/completions', { participantId, platformId: course.platformId, courseId: course.courseId });
    if (completed.status !== 202) throw new Error(`completion refused: ${completed.status}`);
  }
  return course;
}

/**
 * Waits until the participant's journey runs and stands at `stage`. Under load the start at signup
 * is left to the outbox relay, and until it has started the journey the participant's view comes
 * from the registration row (already AWAITING_EMAIL_VERIFICATION) while the journey cannot yet be
 * asked anything.
 */
export function waitForJourney(participantId: string, stage: string, timeoutMs = 60_000) {
  return waitForState(participantId, `the journey to run, at ${stage}`, (state) => state.source === 'workflow' && state.stage === stage, timeoutMs);
}

/** Waits until the participant's state satisfies `check`. */
export async function waitForState<T = any>(participantId: string, what: string, check: (state: any) => boolean, timeoutMs = 60_000): Promise<T> {
  return eventually(async () => {
    const state = (await participant(participantId)).body;
    return check(state) ? state : undefined;
  }, what, timeoutMs);
}

export interface LedgerRow {
  kind: string;
  amount: number;
  idempotencyKey: string;
  status: string;
  failureCode: string | null;
  dueAt: Date | null;
}

/** The participant's ledger as PostgreSQL holds it: the authority on money, beside the API's view. */
export async function ledgerOf(participantId: string): Promise<LedgerRow[]> {
  const client = new pg.Client({ connectionString: readTestStack().databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<LedgerRow>(
      `SELECT kind, amount, "idempotencyKey", status, "failureCode", "dueAt" FROM "LedgerEntry" WHERE "participantId" = $1 ORDER BY "createdAt", "idempotencyKey"`,
      [participantId],
    );
    return rows;
  } finally {
    await client.end();
  }
}

/** A registration whose NIK the population registry does not know (serials above 0100 are never generated). */
export function registrationUnknownToRegistry(): ReturnType<typeof registrationFor> {
  const serial = String(5000 + Math.floor(Math.random() * 4999)).padStart(4, '0');
  const resident: TestResident = { nik: `317101170590${serial}`, fullName: 'Budi Santoso', dateOfBirth: '1990-05-17', gender: 'M', isStudent: false, socialAid: [], onLaidOffList: false };
  return registrationFor(resident);
}
