// The whole path over HTTP against the running stack: real Temporal, real database, simulators.
import { api, createOpenWave, createResident, eventually, KEYS, participant, registrationFor, sim, waitForStage } from '../support/http';
import { registerAndVerify } from '../support/journeys';
import { recordHistory } from '../support/replay-histories';

jest.setTimeout(180_000);

describe('participant journey', () => {
  it('carries a participant from signup to the last survey payment', async () => {
    const wave = await createOpenWave();
    const { participantId } = await registerAndVerify();

    const eligible = await waitForStage(participantId, 'ELIGIBLE');
    expect(eligible.eligibility).toMatchObject({ outcome: 'ELIGIBLE', ruleSetVersion: expect.any(Number) });

    expect((await api('PUT', `/v1/participants/${participantId}/payout-account`, {
      body: { type: 'EWALLET', provider: 'GoPay', accountNumber: '081234567890', accountName: 'Siti Rahayu' },
    })).status).toBe(200);

    const applied = await api('POST', `/v1/participants/${participantId}/wave-applications`, { body: { waveId: wave.id } });
    expect(applied.status).toBe(200);
    expect(applied.body.stage).toBe('APPLIED_TO_WAVE');

    expect((await api('POST', `/v1/waves/${wave.id}/close`, { key: KEYS.programManager })).status).toBe(200);
    const selected = await waitForStage(participantId, 'SELECTED');
    expect(selected.trainingBalance).toBe(1_000_000);

    const catalog = await sim<Array<{ platformId: string; courseId: string; price: number }>>('GET', '/sim/training/catalog');
    const course = catalog.body.find((c) => c.price <= 1_000_000)!;
    expect((await sim('POST', '/sim/training/purchases', { participantId, platformId: course.platformId, courseId: course.courseId })).status).toBe(202);
    const inTraining = await waitForStage(participantId, 'IN_TRAINING');
    expect(inTraining.trainingBalance).toBe(1_000_000 - course.price);

    expect((await sim('POST', '/sim/training/completions', { participantId, platformId: course.platformId, courseId: course.courseId })).status).toBe(202);

    for (const sequence of [1, 2, 3]) {
      await eventually(async () => {
        const state = (await participant(participantId)).body;
        return state.surveys?.[sequence - 1]?.status === 'OPEN' ? state : undefined;
      }, `survey ${sequence} to open`);
      const submitted = await api('POST', `/v1/participants/${participantId}/surveys/${sequence}`, { body: { answers: { employed: sequence > 1 } } });
      expect(submitted.status).toBe(200);
    }

    const completed = await waitForStage(participantId, 'COMPLETED');
    await recordHistory(`participant-${participantId}`, 'journey-completed');
    expect(completed.payments).toHaveLength(7);

    const provider = await sim<Array<{ idempotencyKey: string; amount: number; status: string }>>('GET', `/sim/payments?participantId=${participantId}`);
    const paid = provider.body.filter((request) => request.status === 'PAID');
    expect(paid.map((request) => request.idempotencyKey).sort()).toEqual(
      [1, 2, 3, 4].map((n) => `${participantId}:incentive:${n}`).concat([1, 2, 3].map((n) => `${participantId}:survey:${n}`)).sort(),
    );
    expect(paid.reduce((sum, request) => sum + request.amount, 0)).toBe(2_550_000);
    // Each key reached the provider once: nothing retried into a second payment.
    expect(new Set(provider.body.map((request) => request.idempotencyKey)).size).toBe(provider.body.length);
  });

  it('refuses a second registration with the same NIK, even when the two race', async () => {
    const resident = await createResident();
    const answers = await Promise.all(
      [0, 1, 2, 3, 4].map(() => api('POST', '/v1/registrations', { body: registrationFor(resident) })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error.code).toBe('ALREADY_REGISTERED');
  });

  it('answers 400 with the offending fields for a bad registration and writes nothing', async () => {
    const answer = await api('POST', '/v1/registrations', { body: { nik: '12', fullName: '', dateOfBirth: '1990-02-30', email: 'nope' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(answer.body.error.fields)).toEqual(expect.arrayContaining(['nik', 'email', 'dateOfBirth']));
  });

  it('ends as INELIGIBLE with every reason when the rules say no', async () => {
    // Ten years old on the day the test runs: a fixed birth date (it was 2012-01-01) turns 18 one
    // day, and the under-age reason with it.
    const tenYearsAgo = new Date();
    tenYearsAgo.setUTCFullYear(tenYearsAgo.getUTCFullYear() - 10);
    const { participantId } = await registerAndVerify({ isStudent: true, dateOfBirth: tenYearsAgo.toISOString().slice(0, 10) });
    const ended = await waitForStage(participantId, 'INELIGIBLE');
    await recordHistory(`participant-${participantId}`, 'journey-ineligible');
    expect(ended.eligibility.outcome).toBe('INELIGIBLE');
    expect(ended.eligibility.reasons.length).toBeGreaterThanOrEqual(2);
  });

  it('lets a participant withdraw, and refuses steps afterwards', async () => {
    const { participantId } = await registerAndVerify();
    await waitForStage(participantId, 'ELIGIBLE');
    expect((await api('POST', `/v1/participants/${participantId}/withdrawal`, { body: { reason: 'found a job' } })).status).toBe(200);
    await waitForStage(participantId, 'WITHDRAWN');
    await recordHistory(`participant-${participantId}`, 'journey-withdrawn');
    const again = await api('POST', `/v1/participants/${participantId}/withdrawal`, { body: { reason: 'twice' } });
    expect(again.status).toBe(409);
  });
});
