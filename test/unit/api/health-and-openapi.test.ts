import request from 'supertest';
import { ROUTE_ACCESS } from '../../../api/authorization';
import { buildApp, type AppUnderTest } from './app-under-test';

describe('GET /health', () => {
  it('reports each dependency down, with 503, when none answers', async () => {
    // The test environment points the database, Temporal and the simulators at closed ports.
    const api = buildApp();
    const answer = await request(api.app).get('/health');
    await api.close();
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({
      status: 'degraded',
      dependencies: {
        temporal: { status: 'down', latencyMs: expect.any(Number), problem: expect.any(String) },
        database: { status: 'down', latencyMs: expect.any(Number), problem: expect.any(String) },
        simulators: { status: 'down', latencyMs: expect.any(Number), problem: 'unreachable' },
      },
    });
  });

  it('reports an answering simulator service as up and one answering 500 as down', async () => {
    const healthy = buildApp({ fetch: async () => new Response('{"status":"ok"}', { status: 200 }) });
    const failing = buildApp({ fetch: async () => new Response('boom', { status: 500 }) });
    const [up, down] = await Promise.all([request(healthy.app).get('/health'), request(failing.app).get('/health')]);
    await Promise.all([healthy.close(), failing.close()]);
    expect(up.body.dependencies.simulators).toEqual({ status: 'up', latencyMs: expect.any(Number) });
    expect(down.body.dependencies.simulators).toEqual({ status: 'down', latencyMs: expect.any(Number), problem: 'answered HTTP 500' });
  });
});

describe('GET /openapi.json', () => {
  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp();
  });
  afterAll(() => api.close());

  it('documents every route of the authorisation table', async () => {
    const answer = await request(api.app).get('/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toBe('3.1.0');
    const documented = Object.entries(answer.body.paths as Record<string, object>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(documented.sort()).toEqual(Object.keys(ROUTE_ACCESS).sort());
  });

  it('describes the request bodies from the validating schemas', async () => {
    const { body } = await request(api.app).get('/openapi.json');
    const registration = body.components.schemas.RegistrationRequest;
    expect(registration.required).toEqual(expect.arrayContaining(['nik', 'fullName', 'dateOfBirth', 'email', 'phone', 'province', 'employmentStatus']));
    expect(registration.properties.employmentStatus.enum).toEqual(['LAID_OFF', 'FURLOUGHED', 'MICRO_BUSINESS', 'JOB_SEEKER', 'EMPLOYED']);
    expect(body.components.schemas.CreateWaveRequest.properties.calendar).toBeDefined();
  });
});
