import request from 'supertest';
import { ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { ENVELOPE_CONTEXT, PersonalDataCipher } from '../../../lib/personal-data';
import { MAX_PAYMENT_COUNT } from '../../../lib/program-terms';
import { JOURNEY_ERROR_TYPES } from '../../../workflows/participant-journey.definitions';
import { bearer, buildApp, type AppUnderTest } from './app-under-test';
import { fakeJourneyClient, journeyState } from './fake-journey-client';

const PARTICIPANT_ID = '7a3f3c2e-3b4d-4c55-9e1f-0a1b2c3d4e5f';
const payoutAccount = { type: 'BANK', provider: 'BNI', accountNumber: '0123456789', accountName: 'Siti Aminah' };

const refusal = (type: string, message = `refused: ${type}`) => new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message, nonRetryable: true }));

describe('error mapping', () => {
  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp();
  });
  afterAll(() => api.close());

  it('answers malformed JSON with 400 MALFORMED_JSON and the request id', async () => {
    const answer = await request(api.app).post('/v1/registrations').set(bearer('dev-backend')).set('Content-Type', 'application/json').send('{"nik": "32010141');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toEqual({ code: 'MALFORMED_JSON', message: expect.any(String), requestId: answer.headers['x-request-id'] });
  });

  it('lists every invalid field of a registration, without echoing the values', async () => {
    const answer = await request(api.app)
      .post('/v1/registrations')
      .set(bearer('dev-backend'))
      .send({ nik: '320101410790', fullName: '', dateOfBirth: '1990-02-30', email: 'siti-at-example', phone: '+1 555 0100', province: 'Jawa Barat', employmentStatus: 'RETIRED' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(answer.body.error.fields).sort()).toEqual(['dateOfBirth', 'email', 'employmentStatus', 'fullName', 'nik', 'phone']);
    expect(answer.text).not.toContain('320101410790');
    expect(answer.text).not.toContain('siti-at-example');
  });

  it('answers a body over the JSON limit with 413', async () => {
    const answer = await request(api.app).post('/v1/registrations').set(bearer('dev-backend')).send({ fullName: 'x'.repeat(200_000) });
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown route with a JSON 404', async () => {
    const answer = await request(api.app).get('/v1/nothing-here').set(bearer('dev-backend'));
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ code: 'NOT_FOUND', requestId: answer.headers['x-request-id'] });
  });

  it('puts a request id on every response, keeping a well-formed one the caller sent', async () => {
    const own = await request(api.app).get('/v1/nothing-here').set('X-Request-Id', 'caller-trace-1234');
    expect(own.headers['x-request-id']).toBe('caller-trace-1234');
    const injected = await request(api.app).get('/v1/nothing-here').set('X-Request-Id', 'bad id\twith spaces');
    expect(injected.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 503 DATABASE_UNAVAILABLE when the database cannot be reached', async () => {
    // The test environment's database is a closed port.
    const registration = { nik: '3201014107900001', fullName: 'Siti Aminah', dateOfBirth: '1990-07-01', email: 'siti@example.id', phone: '081234567890', province: 'Jawa Barat', employmentStatus: 'LAID_OFF' };
    const registered = await request(api.app).post('/v1/registrations').set(bearer('dev-backend')).send(registration);
    expect(registered.status).toBe(503);
    expect(registered.body.error.code).toBe('DATABASE_UNAVAILABLE');
    expect(registered.text).not.toContain('3201014107900001');
    const read = await request(api.app).get(`/v1/participants/${PARTICIPANT_ID}`).set(bearer('dev-operator'));
    expect(read.status).toBe(503);
  });

  it('answers a malformed participant id with 404, not a server error', async () => {
    const answer = await request(api.app).put('/v1/participants/not-a-uuid/payout-account').set(bearer('dev-backend')).send(payoutAccount);
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('PARTICIPANT_NOT_FOUND');
  });
});

describe('journey answers', () => {
  const withJourney = (answer: Parameters<typeof fakeJourneyClient>[0]) => {
    const journey = fakeJourneyClient(answer);
    return { ...buildApp({ temporal: journey.client }), updates: journey.updates };
  };

  it('answers an accepted step with the new state, without personal data', async () => {
    const api = withJourney(() => journeyState({ hasPayoutAccount: true }));
    const answer = await request(api.app).put(`/v1/participants/${PARTICIPANT_ID}/payout-account`).set(bearer('dev-backend')).send({ ...payoutAccount, accountNumber: '0123-4567-89' });
    await api.close();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ participantId: PARTICIPANT_ID, stage: 'ELIGIBLE', payout: { hasAccount: true, blocked: null }, source: 'workflow' });
    expect(answer.body.eligibility).toEqual({ outcome: 'ELIGIBLE', reasons: [], ruleSetId: '5e0b7c55-1c6f-4b3c-8d43-33a4b8a2f6d1', ruleSetVersion: 3, evaluatedAt: '2020-04-12T08:59:00.000Z' });
    expect(answer.text).not.toContain('0123456789');
    // Only the listed fields reach the workflow, normalised, and sealed for this participant:
    // no account number in the workflow's history, even decoded by the codec.
    expect(api.updates).toEqual([
      { workflowId: `participant-${PARTICIPANT_ID}`, updateName: 'setPayoutAccount', args: [{ sealedAccount: expect.stringMatching(/^v1\.unit-1\./) }], updateId: undefined },
    ]);
    const cipher = new PersonalDataCipher(api.config.personalDataEncryption, api.config.blindIndexKey);
    const [{ sealedAccount }] = api.updates[0]!.args as [{ sealedAccount: string }];
    expect(JSON.stringify(api.updates)).not.toContain('0123456789');
    expect(cipher.decrypt(sealedAccount, ENVELOPE_CONTEXT.payoutAccount(PARTICIPANT_ID))).toEqual({ ...payoutAccount, accountNumber: '0123456789' });
  });

  it.each([
    [JOURNEY_ERROR_TYPES.wrongStage, 409],
    [JOURNEY_ERROR_TYPES.alreadyApplied, 409],
    [JOURNEY_ERROR_TYPES.invalidToken, 422],
    [JOURNEY_ERROR_TYPES.waveNotOpen, 422],
    [JOURNEY_ERROR_TYPES.trainingPlatformMismatch, 422],
    [JOURNEY_ERROR_TYPES.insufficientBalance, 422],
    [JOURNEY_ERROR_TYPES.surveyNotOpen, 422],
    [JOURNEY_ERROR_TYPES.invalidInput, 422],
  ])('answers the refusal %s with %i and its code', async (type, status) => {
    const api = withJourney(() => {
      throw refusal(type, 'The verification token is not valid');
    });
    const answer = await request(api.app).post(`/v1/participants/${PARTICIPANT_ID}/email-verification`).set(bearer('dev-backend')).send({ token: 'abc' });
    await api.close();
    expect(answer.status).toBe(status);
    expect(answer.body.error).toEqual({ code: type, message: 'The verification token is not valid', requestId: expect.any(String) });
  });

  it('finds a refusal an activity raised inside the update handler', async () => {
    const api = withJourney(() => {
      const fromActivity = ApplicationFailure.create({ type: JOURNEY_ERROR_TYPES.alreadyApplied, message: 'Already applied to this wave', nonRetryable: true });
      throw new WorkflowUpdateFailedError('Workflow Update failed', new ActivityFailure('Activity task failed', 'recordWaveApplication', '7', RetryState.NON_RETRYABLE_FAILURE, 'worker', fromActivity));
    });
    const answer = await request(api.app).put(`/v1/participants/${PARTICIPANT_ID}/payout-account`).set(bearer('dev-backend')).send(payoutAccount);
    await api.close();
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('ALREADY_APPLIED');
  });

  it('answers a failure type it does not know with a bare 500 INTERNAL', async () => {
    const api = withJourney(() => {
      throw refusal('SomethingBroke', 'stack trace with internals');
    });
    const answer = await request(api.app).post(`/v1/participants/${PARTICIPANT_ID}/withdrawal`).set(bearer('dev-backend')).send({ reason: 'found a job' });
    await api.close();
    expect(answer.status).toBe(500);
    expect(answer.body.error).toEqual({ code: 'INTERNAL', message: expect.any(String), requestId: answer.headers['x-request-id'] });
    expect(answer.text).not.toContain('internals');
  });

  it('answers an unreachable Temporal with 503 and Retry-After', async () => {
    const api = withJourney(() => {
      throw new ServiceError('Failed to update Workflow');
    });
    const answer = await request(api.app).post(`/v1/participants/${PARTICIPANT_ID}/email-verification/resend`).set(bearer('dev-backend'));
    await api.close();
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('TEMPORAL_UNAVAILABLE');
    expect(answer.headers['retry-after']).toBeDefined();
  });

  it('refuses a survey number beyond any wave\'s terms as an unknown survey', async () => {
    const api = withJourney(() => journeyState());
    const answer = await request(api.app).post(`/v1/participants/${PARTICIPANT_ID}/surveys/${MAX_PAYMENT_COUNT + 1}`).set(bearer('dev-backend')).send({ answers: { employed: true } });
    await api.close();
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('SURVEY_NOT_FOUND');
    expect(api.updates).toEqual([]);
  });

  it('passes the survey number and answers to the journey', async () => {
    const api = withJourney(() => journeyState({ stage: 'TAKING_SURVEYS' }));
    const answer = await request(api.app).post(`/v1/participants/${PARTICIPANT_ID}/surveys/2`).set(bearer('dev-backend')).send({ answers: { employed: true, sector: 'retail' } });
    await api.close();
    expect(answer.status).toBe(200);
    expect(api.updates[0]).toMatchObject({ updateName: 'submitSurvey', args: [{ sequence: 2, answers: { employed: true, sector: 'retail' } }] });
  });
});
