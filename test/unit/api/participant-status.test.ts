// The participant's status view: every stage and every next step said in both languages, the next
// step each stage leads to, and the reasons in the participant's words.
import { EXIT_REASON_TEXTS, NEXT_STEP_TEXTS, NEXT_STEPS, nextStepOf, participantStatusOf, STAGE_LABELS } from '../../../api/participants/participant-status';
import { LANGUAGES } from '../../../notices/notice';
import { STAGES, type ParticipantState } from '../../../workflows/participant-journey.definitions';
import { journeyState } from './fake-journey-client';

const NOW = new Date('2020-04-20T03:00:00.000Z');
const LATER = '2020-05-20T03:00:00.000Z';
const EARLIER = '2020-04-19T03:00:00.000Z';

const statusOf = (state: ParticipantState, language: 'id' | 'en' = 'en', decisionReason: string | null = null) =>
  participantStatusOf({ state, appealRecord: decisionReason === null ? null : { decisionReason }, language, noticeChannel: 'EMAIL', now: NOW });

describe('the status texts', () => {
  it.each(STAGES)('labels stage %s in Bahasa Indonesia and English', (stage) => {
    for (const language of LANGUAGES) expect(STAGE_LABELS[stage][language].trim()).not.toBe('');
    expect(STAGE_LABELS[stage].id).not.toBe(STAGE_LABELS[stage].en);
  });

  it.each(NEXT_STEPS)('says next step %s in Bahasa Indonesia and English', (step) => {
    for (const language of LANGUAGES) expect(NEXT_STEP_TEXTS[step][language].trim()).not.toBe('');
    expect(NEXT_STEP_TEXTS[step].id).not.toBe(NEXT_STEP_TEXTS[step].en);
  });

  it.each(Object.keys(EXIT_REASON_TEXTS))('says the way out %s in Bahasa Indonesia and English', (code) => {
    for (const language of LANGUAGES) expect(EXIT_REASON_TEXTS[code]![language].trim()).not.toBe('');
  });
});

describe('the next step', () => {
  it.each([
    [{ stage: 'AWAITING_EMAIL_VERIFICATION', deadlines: { emailVerificationBy: LATER } }, { code: 'VERIFY_EMAIL', dueBy: LATER }],
    [{ stage: 'AWAITING_IDENTITY_CORRECTION', deadlines: { identityCorrectionBy: LATER } }, { code: 'CORRECT_IDENTITY', dueBy: LATER }],
    [{ stage: 'VERIFYING_IDENTITY' }, null],
    [{ stage: 'ELIGIBLE' }, { code: 'APPLY_TO_WAVE', dueBy: null }],
    [{ stage: 'APPLIED_TO_WAVE' }, null],
    [{ stage: 'SELECTED', deadlines: { trainingPurchaseBy: LATER } }, { code: 'BUY_TRAINING', dueBy: LATER }],
    [{ stage: 'IN_TRAINING', training: { platformId: 'p', courseId: 'c', purchasedAt: EARLIER } }, { code: 'COMPLETE_TRAINING', dueBy: null }],
    [{ stage: 'RECEIVING_INCENTIVES', payoutBlocked: 'ACCOUNT_CLOSED' }, { code: 'GIVE_PAYOUT_ACCOUNT', dueBy: null }],
    [{ stage: 'RECEIVING_INCENTIVES' }, null],
    [{ stage: 'TAKING_SURVEYS', surveys: [{ sequence: 1, status: 'SUBMITTED' }, { sequence: 2, status: 'OPEN', opensAt: EARLIER, closesAt: LATER }] }, { code: 'SUBMIT_SURVEY', dueBy: LATER }],
    [{ stage: 'INELIGIBLE', exit: { reason: 'AGE_BELOW_MINIMUM', at: EARLIER }, appealableUntil: LATER }, { code: 'APPEAL', dueBy: LATER }],
    [{ stage: 'INELIGIBLE', exit: { reason: 'AGE_BELOW_MINIMUM', at: EARLIER }, appealableUntil: EARLIER }, null],
    [{ stage: 'COMPLETED' }, null],
    [{ stage: 'WITHDRAWN', exit: { reason: 'found a job', at: EARLIER } }, null],
  ] as Array<[Partial<ParticipantState>, unknown]>)('%j → %j', (overrides, expected) => {
    expect(nextStepOf(journeyState(overrides), NOW)).toEqual(expected);
  });

  it('waits for the decision of an open appeal, and offers no second appeal once one was decided', () => {
    const exit = { reason: 'AGE_BELOW_MINIMUM', at: EARLIER };
    const filed = { appealId: 'a', appealedStage: 'INELIGIBLE' as const, filedAt: '2020-04-19T05:00:00.000Z' };
    expect(nextStepOf(journeyState({ stage: 'INELIGIBLE', exit, appealableUntil: LATER, appeal: { ...filed, status: 'OPEN' } }), NOW)).toEqual({ code: 'WAIT_FOR_APPEAL_DECISION', dueBy: null });
    expect(nextStepOf(journeyState({ stage: 'INELIGIBLE', exit, appealableUntil: LATER, appeal: { ...filed, status: 'UPHELD' } }), NOW)).toBeNull();
  });

  it('offers an appeal again after a later way out, whatever an earlier appeal decided', () => {
    const earlier = { appealId: 'a', appealedStage: 'INELIGIBLE' as const, filedAt: '2020-04-01T00:00:00.000Z', status: 'OVERTURNED' as const, result: 'REINSTATED' as const };
    const state = journeyState({ stage: 'REVOKED', exit: { reason: 'TRAINING_NOT_PURCHASED_IN_TIME', at: EARLIER }, appealableUntil: LATER, appeal: earlier });
    expect(nextStepOf(state, NOW)).toEqual({ code: 'APPEAL', dueBy: LATER });
  });
});

describe('the status view', () => {
  const ineligible = journeyState({
    stage: 'INELIGIBLE',
    stageChangedAt: EARLIER,
    eligibility: {
      outcome: 'INELIGIBLE',
      reasons: [
        { code: 'AGE_BELOW_MINIMUM', message: 'Applicant is younger than 18', reference: 'Permenko 3/2020, Pasal 3', messages: { id: 'Usia Anda di bawah 18 tahun.', en: 'You are younger than 18.' } },
        { code: 'TEST_ONLY', message: 'Staff description only' },
      ],
      priorityPoints: 0,
      ruleSetId: '5e0b7c55-1c6f-4b3c-8d43-33a4b8a2f6d1',
      ruleSetVersion: 2,
      evaluatedAt: EARLIER,
    },
    exit: { reason: 'AGE_BELOW_MINIMUM, TEST_ONLY', at: EARLIER },
    appealableUntil: LATER,
  });

  it('gives the reasons in the participant\'s words and language, the staff description where the rule has none', () => {
    expect(statusOf(ineligible, 'id').reasons).toEqual([
      { code: 'AGE_BELOW_MINIMUM', text: 'Usia Anda di bawah 18 tahun.', reference: 'Permenko 3/2020, Pasal 3' },
      { code: 'TEST_ONLY', text: 'Staff description only', reference: null },
    ]);
    expect(statusOf(ineligible, 'en')).toMatchObject({
      language: 'en',
      stage: 'INELIGIBLE',
      stageLabel: STAGE_LABELS.INELIGIBLE.en,
      since: EARLIER,
      nextStep: { code: 'APPEAL', text: NEXT_STEP_TEXTS.APPEAL.en, dueBy: LATER },
      exit: { stage: 'INELIGIBLE', at: EARLIER, repayment: null },
      appeal: null,
      appealableUntil: LATER,
      noticeChannel: 'EMAIL',
    });
  });

  it('says a revocation for no training bought in words, with the money paid and owed', () => {
    const revoked = journeyState({
      stage: 'REVOKED',
      payments: [
        { kind: 'INCENTIVE', sequence: 1, amount: 600_000, idempotencyKey: 'k1', paidAt: EARLIER },
        { kind: 'INCENTIVE', sequence: 2, amount: 600_000, idempotencyKey: 'k2', paidAt: EARLIER },
      ],
      exit: { reason: 'TRAINING_NOT_PURCHASED_IN_TIME', at: EARLIER, repayment: { amount: 1_200_000, dueAt: LATER } },
    });
    const status = statusOf(revoked, 'id');
    expect(status.reasons).toEqual([{ code: 'TRAINING_NOT_PURCHASED_IN_TIME', text: EXIT_REASON_TEXTS.TRAINING_NOT_PURCHASED_IN_TIME!.id, reference: null }]);
    expect(status).toMatchObject({ totalPaid: 1_200_000, exit: { stage: 'REVOKED', repayment: { amount: 1_200_000, dueAt: LATER } } });
    expect(status.payments).toEqual([
      { kind: 'INCENTIVE', sequence: 1, amount: 600_000, paidAt: EARLIER },
      { kind: 'INCENTIVE', sequence: 2, amount: 600_000, paidAt: EARLIER },
    ]);
  });

  it('never shows a free-text way out (an operator\'s or the participant\'s own words)', () => {
    expect(statusOf(journeyState({ stage: 'CANCELLED', exit: { reason: 'constructor', at: EARLIER, by: 'dev-operator' } })).reasons).toEqual([]);
  });

  it('shows the appeal with the reviewer\'s reason once decided, and not before', () => {
    const appeal = { appealId: '3f0c1a9e-6a43-4b53-9d0c-1b1f8e2b7a11', appealedStage: 'INELIGIBLE' as const, filedAt: '2020-04-19T05:00:00.000Z' };
    expect(statusOf({ ...ineligible, appeal: { ...appeal, status: 'OPEN' } }, 'en', null).appeal).toEqual({
      appealId: appeal.appealId,
      status: 'OPEN',
      filedAt: appeal.filedAt,
      decidedAt: null,
      result: null,
      reviewerReason: null,
    });
    const decided = statusOf({ ...ineligible, appeal: { ...appeal, status: 'UPHELD', decidedAt: LATER, decidedBy: 'Wati' } }, 'en', 'The registry date of birth stands.');
    expect(decided.appeal).toMatchObject({ status: 'UPHELD', decidedAt: LATER, reviewerReason: 'The registry date of birth stands.' });
    expect(decided.nextStep).toBeNull();
  });
});
