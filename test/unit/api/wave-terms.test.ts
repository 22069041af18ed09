// A wave's program terms: the schema a stored wave is read back with, the request schemas, and
// the API's 400 naming each bad term by its path.
import request from 'supertest';
import { createWaveRequestSchema, updateWaveRequestSchema } from '../../../api/waves/wave.schema';
import { DEFAULT_PROGRAM_TERMS, maxPayoutUnder, type ProgramTerms } from '../../../lib/program-terms';
import { programTermsSchema, storedTermsOf } from '../../../lib/program-terms.schema';
import { bearer, buildApp, type AppUnderTest } from './app-under-test';

const wave1 = { number: 1, opensAt: '2020-04-11T00:00:00+07:00', closesAt: '2020-04-16T16:00:00+07:00', quota: 164_000 };
const TERMS_2023: ProgramTerms = { trainingBalance: 3_500_000, incentiveAmount: 600_000, incentiveCount: 1, surveyAmount: 50_000, surveyCount: 2 };

describe('program terms', () => {
  it('default to the 2020 terms: Rp 1,000,000 for training, Rp 2,550,000 paid out at most', () => {
    expect(DEFAULT_PROGRAM_TERMS).toEqual({ trainingBalance: 1_000_000, incentiveAmount: 600_000, incentiveCount: 4, surveyAmount: 50_000, surveyCount: 3 });
    expect(maxPayoutUnder(DEFAULT_PROGRAM_TERMS)).toBe(2_550_000);
    expect(programTermsSchema.parse(DEFAULT_PROGRAM_TERMS)).toEqual(DEFAULT_PROGRAM_TERMS);
  });

  it('cap the 2023 scheme at one incentive and two surveys: Rp 700,000', () => {
    expect(maxPayoutUnder(programTermsSchema.parse(TERMS_2023))).toBe(700_000);
  });

  it('leave filling in to the service: a request keeps only the terms it gives', () => {
    expect(createWaveRequestSchema.parse({ ...wave1, terms: { incentiveCount: 1 } }).terms).toEqual({ incentiveCount: 1 });
    expect(createWaveRequestSchema.parse(wave1).terms).toBeUndefined();
    expect(updateWaveRequestSchema.parse({ terms: { surveyCount: 2 } })).toEqual({ terms: { surveyCount: 2 } });
  });

  it('treat stored terms that do not parse as a bug, naming the wave', () => {
    expect(storedTermsOf({ id: 'wave-1', terms: TERMS_2023 })).toEqual(TERMS_2023);
    expect(() => storedTermsOf({ id: 'wave-1', terms: { ...TERMS_2023, surveyCount: undefined } })).toThrow('Wave wave-1 has malformed stored terms');
  });
});

describe('program terms over HTTP', () => {
  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp();
  });
  afterAll(() => api.close());

  it('names each bad term and any unknown one in the 400 of a wave creation', async () => {
    const answer = await request(api.app)
      .post('/v1/waves')
      .set(bearer('dev-program-manager'))
      .send({ ...wave1, terms: { trainingBalance: 3_500_000.5, incentiveAmount: 0, incentiveCount: 13, surveyAmount: '50000', surveyCount: 0, surveyBonus: 1 } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    expect(answer.body.error.fields).toEqual({
      'terms.trainingBalance': 'must be a whole number of rupiah',
      'terms.incentiveAmount': 'must be more than zero',
      'terms.incentiveCount': 'must not be more than 12',
      'terms.surveyAmount': 'must be a whole number of rupiah',
      'terms.surveyCount': 'must be at least 1',
      terms: expect.stringContaining('surveyBonus'),
    });
  });

  it('refuses an amount with an extra zero', async () => {
    const answer = await request(api.app).post('/v1/waves').set(bearer('dev-program-manager')).send({ ...wave1, terms: { trainingBalance: 35_000_000 } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.fields).toEqual({ 'terms.trainingBalance': 'must not be more than 10000000 rupiah' });
  });

  it('checks the terms of an adjustment before anything reaches the database', async () => {
    const answer = await request(api.app)
      .patch('/v1/waves/2b1f8c1e-0d3a-4c6e-9f7a-1b2c3d4e5f60')
      .set(bearer('dev-program-manager'))
      .send({ terms: { incentiveCount: -1 } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.fields).toEqual({ 'terms.incentiveCount': 'must be at least 1' });
  });
});
