// Appeals end to end over HTTP: a participant told why they are out appeals with their own token,
// a reviewer decides, and the journey resumes where the person belongs (or stays, told why).
// The registries are corrected in the simulators, as Dukcapil or Dapodik would correct a record.
import { api, createOpenWave, eventually, FAST_CALENDAR, KEYS, sim, waitForStage } from '../support/http';
import { recordHistory } from '../support/replay-histories';
import { ledgerOf, register, registerAndVerify, selectInWave, setPayoutAccount, takeTraining, waitForJourney, waitForState } from '../support/journeys';

jest.setTimeout(300_000);

const REVIEWER = 'dev-appeals-reviewer';

interface Mail {
  subject: string;
  text: string;
  token: string | null;
  deliveries: number;
}

const englishSubject = (subject: string) => subject.split(' / ').at(-1)!;
const noticesTo = async (email: string) => (await sim<Mail[]>('GET', `/sim/mail?to=${encodeURIComponent(email)}`)).body.filter((mail) => mail.token === null);
const yearsAgo = (years: number) => {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  return date.toISOString().slice(0, 10);
};

async function participantToken(participantId: string): Promise<string> {
  const issued = await api('POST', `/v1/participants/${participantId}/access-tokens`, { key: KEYS.backend, body: {} });
  expect(issued.status).toBe(201);
  return issued.body.token as string;
}

async function fileAppeal(participantId: string, body: Record<string, unknown>, key?: string) {
  return api('POST', `/v1/participants/${participantId}/appeals`, { key: key ?? (await participantToken(participantId)), body });
}

async function statusOf(participantId: string, token: string) {
  const answer = await api('GET', `/v1/participants/${participantId}/status`, { key: token });
  expect(answer.status).toBe(200);
  return answer.body;
}

/** Waits for a notice with this English subject, and checks it is the only one. */
async function theNotice(email: string, subject: string): Promise<Mail> {
  const found = await eventually(async () => {
    const matching = (await noticesTo(email)).filter((mail) => englishSubject(mail.subject) === subject);
    return matching.length > 0 ? matching : undefined;
  }, `the notice "${subject}"`);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('appeals', () => {
  it('reinstates an applicant found too young once Dukcapil corrects the birth date, and they go on to be selected', async () => {
    const wave = await createOpenWave();
    // Dukcapil's record (and so the registration) gave a birth date ten years ago.
    const registered = await registerAndVerify({ dateOfBirth: yearsAgo(10) });
    const { participantId, registration, resident } = registered;
    const ineligible = await waitForStage(participantId, 'INELIGIBLE');
    expect(ineligible.eligibility.reasons.map((reason: { code: string }) => reason.code)).toContain('UNDER_MINIMUM_AGE');
    const refusal = await theNotice(registration.email, "You do not meet the Jalur program's requirements");
    expect(refusal.text).toContain('sanggahan');

    const token = await participantToken(participantId);
    const before = await statusOf(participantId, token);
    expect(before).toMatchObject({ stage: 'INELIGIBLE', nextStep: { code: 'APPEAL' }, appeal: null });
    expect(before.reasons.map((reason: { code: string }) => reason.code)).toContain('UNDER_MINIMUM_AGE');

    // Dukcapil corrects its record; the participant appeals with the corrected date.
    const correctedBirthDate = yearsAgo(25);
    expect((await sim('POST', '/sim/residents', { ...resident, dateOfBirth: correctedBirthDate })).status).toBe(201);
    const filed = await fileAppeal(participantId, {
      statement: 'Tanggal lahir saya di Dukcapil salah dan sudah diperbaiki; umur saya 25 tahun.',
      correctedIdentity: { fullName: resident.fullName, dateOfBirth: correctedBirthDate },
    }, token);
    expect(filed.status).toBe(201);
    const { appealId } = filed.body;
    await theNotice(registration.email, 'We have received your appeal');
    expect(await statusOf(participantId, token)).toMatchObject({ appeal: { appealId, status: 'OPEN' }, nextStep: { code: 'WAIT_FOR_APPEAL_DECISION' } });

    const queue = await api('GET', '/v1/appeals?status=OPEN&limit=500', { key: REVIEWER });
    expect(queue.status).toBe(200);
    expect(queue.body.appeals.map((appeal: { appealId: string }) => appeal.appealId)).toContain(appealId);
    const decided = await api('POST', `/v1/appeals/${appealId}/decision`, {
      key: REVIEWER,
      body: { outcome: 'OVERTURNED', reason: 'Dukcapil telah memperbaiki tanggal lahir.', rulesBasis: 'TODAY' },
    });
    expect(decided.status).toBe(200);

    // Dukcapil confirms the corrected date, the rules decide again, and the journey resumes: eligible.
    const eligible = await waitForStage(participantId, 'ELIGIBLE');
    expect(eligible.eligibility).toMatchObject({ outcome: 'ELIGIBLE' });
    expect(eligible.exit).toBeNull();
    const decision = await theNotice(registration.email, 'The outcome of your appeal');
    expect(decision.text).toContain('Dukcapil telah memperbaiki tanggal lahir.');

    await setPayoutAccount(participantId);
    await selectInWave(participantId, wave.id);
    expect(await statusOf(participantId, token)).toMatchObject({
      stage: 'SELECTED',
      nextStep: { code: 'BUY_TRAINING' },
      appeal: { appealId, status: 'OVERTURNED', result: 'REINSTATED' },
    });
    const appeal = await api('GET', `/v1/appeals/${appealId}`, { key: REVIEWER });
    expect(appeal.body).toMatchObject({ status: 'OVERTURNED', rulesBasis: 'TODAY', result: 'REINSTATED', decidedBy: REVIEWER });

    // Every notice once: the ineligibility, the appeal received and decided, the application, the selection.
    await theNotice(registration.email, `Congratulations, you were selected in wave ${wave.number}`);
    const notices = await noticesTo(registration.email);
    expect(notices.map((mail) => mail.deliveries)).toEqual(notices.map(() => 1));
    expect(notices.map((mail) => englishSubject(mail.subject)).sort()).toEqual(
      [
        'Your email address is verified',
        "You do not meet the Jalur program's requirements",
        'We have received your appeal',
        'The outcome of your appeal',
        `You have applied to wave ${wave.number}`,
        `Congratulations, you were selected in wave ${wave.number}`,
      ].sort(),
    );
    await api('POST', `/v1/participants/${participantId}/cancellation`, { key: KEYS.operator, body: { reason: 'end of test' } });
    await waitForStage(participantId, 'CANCELLED');
    await recordHistory(`participant-${participantId}`, 'journey-appeal-reinstated-then-selected');
  });

  it('reinstates a participant revoked after payments on a wrong Dapodik record: the repayment cancelled, the rest paid once', async () => {
    const wave = await createOpenWave();
    const { participantId, resident } = await registerAndVerify();
    await setPayoutAccount(participantId);
    await selectInWave(participantId, wave.id);
    const course = await takeTraining(participantId, { complete: true });
    const surveying = await waitForStage(participantId, 'TAKING_SURVEYS');
    expect(surveying.payments).toHaveLength(4);

    // Dapodik wrongly lists them as a student; a re-evaluation under the version in force revokes them.
    expect((await sim('POST', '/sim/residents', { ...resident, isStudent: true })).status).toBe(201);
    const requested = await api('POST', `/v1/rule-sets/${surveying.eligibility.ruleSetId}/reevaluations`, { key: KEYS.programManager, body: { reason: 'Dapodik update' } });
    expect(requested.status).toBe(202);
    const revoked = await waitForStage(participantId, 'REVOKED', 120_000);
    expect(revoked.exit).toMatchObject({ repayment: { amount: 2_400_000 } });

    // Dapodik corrects the record; the participant appeals; a reviewer overturns under today's rules.
    expect((await sim('POST', '/sim/residents', { ...resident, isStudent: false })).status).toBe(201);
    const filed = await fileAppeal(participantId, { statement: 'Saya bukan pelajar; data Dapodik sudah diperbaiki sekolah.' });
    expect(filed.status).toBe(201);
    expect((await api('POST', `/v1/appeals/${filed.body.appealId}/decision`, {
      key: REVIEWER,
      body: { outcome: 'OVERTURNED', reason: 'Dapodik mencatat ulang: bukan pelajar.', rulesBasis: 'TODAY' },
    })).status).toBe(200);

    // Back where they were: taking surveys, the lapsed balance restored, the repayment cancelled.
    const back = await waitForState(participantId, 'back in the program', (state) => state.stage === 'TAKING_SURVEYS' && state.exit === null, 120_000);
    expect(back.trainingBalance).toBe(1_000_000 - course.price);
    const ledger = await ledgerOf(participantId);
    const byKind = (kind: string) => ledger.filter((row) => row.kind === kind).map((row) => row.amount);
    expect(byKind('REPAYMENT_DUE')).toEqual([2_400_000]);
    expect(byKind('REPAYMENT_CANCELLED')).toEqual([-2_400_000]);
    if (course.price < 1_000_000) {
      expect(byKind('TRAINING_LAPSE')).toEqual([-(1_000_000 - course.price)]);
      expect(byKind('TRAINING_CREDIT')).toEqual([1_000_000, 1_000_000 - course.price]);
    }

    for (const sequence of [1, 2, 3]) {
      await waitForState(participantId, `survey ${sequence} to open`, (state) => state.surveys?.[sequence - 1]?.status === 'OPEN');
      expect((await api('POST', `/v1/participants/${participantId}/surveys/${sequence}`, { body: { answers: { employed: true } } })).status).toBe(200);
    }
    const completed = await waitForStage(participantId, 'COMPLETED');
    expect(completed.payments.map((payment: { kind: string; sequence: number }) => `${payment.kind}:${payment.sequence}`)).toEqual(
      ['INCENTIVE:1', 'INCENTIVE:2', 'INCENTIVE:3', 'INCENTIVE:4', 'SURVEY:1', 'SURVEY:2', 'SURVEY:3'],
    );
    // The provider paid each item once.
    const provider = await sim<Array<{ idempotencyKey: string; status: string; amount: number }>>('GET', `/sim/payments?participantId=${participantId}`);
    const paid = provider.body.filter((request) => request.status === 'PAID');
    expect(paid).toHaveLength(7);
    expect(new Set(paid.map((request) => request.idempotencyKey)).size).toBe(7);
    expect(paid.reduce((sum, request) => sum + request.amount, 0)).toBe(2_550_000);
    await recordHistory(`participant-${participantId}`, 'journey-appeal-reinstated-after-payments');
  });

  it('upholds a revoked participant\'s appeal and tells them why; a second appeal of the same exit is refused', async () => {
    const wave = await createOpenWave({ calendar: { ...FAST_CALENDAR, trainingPurchaseDeadline: 'PT3S' } });
    const { participantId, registration } = await registerAndVerify();
    await selectInWave(participantId, wave.id);
    await waitForStage(participantId, 'REVOKED');
    await theNotice(registration.email, 'Your Jalur card has been revoked');

    const filed = await fileAppeal(participantId, { statement: 'Saya tidak sempat membeli pelatihan karena sakit.' });
    expect(filed.status).toBe(201);
    const token = await participantToken(participantId);
    const again = await fileAppeal(participantId, { statement: 'Sanggahan kedua untuk keputusan yang sama.' }, token);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('APPEAL_ALREADY_FILED');

    const reason = 'Batas waktu pembelian berlaku sama untuk semua peserta.';
    expect((await api('POST', `/v1/appeals/${filed.body.appealId}/decision`, { key: REVIEWER, body: { outcome: 'UPHELD', reason } })).status).toBe(200);
    const told = await theNotice(registration.email, 'The outcome of your appeal');
    expect(told.text).toContain(reason);
    expect(await statusOf(participantId, token)).toMatchObject({ stage: 'REVOKED', appeal: { status: 'UPHELD', reviewerReason: reason } });
    // Deciding it again is refused, and changes nothing.
    const twice = await api('POST', `/v1/appeals/${filed.body.appealId}/decision`, { key: 'dev-appeals-reviewer-2', body: { outcome: 'OVERTURNED', reason: 'Berubah pikiran.', rulesBasis: 'TODAY' } });
    expect(twice.status).toBe(409);
    expect((await waitForStage(participantId, 'REVOKED')).appeal).toMatchObject({ status: 'UPHELD' });
    await recordHistory(`participant-${participantId}`, 'journey-appeal-upheld');
  });

  it('refuses an appeal after its window, and one from a stage that cannot be appealed', async () => {
    // The earliest wave still open gives a registration its calendar: one with a three-second window.
    const early = await createOpenWave({ opensAt: '2020-04-01T00:00:00+07:00', calendar: { ...FAST_CALENDAR, appealWindow: 'PT3S' } });
    try {
      const { participantId } = await registerAndVerify({ dateOfBirth: yearsAgo(10) });
      await waitForStage(participantId, 'INELIGIBLE');
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      const late = await fileAppeal(participantId, { statement: 'Terlambat mengajukan sanggahan ini.' });
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('APPEAL_WINDOW_CLOSED');
      expect((await api('GET', `/v1/participants/${participantId}`, { key: KEYS.operator })).body.stage).toBe('INELIGIBLE');
    } finally {
      expect((await api('POST', `/v1/waves/${early.id}/close`, { key: KEYS.programManager })).status).toBe(200);
    }

    const waiting = await register();
    await waitForJourney(waiting.participantId, 'AWAITING_EMAIL_VERIFICATION');
    const tooEarly = await fileAppeal(waiting.participantId, { statement: 'Saya belum diputuskan apa pun.' }, KEYS.backend);
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.code).toBe('WRONG_STAGE');
    await api('POST', `/v1/participants/${waiting.participantId}/cancellation`, { key: KEYS.operator, body: { reason: 'end of test' } });
  });
});
