import request from 'supertest';
import { ROUTE_ACCESS, type RouteKey } from '../../../api/authorization';
import { ROLES, type Role } from '../../../lib/config';
import { signWebhook } from '../../../lib/webhook-signature';
import { bearer, buildApp, PRODUCTION_OPERATOR_KEY, PRODUCTION_SERVICE_KEY, productionEnvironment, testEnvironment, type AppUnderTest } from './app-under-test';

const PARTICIPANT_ID = '7a3f3c2e-3b4d-4c55-9e1f-0a1b2c3d4e5f';
const DEV_KEY: Record<Role, string> = { backend: 'dev-backend', 'program-manager': 'dev-program-manager', operator: 'dev-operator', auditor: 'dev-auditor', reviewer: 'dev-appeals-reviewer' };

const roleRoutes = (Object.entries(ROUTE_ACCESS) as Array<[RouteKey, (typeof ROUTE_ACCESS)[RouteKey]]>).flatMap(([route, access]) =>
  typeof access === 'object' ? [{ route, roles: access.roles as readonly Role[] }] : [],
);

function call(app: AppUnderTest['app'], route: RouteKey) {
  const [method, pattern] = route.split(' ') as [string, string];
  const path = pattern.replace(':id', PARTICIPANT_ID).replace(':n', '1');
  return request(app)[method.toLowerCase() as 'get' | 'post' | 'put'](path);
}

describe('API keys and roles', () => {
  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp();
  });
  afterAll(() => api.close());

  it.each(roleRoutes.map(({ route }) => route))('%s: 401 without a key, with an unknown key, or with another scheme', async (route) => {
    for (const authorization of [undefined, 'Bearer not-a-key', 'Basic ZGV2LWJhY2tlbmQ6', 'dev-backend']) {
      const pending = call(api.app, route);
      const answer = await (authorization ? pending.set('Authorization', authorization) : pending);
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it.each(roleRoutes.flatMap(({ route, roles }) => ROLES.filter((role) => !roles.includes(role)).map((role) => [route, role] as const)))(
    '%s: 403 for the %s role',
    async (route, role) => {
      const answer = await call(api.app, route).set(bearer(DEV_KEY[role]));
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('FORBIDDEN');
    },
  );

  it('lets an allowed role through to validation', async () => {
    const answer = await request(api.app).post('/v1/waves').set(bearer('dev-program-manager')).send({});
    expect(answer.status).toBe(400);
  });

  // The name is what an operator action records as "by" and in the audit trail (asserted over the
  // whole stack in test/integration/operator-actions.test.ts).
  it('names the caller by the key\'s name', async () => {
    const answer = await request(api.app).get('/v1/me').set(bearer('dev-operator'));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ role: 'operator', name: 'dev-operator' });
  });
});

describe('API keys in production', () => {
  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp({ env: productionEnvironment() });
  });
  afterAll(() => api.close());

  it('refuses the development keys', async () => {
    for (const key of Object.values(DEV_KEY)) {
      const answer = await request(api.app).post('/v1/registrations').set(bearer(key)).send({});
      expect(answer.status).toBe(401);
    }
  });

  it('accepts the configured service keys, by role', async () => {
    expect((await request(api.app).post('/v1/registrations').set(bearer(PRODUCTION_SERVICE_KEY)).send({})).status).toBe(400);
    expect((await request(api.app).post('/v1/registrations').set(bearer(PRODUCTION_OPERATOR_KEY)).send({})).status).toBe(403);
  });

  it('names a production key by its configured name, never the key itself', async () => {
    const answer = await request(api.app).get('/v1/me').set(bearer(PRODUCTION_OPERATOR_KEY));
    expect(answer.status).toBe(200);
    expect(answer.body.name).toBe('ops-desk');
  });
});

describe('training-platform webhook signatures', () => {
  const NOW = new Date('2020-04-20T03:00:00Z');
  const nowSeconds = NOW.getTime() / 1000;
  const event = { eventId: 'evt-1', type: 'PURCHASED', participantId: PARTICIPANT_ID, platformId: 'tokopedia', courseId: 'tokopedia-foto-produk', price: 200_000, occurredAt: '2020-04-20T09:59:00+07:00' };

  function send(app: AppUnderTest['app'], body: string, headers: Record<string, string>, platformId = 'tokopedia') {
    return request(app).post(`/v1/training-platforms/${platformId}/events`).set('Content-Type', 'application/json').set(headers).send(body);
  }
  const signed = (body: string, timestamp = nowSeconds, secret = 'dev-webhook-secret-tokopedia') => ({
    'X-Jalur-Timestamp': String(timestamp),
    'X-Jalur-Signature': signWebhook(secret, timestamp, body),
  });

  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp({ env: testEnvironment({ TRAINING_PLATFORM_SECRETS: 'pintaria=pintaria-secret' }), now: () => NOW });
  });
  afterAll(() => api.close());

  it('refuses an unsigned event, a bad signature and a stale timestamp with 401 INVALID_SIGNATURE', async () => {
    const body = JSON.stringify(event);
    const cases = [
      {},
      { ...signed(body), 'X-Jalur-Signature': `sha256=${'0'.repeat(64)}` },
      signed(body, nowSeconds - 301),
      signed(body, nowSeconds, 'some-other-secret'),
      signed(`${body} `),
    ];
    for (const headers of cases) {
      const answer = await send(api.app, body, headers);
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('INVALID_SIGNATURE');
    }
  });

  it('uses the configured secret of a listed platform', async () => {
    const body = JSON.stringify({ ...event, platformId: 'pintaria' });
    expect((await send(api.app, body, signed(body, nowSeconds, 'dev-webhook-secret-pintaria'), 'pintaria')).status).toBe(401);
    // Signature valid: the request gets as far as checking the body against the path.
    const mismatched = await send(api.app, JSON.stringify(event), signed(JSON.stringify(event), nowSeconds, 'pintaria-secret'), 'pintaria');
    expect(mismatched.status).toBe(400);
    expect(mismatched.body.error.fields).toEqual({ platformId: 'must be the platform in the path' });
  });

  it('checks the body only once the signature holds', async () => {
    const body = '{"eventId": "evt-2", "type": "REFUNDED"}';
    const answer = await send(api.app, body, signed(body));
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.error.fields)).toEqual(expect.arrayContaining(['type', 'participantId', 'price']));
    const malformed = await send(api.app, '{"eventId":', signed('{"eventId":'));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('MALFORMED_JSON');
  });

  it('refuses, in production, a platform without a configured secret', async () => {
    const production = buildApp({ env: productionEnvironment(), now: () => NOW });
    const body = JSON.stringify(event);
    const answer = await send(production.app, body, signed(body));
    await production.close();
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('INVALID_SIGNATURE');
  });
});
