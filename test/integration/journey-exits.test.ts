// Every way out of the journey, each driven over HTTP against the running stack: identity
// problems (corrected, or rejected after the bounded attempts), a deceased NIK, an unverified
// email, no training bought in time, an operator's cancellation, and a closed payout account
// that holds a payment until the participant fixes it.
import { api, createOpenWave, eventually, FAST_CALENDAR, KEYS, sim, waitForStage } from '../support/http';
import {
  ledgerOf,
  PAYOUT_ACCOUNT,
  register,
  registerAndVerify,
  registrationUnknownToRegistry,
  selectInWave,
  setPayoutAccount,
  takeTraining,
  verifyEmail,
  waitForState,
} from '../support/journeys';
import { recordHistory } from '../support/replay-histories';

jest.setTimeout(180_000);

const correctIdentity = (participantId: string, correction: { fullName: string; dateOfBirth: string }) =>
  api('PUT', `/v1/participants/${participantId}/identity`, { body: correction });

describe('identity verification', () => {
  it('lets a participant correct a name that does not match the registry, then carries on', async () => {
    const registered = await registerAndVerify({ fullName: 'Dewi Lestari' }, { fullName: 'Dewi Lestary' });
    const waiting = await waitForStage(registered.participantId, 'AWAITING_IDENTITY_CORRECTION');
    expect(waiting.identity).toEqual({ attempts: 1, problem: 'MISMATCH' });
    expect(waiting.deadlines.identityCorrectionBy).toEqual(expect.any(String));

    const corrected = await correctIdentity(registered.participantId, { fullName: 'Dewi Lestari', dateOfBirth: registered.resident.dateOfBirth });
    expect(corrected.status).toBe(200);
    const eligible = await waitForStage(registered.participantId, 'ELIGIBLE');
    expect(eligible.identity).toEqual({ attempts: 2, problem: null });
    await recordHistory(`participant-${registered.participantId}`, 'journey-identity-corrected');
  });

  it('rejects after the bounded number of attempts when the data never matches', async () => {
    const registered = await registerAndVerify({ fullName: 'Agus Salim' }, { fullName: 'Agus Salem' });
    for (const [attempt, wrongName] of [[1, 'Agus Saleh'], [2, 'Agoes Salem']] as const) {
      await waitForState(registered.participantId, `attempt ${attempt} to fail`, (s) => s.stage === 'AWAITING_IDENTITY_CORRECTION' && s.identity.attempts === attempt);
      expect((await correctIdentity(registered.participantId, { fullName: wrongName, dateOfBirth: registered.resident.dateOfBirth })).status).toBe(200);
    }
    const rejected = await waitForStage(registered.participantId, 'REJECTED');
    expect(rejected.identity.attempts).toBe(3);
    expect(rejected.exit.reason).toBe('IDENTITY_MISMATCH');
    await recordHistory(`participant-${registered.participantId}`, 'journey-identity-rejected');
    // A correction after the end is refused, not silently taken.
    const late = await correctIdentity(registered.participantId, { fullName: 'Agus Salim', dateOfBirth: registered.resident.dateOfBirth });
    expect(late.status).toBe(409);
  });

  it('rejects a NIK the registry does not know once the attempts are used up', async () => {
    const registration = registrationUnknownToRegistry();
    const answer = await api('POST', '/v1/registrations', { body: registration });
    expect(answer.status).toBe(202);
    const registered = { participantId: answer.body.participantId as string, registration };
    await verifyEmail(registered as never);
    for (const attempt of [1, 2]) {
      const waiting = await waitForState(registered.participantId, `attempt ${attempt}`, (s) => s.stage === 'AWAITING_IDENTITY_CORRECTION' && s.identity.attempts === attempt);
      expect(waiting.identity.problem).toBe('NOT_FOUND');
      expect((await correctIdentity(registered.participantId, { fullName: registration.fullName, dateOfBirth: registration.dateOfBirth })).status).toBe(200);
    }
    const rejected = await waitForStage(registered.participantId, 'REJECTED');
    expect(rejected.exit.reason).toBe('IDENTITY_NOT_FOUND');
    await recordHistory(`participant-${registered.participantId}`, 'journey-identity-not-found');
  });

  it('rejects a deceased person at once, with no correction offered', async () => {
    const registered = await registerAndVerify({ deceased: true });
    const rejected = await waitForStage(registered.participantId, 'REJECTED');
    expect(rejected.identity.attempts).toBe(1);
    expect(rejected.exit.reason).toBe('IDENTITY_DECEASED');
    await recordHistory(`participant-${registered.participantId}`, 'journey-identity-deceased');
  });
});

describe('deadlines', () => {
  // The calendar before a participant joins a wave is the one of the wave open at signup, the
  // earliest opened first. This wave opened long ago and closes soon, so it is the one the
  // registrations below follow, and it stops applying to anyone after these tests.
  beforeAll(async () => {
    await createOpenWave({
      opensAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
      closesAt: new Date(Date.now() + 45_000).toISOString(),
      calendar: { ...FAST_CALENDAR, emailVerificationWindow: 'PT8S', identityCorrectionWindow: 'PT3S' },
    });
  });

  it('expires a registration whose email is never verified', async () => {
    const registered = await register();
    const waiting = await waitForState(registered.participantId, 'the verification deadline', (s) => s.deadlines?.emailVerificationBy != null);
    expect(Date.parse(waiting.deadlines.emailVerificationBy) - Date.now()).toBeLessThanOrEqual(8_000);
    const expired = await waitForStage(registered.participantId, 'EXPIRED', 30_000);
    expect(expired.exit.reason).toEqual(expect.stringMatching(/email/i));
    await recordHistory(`participant-${registered.participantId}`, 'journey-expired');
    const late = await api('POST', `/v1/participants/${registered.participantId}/email-verification`, { body: { token: '000000' } });
    expect(late.status).toBe(409);
  });

  it('rejects when an identity problem is not corrected within the window', async () => {
    const registered = await registerAndVerify({ fullName: 'Rina Marlina' }, { fullName: 'Rina Marlena' });
    await waitForStage(registered.participantId, 'AWAITING_IDENTITY_CORRECTION');
    const rejected = await waitForStage(registered.participantId, 'REJECTED', 30_000);
    expect(rejected.exit.reason).toBe('IDENTITY_MISMATCH_NOT_CORRECTED');
    await recordHistory(`participant-${registered.participantId}`, 'journey-identity-not-corrected');
  });

  it('revokes a selected participant who buys no training before the deadline; the balance lapses', async () => {
    const wave = await createOpenWave({ calendar: { ...FAST_CALENDAR, trainingPurchaseDeadline: 'PT4S' } });
    const { participantId } = await registerAndVerify();
    const selected = await selectInWave(participantId, wave.id);
    expect(selected.trainingBalance).toBe(1_000_000);
    const revoked = await waitForStage(participantId, 'REVOKED', 30_000);
    expect(revoked.trainingBalance).toBe(0);
    expect(revoked.exit.reason).toBe('TRAINING_NOT_PURCHASED_IN_TIME');
    expect(revoked.exit.repayment).toBeNull();
    await recordHistory(`participant-${participantId}`, 'journey-revoked-no-training');
    const ledger = await ledgerOf(participantId);
    expect(ledger.map(({ kind, amount }) => [kind, amount])).toEqual([
      ['TRAINING_CREDIT', 1_000_000],
      ['TRAINING_LAPSE', -1_000_000],
    ]);
    // A purchase after the revocation is turned away by the journey.
    const catalog = await sim<Array<{ platformId: string; courseId: string }>>('GET', '/sim/training/catalog');
    const late = await sim('POST', '/sim/training/purchases', { participantId, platformId: catalog.body[0]!.platformId, courseId: catalog.body[0]!.courseId, deliver: false });
    const delivered = await fetch(late.body.url, { method: 'POST', headers: late.body.headers, body: late.body.body });
    expect(delivered.status).toBe(409);
  });
});

describe('cancellation by an operator', () => {
  it('ends the journey with the reason and who cancelled, and lapses the balance', async () => {
    const wave = await createOpenWave();
    const { participantId } = await registerAndVerify();
    await selectInWave(participantId, wave.id);

    const refused = await api('POST', `/v1/participants/${participantId}/cancellation`, { body: { reason: 'duplicate identity' } });
    expect(refused.status).toBe(403); // the backend role may not cancel

    const cancelled = await api('POST', `/v1/participants/${participantId}/cancellation`, { key: KEYS.operator, body: { reason: 'duplicate identity found by audit' } });
    expect(cancelled.status).toBe(200);
    const ended = await waitForStage(participantId, 'CANCELLED');
    expect(ended.exit).toMatchObject({ reason: 'duplicate identity found by audit', by: expect.any(String) });
    expect(ended.trainingBalance).toBe(0);
    expect((await ledgerOf(participantId)).map((row) => row.kind)).toEqual(['TRAINING_CREDIT', 'TRAINING_LAPSE']);
    await recordHistory(`participant-${participantId}`, 'journey-cancelled');
  });
});

describe('payments to a closed account', () => {
  it('holds the incentive until the participant fixes the account, then pays it once', async () => {
    const closedAccount = `0899${Date.now().toString().slice(-8)}`;
    expect((await sim('POST', '/sim/payments/closed-accounts', { accountNumber: closedAccount })).status).toBe(201);
    const wave = await createOpenWave({ calendar: { ...FAST_CALENDAR, incentiveInterval: 'PT2S' } });
    const { participantId } = await registerAndVerify();
    await setPayoutAccount(participantId, { ...PAYOUT_ACCOUNT, accountNumber: closedAccount });
    await selectInWave(participantId, wave.id);
    await takeTraining(participantId, { complete: true });

    const blocked = await waitForState(participantId, 'the first incentive to be refused', (s) => s.payout?.blocked === 'ACCOUNT_CLOSED');
    expect(blocked.payments).toHaveLength(0);
    const firstKey = `${participantId}:incentive:1`;
    expect((await ledgerOf(participantId)).find((row) => row.idempotencyKey === firstKey)).toMatchObject({ status: 'PENDING', failureCode: 'ACCOUNT_CLOSED' });

    await setPayoutAccount(participantId, { ...PAYOUT_ACCOUNT, accountNumber: '081299990000' });
    await waitForState(participantId, 'the first incentive to be paid', (s) => s.payments.length >= 1 && s.payout.blocked === null);

    const provider = await eventually(async () => {
      const log = await sim<Array<{ idempotencyKey: string; status: string; reason?: string }>>('GET', `/sim/payments?participantId=${participantId}`);
      return log.body.some((r) => r.idempotencyKey === firstKey && r.status === 'PAID') ? log.body : undefined;
    }, 'the provider to pay incentive 1');
    const firstKeyRequests = provider.filter((r) => r.idempotencyKey === firstKey).map((r) => r.status);
    expect(firstKeyRequests).toEqual(['REJECTED', 'PAID']);
    expect((await ledgerOf(participantId)).find((row) => row.idempotencyKey === firstKey)).toMatchObject({ status: 'SETTLED', failureCode: null });

    // Cancel to stop the remaining payments; the one payment made stays paid, once.
    await api('POST', `/v1/participants/${participantId}/cancellation`, { key: KEYS.operator, body: { reason: 'end of test' } });
    await waitForStage(participantId, 'CANCELLED');
    await recordHistory(`participant-${participantId}`, 'journey-closed-account');
  });
});
