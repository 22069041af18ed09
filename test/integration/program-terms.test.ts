// Program terms per wave, over the running stack: a wave with the 2023 scheme's terms credits and
// pays them end to end (journey, ledger, provider), its participants' ledger cap follows them, the
// terms are fixed once the wave has closed, and a wave created without terms keeps the 2020 ones.
import { PaymentProviderClient } from '../../activities/clients/payment-provider-client';
import { createLedgerActivities } from '../../activities/ledger';
import { loadConfig } from '../../lib/config';
import { PersonalDataCipher } from '../../lib/personal-data';
import { DEFAULT_PROGRAM_TERMS, type ProgramTerms } from '../../lib/program-terms';
import { connectTestDatabase } from '../support/clients';
import { api, createOpenWave, eventually, KEYS, participant, sim, waitForStage } from '../support/http';
import { ledgerOf, registerAndVerify, selectInWave, setPayoutAccount, takeTraining } from '../support/journeys';
import { recordHistory } from '../support/replay-histories';
import { readTestStack } from '../support/test-stack';

jest.setTimeout(180_000);

/** The 2023 scheme: a larger training balance, one incentive, two surveys (Rp 100,000 in all). */
const TERMS_2023: ProgramTerms = { trainingBalance: 3_500_000, incentiveAmount: 600_000, incentiveCount: 1, surveyAmount: 50_000, surveyCount: 2 };

const stack = readTestStack();
const config = loadConfig(stack.env);
const prisma = connectTestDatabase();
// The ledger's own checks, on the stack's database; they refuse before any payment is sent.
const ledger = createLedgerActivities({
  prisma,
  personalData: new PersonalDataCipher(config.personalDataEncryption, config.blindIndexKey),
  paymentProvider: new PaymentProviderClient({ baseUrl: stack.simulatorsUrl, timeoutMs: 5_000 }),
});

afterAll(() => prisma.$disconnect());

describe('a wave with the 2023 terms', () => {
  it('credits and pays its terms end to end, and caps its participants by them', async () => {
    const created = await createOpenWave({ terms: TERMS_2023 });
    const wave = (await api('GET', `/v1/waves/${created.id}`, { key: KEYS.operator })).body;
    expect(wave.terms).toEqual(TERMS_2023);

    const { participantId } = await registerAndVerify();
    await setPayoutAccount(participantId);
    const selected = await selectInWave(participantId, wave.id);
    expect(selected.terms).toEqual(TERMS_2023);
    expect(selected.trainingBalance).toBe(3_500_000);
    expect(selected.surveys.map((survey: { sequence: number }) => survey.sequence)).toEqual([1, 2]);

    const course = await takeTraining(participantId, { complete: true });
    const submitSurvey = (sequence: number) => api('POST', `/v1/participants/${participantId}/surveys/${sequence}`, { body: { answers: { employed: true } } });
    for (const sequence of [1, 2]) {
      await eventually(async () => ((await participant(participantId)).body.surveys?.[sequence - 1]?.status === 'OPEN' ? true : undefined), `survey ${sequence} to open`);
      // The 2023 terms have no third survey: the running journey refuses it.
      if (sequence === 2) expect((await submitSurvey(3)).body.error?.code).toBe('SURVEY_NOT_OPEN');
      expect((await submitSurvey(sequence)).status).toBe(200);
    }

    const completed = await waitForStage(participantId, 'COMPLETED');
    await recordHistory(`participant-${participantId}`, 'journey-completed-wave-terms');
    expect(completed.terms).toEqual(TERMS_2023);
    expect(completed.payments.map(({ kind, sequence, amount }: { kind: string; sequence: number; amount: number }) => [kind, sequence, amount])).toEqual([
      ['INCENTIVE', 1, 600_000],
      ['SURVEY', 1, 50_000],
      ['SURVEY', 2, 50_000],
    ]);

    expect((await ledgerOf(participantId)).map(({ kind, amount, status }) => [kind, amount, status])).toEqual([
      ['TRAINING_CREDIT', 3_500_000, 'SETTLED'],
      ['TRAINING_PURCHASE', -course.price, 'SETTLED'],
      ['INCENTIVE', 600_000, 'SETTLED'],
      ['SURVEY', 50_000, 'SETTLED'],
      ['SURVEY', 50_000, 'SETTLED'],
    ]);

    const provider = await sim<Array<{ idempotencyKey: string; amount: number; status: string }>>('GET', `/sim/payments?participantId=${participantId}`);
    const paid = provider.body.filter((payment) => payment.status === 'PAID');
    expect(paid.map(({ idempotencyKey, amount }) => [idempotencyKey, amount]).sort()).toEqual([
      [`${participantId}:incentive:1`, 600_000],
      [`${participantId}:survey:1`, 50_000],
      [`${participantId}:survey:2`, 50_000],
    ]);

    // Rp 700,000 paid is the cap under these terms (the 2020 cap would allow Rp 2,550,000), and
    // the training credit is at most their balance.
    await expect(ledger.payParticipant({ participantId, kind: 'INCENTIVE', sequence: 2, amount: 600_000 })).rejects.toMatchObject({ type: 'PAYOUT_CAP_EXCEEDED' });
    await expect(
      ledger.recordLedgerEntry({ participantId, kind: 'TRAINING_CREDIT', amount: 3_500_001, idempotencyKey: `${participantId}:training-credit-above-terms` }),
    ).rejects.toMatchObject({ type: 'TRAINING_CREDIT_ABOVE_TERMS' });

    // Money changed after the selection would pay this wave's participants differently.
    const edited = await api('PATCH', `/v1/waves/${wave.id}`, { key: KEYS.programManager, body: { terms: { incentiveCount: 4 } } });
    expect(edited.status).toBe(409);
    expect(edited.body.error.code).toBe('WAVE_TERMS_FIXED');
    expect((await api('GET', `/v1/waves/${wave.id}`, { key: KEYS.operator })).body.terms).toEqual(TERMS_2023);
  });
});

describe('terms at selection', () => {
  it('are the wave\'s as they stand when it closes: a change while it is open counts', async () => {
    const wave = await createOpenWave();
    const { participantId } = await registerAndVerify();
    await waitForStage(participantId, 'ELIGIBLE');
    expect((await api('POST', `/v1/participants/${participantId}/wave-applications`, { body: { waveId: wave.id } })).status).toBe(200);
    const applied = (await participant(participantId)).body;
    // Unknown until the selection: no terms, no surveys laid out.
    expect(applied.terms).toBeNull();
    expect(applied.surveys).toEqual([]);

    const edited = await api('PATCH', `/v1/waves/${wave.id}`, { key: KEYS.programManager, body: { terms: { incentiveCount: 2, surveyCount: 1 } } });
    expect(edited.status).toBe(200);
    expect(edited.body.terms).toEqual({ ...DEFAULT_PROGRAM_TERMS, incentiveCount: 2, surveyCount: 1 });

    expect((await api('POST', `/v1/waves/${wave.id}/close`, { key: KEYS.programManager })).status).toBe(200);
    const selected = await waitForStage(participantId, 'SELECTED');
    expect(selected.terms).toEqual({ ...DEFAULT_PROGRAM_TERMS, incentiveCount: 2, surveyCount: 1 });
    expect(selected.surveys).toHaveLength(1);
  });
});

describe('a wave created without terms', () => {
  it('has the 2020 terms, and its participants get them', async () => {
    const wave = await createOpenWave();
    expect((await api('GET', `/v1/waves/${wave.id}`, { key: KEYS.operator })).body.terms).toEqual(DEFAULT_PROGRAM_TERMS);

    const { participantId } = await registerAndVerify();
    const selected = await selectInWave(participantId, wave.id);
    expect(selected.terms).toEqual(DEFAULT_PROGRAM_TERMS);
    expect(selected.trainingBalance).toBe(1_000_000);
    expect(selected.surveys).toHaveLength(3);
    expect((await ledgerOf(participantId)).map(({ kind, amount }) => [kind, amount])).toEqual([['TRAINING_CREDIT', 1_000_000]]);
  });
});
