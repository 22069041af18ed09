// Operator actions over HTTP against the running stack: each takes a reason, and each is written
// to the participant's append-only audit trail with who, why and the journey before and after.
import { api, createOpenWave, eventually, FAST_CALENDAR, KEYS, sim, waitForStage } from '../support/http';
import { PAYOUT_ACCOUNT, register, registerAndVerify, selectInWave, setPayoutAccount, takeTraining, waitForJourney, waitForState } from '../support/journeys';
import { connectTestDatabase, connectTestTemporal } from '../support/clients';
import { recordHistory } from '../support/replay-histories';

jest.setTimeout(180_000);

const prisma = connectTestDatabase();
afterAll(() => prisma.$disconnect());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The journey's current run, straight from Temporal. */
const currentRunId = async (participantId: string) => {
  const temporal = await connectTestTemporal();
  try {
    return (await temporal.client.workflow.getHandle(`participant-${participantId}`).describe()).runId;
  } finally {
    await temporal.close();
  }
};

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
    await waitForJourney(participantId, 'AWAITING_EMAIL_VERIFICATION');
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
    for (const action of ['cancellation', 'verification-email-resends', 'payout-retries', 'deadline-extensions', 'resets']) {
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
    await waitForJourney(participantId, 'AWAITING_EMAIL_VERIFICATION');
    expect((await operatorAction(participantId, 'verification-email-resends', { reason: 'append-only check' })).status).toBe(200);
    await expect(prisma.$executeRaw`UPDATE "OperatorActionEntry" SET "reason" = 'changed' WHERE "participantId" = ${participantId}::uuid`).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRaw`DELETE FROM "OperatorActionEntry" WHERE "participantId" = ${participantId}::uuid`).rejects.toThrow(/append-only/);
    expect(await prisma.operatorActionEntry.count({ where: { participantId, reason: 'append-only check' } })).toBe(2);
  });

  it('extends an open deadline: the journey waits until the new one, and refuses more than the calendar allows', async () => {
    // The compressed calendar, with a purchase deadline short enough to outwait and a small limit.
    const wave = await createOpenWave({ calendar: { ...FAST_CALENDAR, trainingPurchaseDeadline: 'PT15S', maxDeadlineExtension: 'PT30S' } });
    const { participantId } = await registerAndVerify();
    const selected = await selectInWave(participantId, wave.id);
    const oldDeadline = selected.deadlines.trainingPurchaseBy as string;

    const extended = await operatorAction(participantId, 'deadline-extensions', { deadline: 'TRAINING_PURCHASE', extension: 'PT20S', reason: 'platform outage (ticket 51)' });
    expect(extended.status).toBe(200);
    const newDeadline = extended.body.deadlines.trainingPurchaseBy as string;
    expect(Date.parse(newDeadline) - Date.parse(oldDeadline)).toBe(20_000);

    // 20 s granted, 30 s in all: 15 s more is over the limit, and so are two days.
    const overLimit = await operatorAction(participantId, 'deadline-extensions', { deadline: 'TRAINING_PURCHASE', extension: 'PT15S', reason: 'still down' });
    expect(overLimit.status).toBe(422);
    expect(overLimit.body.error.code).toBe('DEADLINE_EXTENSION_OVER_LIMIT');
    expect((await operatorAction(participantId, 'deadline-extensions', { deadline: 'TRAINING_PURCHASE', extension: 2, reason: 'still down' })).body.error.code).toBe('DEADLINE_EXTENSION_OVER_LIMIT');
    const notOpen = await operatorAction(participantId, 'deadline-extensions', { deadline: 'EMAIL_VERIFICATION', extension: 'PT5S', reason: 'wrong deadline' });
    expect(notOpen.status).toBe(409);
    expect(notOpen.body.error.code).toBe('DEADLINE_NOT_OPEN');
    const malformed = await operatorAction(participantId, 'deadline-extensions', { deadline: 'LUNCH', extension: 0, reason: 'typo' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.fields).toEqual({ deadline: expect.any(String), extension: expect.any(String) });

    // Past the old deadline the card is not revoked, and a training bought now counts.
    await sleep(Math.max(0, Date.parse(oldDeadline) - Date.now()) + 3_000);
    expect((await waitForStage(participantId, 'SELECTED')).deadlines.trainingPurchaseBy).toBe(newDeadline);
    await takeTraining(participantId, { complete: false });
    await recordHistory(`participant-${participantId}`, 'journey-deadline-extended');

    const trail = await auditTrail(participantId);
    expect(trail).toEqual([
      expect.objectContaining({
        kind: 'EXTEND_DEADLINE',
        actor: 'dev-operator',
        reason: 'platform outage (ticket 51)',
        outcome: 'DONE',
        before: { stage: 'SELECTED', payoutBlocked: null, deadline: { name: 'TRAINING_PURCHASE', at: oldDeadline } },
        after: { stage: 'SELECTED', payoutBlocked: null, deadline: { name: 'TRAINING_PURCHASE', at: newDeadline } },
      }),
      expect.objectContaining({ kind: 'EXTEND_DEADLINE', outcome: 'REFUSED', refusalCode: 'DEADLINE_EXTENSION_OVER_LIMIT', after: null }),
      expect.objectContaining({ kind: 'EXTEND_DEADLINE', outcome: 'REFUSED', refusalCode: 'DEADLINE_EXTENSION_OVER_LIMIT', after: null }),
      expect.objectContaining({ kind: 'EXTEND_DEADLINE', outcome: 'REFUSED', refusalCode: 'DEADLINE_NOT_OPEN', before: { stage: 'SELECTED', payoutBlocked: null, deadline: { name: 'EMAIL_VERIFICATION', at: null } } }),
    ]);

    await operatorAction(participantId, 'cancellation', { reason: 'end of test' });
    await waitForStage(participantId, 'CANCELLED');
  });

  it('resets a journey to its eligibility step after a fix: a new run decides again, and the audit shows both runs', async () => {
    // Dapodik wrongly lists the registrant as a student: the journey ends INELIGIBLE.
    const { participantId, resident } = await registerAndVerify({ isStudent: true });
    const ineligible = await waitForStage(participantId, 'INELIGIBLE');
    expect(ineligible.eligibility.reasons.map((r: { code: string }) => r.code)).toContain('CURRENTLY_STUDENT');
    const endedRunId = await currentRunId(participantId);

    // A step the run never reached: refused with a code, nothing reset.
    const noTarget = await operatorAction(participantId, 'resets', { step: 'TRAINING', reason: 'wrong step' });
    expect(noTarget.status).toBe(422);
    expect(noTarget.body.error.code).toBe('RESET_TARGET_NOT_FOUND');
    const unknownStep = await operatorAction(participantId, 'resets', { step: 'LUNCH', reason: 'typo' });
    expect(unknownStep.status).toBe(400);
    expect(unknownStep.body.error.fields).toEqual({ step: expect.any(String) });
    expect(await currentRunId(participantId)).toBe(endedRunId);

    // The fix: Dapodik's record corrected. The reset runs the eligibility step again.
    expect((await sim('POST', '/sim/residents', { ...resident, isStudent: false })).status).toBe(201);
    const reset = await operatorAction(participantId, 'resets', { step: 'ELIGIBILITY', reason: 'Dapodik corrected the student record (ticket 7)' });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ participantId, step: 'ELIGIBILITY', previousRunId: endedRunId, runId: expect.any(String) });
    const newRunId = reset.body.runId as string;
    expect(newRunId).not.toBe(endedRunId);
    expect(await currentRunId(participantId)).toBe(newRunId);

    const eligible = await waitForStage(participantId, 'ELIGIBLE');
    expect(eligible.eligibility).toMatchObject({ outcome: 'ELIGIBLE', reasons: [] });
    expect(Date.parse(eligible.eligibility.evaluatedAt)).toBeGreaterThan(Date.parse(ineligible.eligibility.evaluatedAt));
    expect(eligible.exit).toBeNull();
    // The database's projection follows the new run, and the old exit no longer holds.
    const projected = await eventually(async () => {
      const row = await prisma.participant.findUnique({ where: { id: participantId }, select: { stage: true, exitedAt: true, exitReason: true } });
      return row?.stage === 'ELIGIBLE' ? row : undefined;
    }, 'the projection to follow the new run');
    expect(projected).toEqual({ stage: 'ELIGIBLE', exitedAt: null, exitReason: null });

    expect(await auditTrail(participantId)).toEqual([
      expect.objectContaining({ kind: 'RESET_JOURNEY', outcome: 'REFUSED', refusalCode: 'RESET_TARGET_NOT_FOUND', before: { stage: 'INELIGIBLE', payoutBlocked: null, runId: endedRunId }, after: null }),
      expect.objectContaining({
        kind: 'RESET_JOURNEY',
        actor: 'dev-operator',
        actorRole: 'operator',
        reason: 'Dapodik corrected the student record (ticket 7)',
        outcome: 'DONE',
        before: { stage: 'INELIGIBLE', payoutBlocked: null, runId: endedRunId },
        after: { stage: 'CHECKING_ELIGIBILITY', payoutBlocked: null, runId: newRunId },
      }),
    ]);

    await operatorAction(participantId, 'cancellation', { reason: 'end of test' });
    await waitForStage(participantId, 'CANCELLED');
  });

  it('offers the new run what arrived after the reset point, judged by its validators: a payout account still counts', async () => {
    const { participantId } = await registerAndVerify();
    await waitForStage(participantId, 'ELIGIBLE');
    await setPayoutAccount(participantId);
    const reset = await operatorAction(participantId, 'resets', { step: 'ELIGIBILITY', reason: 'rules engine fix deployed' });
    expect(reset.status).toBe(200);
    const again = await waitForState(participantId, 'the new run to be eligible again', (s) => s.stage === 'ELIGIBLE');
    expect(again.payout.hasAccount).toBe(true);

    await operatorAction(participantId, 'cancellation', { reason: 'end of test' });
    await waitForStage(participantId, 'CANCELLED');
  });

  it('resets to the payments step without paying anyone twice: every payment is keyed by participant and sequence', async () => {
    const wave = await createOpenWave();
    const { participantId } = await registerAndVerify();
    await setPayoutAccount(participantId);
    await selectInWave(participantId, wave.id);
    await takeTraining(participantId, { complete: true });
    const paid = await waitForState(participantId, 'the incentives to be paid', (s) => s.stage === 'TAKING_SURVEYS');
    expect(paid.payments.length).toBeGreaterThan(0);

    const reset = await operatorAction(participantId, 'resets', { step: 'PAYMENTS', reason: 'incentive scheduling fix deployed' });
    expect(reset.status).toBe(200);
    const again = await waitForState(participantId, 'the new run to reach the surveys again', (s) => s.stage === 'TAKING_SURVEYS' && s.payments.length === paid.payments.length);
    expect(again.payments).toEqual(paid.payments);

    const provider = await sim<Array<{ idempotencyKey: string; status: string }>>('GET', `/sim/payments?participantId=${participantId}`);
    const paidKeys = provider.body.filter((r) => r.status === 'PAID').map((r) => r.idempotencyKey);
    expect(paidKeys).toHaveLength(paid.payments.length);
    expect(new Set(paidKeys).size).toBe(paidKeys.length);
    expect(await prisma.ledgerEntry.count({ where: { participantId, kind: 'INCENTIVE' } })).toBe(paid.payments.length);

    await operatorAction(participantId, 'cancellation', { reason: 'end of test' });
    await waitForStage(participantId, 'CANCELLED');
  });
});
