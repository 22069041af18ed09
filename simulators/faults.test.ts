import request from 'supertest';
import { createSimulators } from './app';

const nik = '3201010101000001';

/** A random source that returns the given values in turn, so error injection is predictable. */
function scriptedRandom(values: number[]): () => number {
  let next = 0;
  return () => values[next++ % values.length] ?? 0;
}

describe('fault knobs and counters', () => {
  it('answers 503 to every request of a system in outage, and only that system', async () => {
    const { app, state } = createSimulators({ populationSize: 10 });
    await request(app).put('/sim/faults/dtks').send({ outage: true }).expect(200, { outage: true });
    const refused = await request(app).get(`/dtks/v1/recipients/${nik}`).expect(503);
    expect(refused.body.error.code).toBe('SERVICE_UNAVAILABLE');
    await request(app).get(`/dapodik/v1/students/${nik}`).expect(200);
    await request(app).delete('/sim/faults').expect(204);
    await request(app).get(`/dtks/v1/recipients/${nik}`).expect(200);

    const stats = state.stats.snapshot();
    expect(stats.dtks).toMatchObject({ requests: 2, answered: { ok: 1, clientError: 0, serverError: 0 }, rejectedByFault: { outage: 1, errorRate: 0, rateLimit: 0 } });
    expect(stats.dapodik.answered.ok).toBe(1);
  });

  it('fails the configured share of requests with 503', async () => {
    const { app } = createSimulators({ populationSize: 10, random: scriptedRandom([0.1, 0.5, 0.29, 0.95]) });
    await request(app).put('/sim/faults/kemnaker').send({ errorRate: 0.3 }).expect(200);
    const statuses: number[] = [];
    for (let call = 0; call < 8; call += 1) {
      statuses.push((await request(app).get(`/kemnaker/v1/laid-off-workers/${nik}`)).status);
    }
    expect(statuses).toEqual([503, 200, 503, 200, 503, 200, 503, 200]);
    const stats = await request(app).get('/sim/stats').expect(200);
    expect(stats.body.kemnaker.rejectedByFault.errorRate).toBe(4);
  });

  it('rate-limits per wall-clock second with 429 and Retry-After, and counts the busiest second', async () => {
    let nowMs = Date.UTC(2020, 3, 11, 1, 0, 0) + 200;
    const { app } = createSimulators({ populationSize: 10, now: () => nowMs });
    await request(app).put('/sim/faults/dukcapil').send({ rateLimitPerSecond: 3 }).expect(200);
    const verify = () => request(app).post('/dukcapil/v1/nik-verifications').send({ nik, fullName: 'A', dateOfBirth: '2000-01-01' });

    const statuses: number[] = [];
    for (let call = 0; call < 5; call += 1) {
      const response = await verify();
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers['retry-after']).toBe('1');
        expect(response.body.error.code).toBe('RATE_LIMITED');
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);

    nowMs += 800; // the next wall-clock second
    await verify().expect(200);
    await verify().expect(200);

    const stats = await request(app).get('/sim/stats').expect(200);
    expect(stats.body.dukcapil).toMatchObject({
      requests: 7,
      rejectedByFault: { rateLimit: 2, outage: 0, errorRate: 0 },
      maxAcceptedPerSecond: 3,
      maxReceivedPerSecond: 5,
    });
  });

  it('never accepts more than the limit in one real second under concurrent load', async () => {
    const { app, state } = createSimulators({ populationSize: 10 });
    await request(app).put('/sim/faults/dapodik').send({ rateLimitPerSecond: 5 }).expect(200);
    const responses = await Promise.all(Array.from({ length: 40 }, () => request(app).get(`/dapodik/v1/students/${nik}`)));
    const accepted = responses.filter((response) => response.status === 200).length;
    expect(accepted).toBeGreaterThanOrEqual(5);
    expect(responses.filter((response) => response.status === 429)).toHaveLength(40 - accepted);
    expect(state.stats.snapshot().dapodik.maxAcceptedPerSecond).toBe(5);
  });

  it('delays answers by the configured latency', async () => {
    const { app, state } = createSimulators({ populationSize: 10 });
    await request(app).put('/sim/faults/training').send({ latencyMs: 150 }).expect(200);
    const started = Date.now();
    await request(app).get('/sim/training/catalog').expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(state.stats.snapshot().training).toMatchObject({ requests: 1, delayed: 1 });
  });

  it('validates knobs, knows only the simulated systems, and resets', async () => {
    const { app } = createSimulators({ populationSize: 10 });
    await request(app).put('/sim/faults/payments').send({ errorRate: 1.5 }).expect(400);
    await request(app).put('/sim/faults/payments').send({ latency: 5 }).expect(400);
    const unknown = await request(app).put('/sim/faults/bpjs').send({ outage: true }).expect(404);
    expect(unknown.body.error.code).toBe('UNKNOWN_SYSTEM');

    await request(app).put('/sim/faults/payments').send({ latencyMs: 5, errorRate: 0.1 }).expect(200);
    const all = await request(app).get('/sim/faults').expect(200);
    expect(Object.keys(all.body).sort()).toEqual(['dapodik', 'dtks', 'dukcapil', 'kemnaker', 'mail', 'messaging', 'participation-registry', 'payments', 'training']);
    expect(all.body.payments).toEqual({ latencyMs: 5, errorRate: 0.1 });
    // PUT replaces: knobs left out are switched off.
    await request(app).put('/sim/faults/payments').send({ outage: false }).expect(200, { outage: false });
    await request(app).delete('/sim/faults/payments').expect(204);
    await request(app).get('/sim/faults/payments').expect(200, {});

    await request(app).get(`/dtks/v1/recipients/${nik}`).expect(200);
    await request(app).delete('/sim/stats').expect(204);
    const stats = await request(app).get('/sim/stats').expect(200);
    expect(stats.body.dtks.requests).toBe(0);
  });
});
