import request from 'supertest';
import { createWaveRequestSchema } from '../../../api/waves/wave.schema';
import { isoDurationSchema } from '../../../lib/program-calendar.schema';
import { waveStateAt, type WaveState } from '../../../lib/wave-state';
import { bearer, buildApp, type AppUnderTest } from './app-under-test';

const wave1 = { number: 1, opensAt: '2020-04-11T00:00:00+07:00', closesAt: '2020-04-16T16:00:00+07:00', quota: 164_000 };

describe('wave state from the clock', () => {
  const schedule = (state: WaveState) => ({ state, opensAt: new Date(wave1.opensAt), closesAt: new Date(wave1.closesAt) });

  it.each([
    ['2020-04-10T23:59:59+07:00', 'SCHEDULED'],
    ['2020-04-11T00:00:00+07:00', 'OPEN'],
    ['2020-04-16T15:59:59+07:00', 'OPEN'],
    ['2020-04-16T16:00:00+07:00', 'CLOSED'],
  ])('a scheduled wave at %s is %s', (at, expected) => {
    expect(waveStateAt(schedule('SCHEDULED'), new Date(at))).toBe(expected);
  });

  it('keeps what people did: a wave closed or selected early stays so', () => {
    const duringTheWindow = new Date('2020-04-12T12:00:00+07:00');
    expect(waveStateAt(schedule('SELECTING'), duringTheWindow)).toBe('SELECTING');
    expect(waveStateAt(schedule('SELECTED'), duringTheWindow)).toBe('SELECTED');
    expect(waveStateAt(schedule('CLOSED'), duringTheWindow)).toBe('CLOSED');
  });
});

describe('wave calendar durations', () => {
  it.each(['P30D', 'PT10S', 'P1M', 'PT0.5S', 'P1Y2M3DT4H5M6S', 'P2W'])('accepts %s', (duration) => {
    expect(isoDurationSchema.safeParse(duration).success).toBe(true);
  });

  it.each([
    ['30 days', 'must be an ISO-8601 duration such as P30D, PT12H or PT10S'],
    ['P', 'must be an ISO-8601 duration such as P30D, PT12H or PT10S'],
    ['PT', 'must be an ISO-8601 duration such as P30D, PT12H or PT10S'],
    ['PT0S', 'must be longer than zero'],
    ['-P1D', 'must be longer than zero'],
    ['P10Y', 'must not be longer than five years'],
  ])('refuses %s', (duration, message) => {
    const result = isoDurationSchema.safeParse(duration);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([message]);
  });

  it('fills nothing in at validation: defaults are the service\'s job', () => {
    expect(createWaveRequestSchema.parse({ ...wave1, calendar: { surveyWindow: 'PT30S' } }).calendar).toEqual({ surveyWindow: 'PT30S' });
  });
});

describe('POST /v1/waves validation', () => {
  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp();
  });
  afterAll(() => api.close());

  const createWave = (body: object) => request(api.app).post('/v1/waves').set(bearer('dev-program-manager')).send(body);

  it('names each bad calendar duration and any unknown calendar field', async () => {
    const answer = await createWave({ ...wave1, calendar: { surveyWindow: 'two weeks', incentiveInterval: 'PT0S', trainingDeadline: 'P30D' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.fields).toEqual({
      'calendar.surveyWindow': 'must be an ISO-8601 duration such as P30D, PT12H or PT10S',
      'calendar.incentiveInterval': 'must be longer than zero',
      calendar: expect.stringContaining('trainingDeadline'),
    });
  });

  it('refuses a wave that closes before it opens', async () => {
    const answer = await createWave({ ...wave1, closesAt: '2020-04-10T16:00:00+07:00' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.fields).toEqual({ closesAt: 'must be later than opensAt' });
  });

  it('requires explicit offsets, a positive quota and a whole wave number', async () => {
    const answer = await createWave({ number: 1.5, opensAt: '2020-04-11T00:00:00', closesAt: '2020-04-16T16:00:00+07:00', quota: 0 });
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.error.fields).sort()).toEqual(['number', 'opensAt', 'quota']);
  });

  it('answers 404 for a malformed wave id', async () => {
    const answer = await request(api.app).get('/v1/waves/wave-1').set(bearer('dev-operator'));
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('WAVE_NOT_FOUND');
  });
});
