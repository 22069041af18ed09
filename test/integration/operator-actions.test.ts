// Operator actions over HTTP against the running stack: each takes a reason, and each is written
// to the participant's append-only audit trail with who, why and the journey before and after.
import { api, createOpenWave, FAST_CALENDAR, KEYS, sim, waitForStage } from '../support/http';
import { PAYOUT_ACCOUNT, register, registerAndVerify, selectInWave, setPayoutAccount, takeTraining, waitForState } from '../support/journeys';
import { connectTestDatabase } from '../support/clients';

jest.setTimeout(180_000);

const prisma = connectTestDatabase();
afterAll(() => prisma.$disconnect());

const operatorAction = (participantId: string, action: string, body: unknown) => api('POST', `/v1/participants/${participantId}/${action}`, { key: KEYS.operator, body });
const auditTrail = async (participantId: string) => {
  const answer = await api('GET', `/v1/participants/${participantId}/audit-trail`, { key: KEYS.operator });
  expect(answer.status).toBe(200);
  return answer.body.actions as Array<Record<string, unknown>>;
};

describe('operator actions, audited', () => {
  it('records a cancellation with who, why, and the stage before and after', async () => {
    const wave = await createOpenWave();
    const { participantId } = await registerAndVerify();
    await selectInWave(participantId, wave.id);

    const cancelled = await operatorAction(participantId, 'cancellation', { reason: 'duplicate identity found by audit' });
    expect(cancelled.status).toBe(200);
    const ended = await waitForStage(participantId, 'CANCELLED');
    expect(ended.exit.by).toBe('dev-operator');

    expect(await auditTrail(participantId)).toEqual([
      expect.objectContaining({
        kind: 'CANCEL',
        actor: 'dev-operator',
        actorRole: 'operator',
        reason: 'duplicate identity found by audit',
        outcome: 'DONE',
        refusalCode: null,
        before: { stage: 'SELECTED', payoutBlocked: null },
        after: { stage: 'CANCELLED', payoutBlocked: null },
        completedAt: expect.any(String),
      }),
    ]);
  });

  it('resends the verification mail, and refuses it once the email is verified, never recording that as done', async () => {
    const registered = await register();
    const { participantId } = registered;
    await waitForStage(participantId, 'AWAITING_EMAIL_VERIFICATION');
    expect((await operatorAction(participantId, 'verification-email-resends', { reason: 'participant says the mail never came' })).status).toBe(200);

    const verified = await registerAndVerify();
    await waitForState(verified.participantId, 'the email to be verified', (s) => s.stage !== 'AWAITING_EMAIL_VERIFICATION');
    const refused = await operatorAction(verified.participantId, 'verification-email-resends', { reason: 'asked by phone' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('WRONG_STAGE');

    expect(await auditTrail(participantId)).toEqual([
      expect.objectContaining({
        kind: 'RESEND_VERIFICATION_EMAIL',
        reason: 'participant says the mail never came',
        outcome: 'DONE',
        before: { stage: 'AWAITING_EMAIL_VERIFICATION', payoutBlocked: null },
        after: { stage: 'AWAITING_EMAIL_VERIFICATION', payoutBlocked: null },
      }),
    ]);
    expect(await auditTrail(verified.participantId)).toEqual([expect.objectContaining({ kind: 'RESEND_VERIFICATION_EMAIL', outcome: 'REFUSED', refusalCode: 'WRONG_STAGE', after: null })]);
    expect(await prisma.operatorActionEntry.count({ where: { participantId: verified.participantId, phase: 'DONE' } })).toBe(0);
  });

  it('refuses an action without a reason with a code naming the field, and records nothing', async () => {
    const { participantId } = await register();
    for (const action of ['cancellation', 'verification-email-resends', 'payout-retries']) {
      for (const body of [{}, { reason: '   ' }]) {
        const answer = await operatorAction(participantId, action, body);
        expect(answer.status).toBe(400);
        expect(answer.body.error).toMatchObject({ code: 'REASON_REQUIRED', fields: { reason: expect.any(String) } });
      }
    }
    expect(await auditTrail(participantId)).toEqual([]);
  });

  it('retries a payment blocked by a closed account once the account is reopened, under the same key', async () => {
    const closedAccount = `0898${Date.now().toString().slice(-8)}`;
    expect((await sim('POST', '/sim/payments/closed-accounts', { accountNumber: closedAccount })).status).toBe(201);
    const wave = await createOpenWave({ calendar: { ...FAST_CALENDAR, incentiveInterval: 'PT2S' } });
    const { participantId } = await registerAndVerify();
    await setPayoutAccount(participantId, { ...PAYOUT_ACCOUNT, accountNumber: closedAccount });

    // Nothing is blocked yet: the journey refuses the retry.
    await waitForStage(participantId, 'ELIGIBLE');
    const early = await operatorAction(participantId, 'payout-retries', { reason: 'bank says the account is open' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('PAYOUT_NOT_BLOCKED');

    await selectInWave(participantId, wave.id);
    await takeTraining(participantId, { complete: true });
    await waitForState(participantId, 'the first incentive to be refused', (s) => s.payout?.blocked === 'ACCOUNT_CLOSED');

    expect((await sim('DELETE', `/sim/payments/closed-accounts/${closedAccount}`)).status).toBeLessThan(300);
    const retried = await operatorAction(participantId, 'payout-retries', { reason: 'bank reopened the account (ticket 42)' });
    expect(retried.status).toBe(200);
    const paid = await waitForState(participantId, 'the first incentive to be paid', (s) => s.payments.length >= 1);
    expect(paid.payments[0]).toMatchObject({ kind: 'INCENTIVE', sequence: 1 });

    const provider = await sim<Array<{ idempotencyKey: string; status: string }>>('GET', `/sim/payments?participantId=${participantId}`);
    expect(provider.body.filter((r) => r.idempotencyKey === `${participantId}:incentive:1`).map((r) => r.status)).toEqual(['REJECTED', 'PAID']);

    const trail = await auditTrail(participantId);
    expect(trail).toEqual([
      expect.objectContaining({ kind: 'RETRY_PAYOUT', outcome: 'REFUSED', refusalCode: 'PAYOUT_NOT_BLOCKED' }),
      expect.objectContaining({
        kind: 'RETRY_PAYOUT',
        reason: 'bank reopened the account (ticket 42)',
        outcome: 'DONE',
        before: { stage: 'RECEIVING_INCENTIVES', payoutBlocked: 'ACCOUNT_CLOSED' },
        after: { stage: 'RECEIVING_INCENTIVES', payoutBlocked: null },
      }),
    ]);
    // No personal data in the rows: not the account number.
    expect(JSON.stringify(await prisma.operatorActionEntry.findMany({ where: { participantId } }))).not.toContain(closedAccount);

    await operatorAction(participantId, 'cancellation', { reason: 'end of test' });
    await waitForStage(participantId, 'CANCELLED');
  });

  it('is append-only in the database itself', async () => {
    const { participantId } = await register();
    await waitForStage(participantId, 'AWAITING_EMAIL_VERIFICATION');
    expect((await operatorAction(participantId, 'verification-email-resends', { reason: 'append-only check' })).status).toBe(200);
    await expect(prisma.$executeRaw`UPDATE "OperatorActionEntry" SET "reason" = 'changed' WHERE "participantId" = ${participantId}::uuid`).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRaw`DELETE FROM "OperatorActionEntry" WHERE "participantId" = ${participantId}::uuid`).rejects.toThrow(/append-only/);
    expect(await prisma.operatorActionEntry.count({ where: { participantId, reason: 'append-only check' } })).toBe(2);
  });
});
