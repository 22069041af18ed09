// Request validation and presentation of the wave-selection and funnel routes; what they do
// with the database and Temporal is tested over the whole stack (test/integration).
import request from 'supertest';
import { shareOf } from '../../../api/stats/funnel.service';
import { updateWaveRequestSchema } from '../../../api/waves/wave.schema';
import { inTimeZone } from '../../../api/waves/wave-time';
import { bearer, buildApp, type AppUnderTest } from './app-under-test';

const WAVE_ID = '7a3f3c2e-3b4d-4c55-9e1f-0a1b2c3d4e5f';

describe('wave times in the wave\'s zone', () => {
  it.each([
    ['Asia/Jakarta', '2020-04-16T16:00:00+07:00'],
    ['Asia/Makassar', '2020-04-16T17:00:00+08:00'],
    ['UTC', '2020-04-16T09:00:00+00:00'],
  ])('%s', (zone, expected) => {
    expect(inTimeZone(new Date('2020-04-16T09:00:00Z'), zone)).toBe(expected);
  });
});

describe('funnel shares', () => {
  it('are percent of registered with two decimals, null when nobody registered', () => {
    expect(shareOf(1_063_028, 1_432_133)).toBe(74.23);
    expect(shareOf(77_834, 1_432_133)).toBe(5.43);
    expect(shareOf(0, 0)).toBeNull();
  });
});

describe('PATCH /v1/waves/:id body', () => {
  it('needs at least one change and knows every field', () => {
    expect(updateWaveRequestSchema.safeParse({}).success).toBe(false);
    expect(updateWaveRequestSchema.safeParse({ quotum: 5 }).success).toBe(false);
    expect(updateWaveRequestSchema.safeParse({ quota: 5, timeZone: 'Asia/Jayapura' }).success).toBe(true);
  });

  it('refuses a closing time before the opening time given with it, and an unknown time zone', () => {
    const result = updateWaveRequestSchema.safeParse({ opensAt: '2020-04-11T00:00:00+07:00', closesAt: '2020-04-10T00:00:00+07:00', timeZone: 'WIB' });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['timeZone', 'must be an IANA time zone such as Asia/Jakarta'],
      ['closesAt', 'must be later than opensAt'],
    ]);
  });
});

describe('wave-selection and funnel routes', () => {
  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp();
  });
  afterAll(() => api.close());

  it('validates the PATCH body before touching the wave', async () => {
    const answer = await request(api.app).patch(`/v1/waves/${WAVE_ID}`).set(bearer('dev-program-manager')).send({ quota: 0, calendar: { surveyWindow: 'soon' } });
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.error.fields).sort()).toEqual(['calendar.surveyWindow', 'quota']);
  });

  it('validates the applicants query', async () => {
    const answer = await request(api.app).get(`/v1/waves/${WAVE_ID}/applicants?status=LUCKY&limit=5000`).set(bearer('dev-operator'));
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.error.fields).sort()).toEqual(['query.limit', 'query.status']);
  });

  it('validates the funnel query', async () => {
    const answer = await request(api.app).get('/v1/stats/funnel?wave=first').set(bearer('dev-operator'));
    expect(answer.status).toBe(400);
    expect(answer.body.error.fields).toEqual({ 'query.wave': expect.any(String) });
  });

  it('answers 404 for a malformed wave id on the selection routes', async () => {
    for (const path of ['/v1/waves/wave-1/selection', '/v1/waves/wave-1/applicants']) {
      const answer = await request(api.app).get(path).set(bearer('dev-operator'));
      expect([answer.status, answer.body.error.code]).toEqual([404, 'WAVE_NOT_FOUND']);
    }
  });
});
