// Every route × every kind of caller, against the running API: the status each one gets is
// written out below by hand (reviewed, not derived from ROUTE_ACCESS, so a change to the table
// that nobody meant shows up here). The callers hold real credentials: stored API keys (hashed
// in the database) for the backend and a training platform, signed tokens for people, a
// participant's own token, plus no credential, an expired token, a token with a forged signature
// and a revoked key. Then every
// route Express registers must be guarded, be in ROUTE_ACCESS and be in this matrix.
import { randomBytes, randomUUID } from 'node:crypto';
import { ROUTE_ACCESS, guardedRouteOf, type RouteKey } from '../../api/authorization';
import { ApiKeyAdministration } from '../../lib/api-keys';
import { loadConfig } from '../../lib/config';
import { createPrismaClient, type PrismaClient } from '../../lib/database';
import { PeopleTokens } from '../../lib/people-tokens';
import { buildApp } from '../unit/api/app-under-test';
import { eventually } from '../support/http';
import { readTestStack } from '../support/test-stack';

jest.setTimeout(120_000);

const CALLERS = ['backend', 'programManager', 'operator', 'auditor', 'reviewer', 'platform', 'participant', 'none', 'expired', 'forged', 'revoked'] as const;
type CallerName = (typeof CALLERS)[number];
type Row = readonly [
  backend: number,
  programManager: number,
  operator: number,
  auditor: number,
  reviewer: number,
  platform: number,
  participant: number,
  none: number,
  expired: number,
  forged: number,
  revoked: number,
];

// The request each route gets: ids that exist nowhere, an empty JSON body. An allowed caller
// therefore gets the route's own answer to that (200, 400, 404, 428, ...), everyone else 401/403.
// The participant holds their own token, for another participant than the one in the path: a route
// open to participants answers it 404 PARTICIPANT_NOT_FOUND (as for an unknown participant).
const PUBLIC_200: Row = [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200];
// prettier-ignore
const EXPECTED: Record<RouteKey, Row> = {
  //                                                          backend  pm   op  aud  rev platf part none exp  forged revoked
  'GET /health':                                              PUBLIC_200,
  'GET /health/live':                                         PUBLIC_200,
  'GET /openapi.json':                                        PUBLIC_200,
  'GET /console':                                             PUBLIC_200,
  'GET /console/config.json':                                 PUBLIC_200,
  'GET /v1/me':                                               [200, 200, 200, 200, 200, 403, 403, 401, 401, 401, 401],
  'POST /codec/encode':                                       [403, 403, 200, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /codec/decode':                                       [403, 403, 200, 200, 403, 403, 403, 401, 401, 401, 401],
  'POST /codec/session':                                      [403, 403, 201, 201, 403, 403, 403, 401, 401, 401, 401],
  'DELETE /codec/session':                                    [204, 204, 204, 204, 204, 204, 204, 204, 204, 204, 204],
  'POST /v1/registrations':                                   [400, 403, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/participants/:id':                                 [404, 403, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/participants/:id/email-verification':             [400, 403, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/participants/:id/email-verification/resend':      [404, 403, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'PUT /v1/participants/:id/identity':                        [400, 403, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'PUT /v1/participants/:id/photo':                           [415, 403, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/participants/:id/wave-applications':              [400, 403, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'PUT /v1/participants/:id/payout-account':                  [400, 403, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/participants/:id/surveys/:n':                     [400, 403, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/participants/:id/withdrawal':                     [400, 403, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  // The participant's own routes: the backend for anyone (unknown here: 404, an empty appeal 400),
  // a participant's token for itself only; a token never comes from a participant's token.
  'POST /v1/participants/:id/access-tokens':                  [404, 403, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/participants/:id/status':                          [404, 403, 403, 403, 403, 403, 404, 401, 401, 401, 401],
  'POST /v1/participants/:id/appeals':                        [400, 403, 403, 403, 403, 403, 404, 401, 401, 401, 401],
  // Operator actions: the empty body has no reason, refused before the participant is looked up.
  'POST /v1/participants/:id/cancellation':                   [403, 403, 400, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/participants/:id/verification-email-resends':     [403, 403, 400, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/participants/:id/notice-resends':                 [403, 403, 400, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/participants/:id/payout-retries':                 [403, 403, 400, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/participants/:id/deadline-extensions':            [403, 403, 400, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/participants/:id/resets':                         [403, 403, 400, 403, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/participants/:id/audit-trail':                     [403, 403, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/participants/:id/notices':                         [403, 403, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/participants/:id/personal-data/unmasked-reads':   [403, 403, 403, 400, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/participants/:id/data-export':                    [400, 403, 403, 400, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/personal-data-access':                             [403, 403, 403, 200, 403, 403, 403, 401, 401, 401, 401],
  // Appeals: reviewers and auditors read, reviewers decide (an empty decision: 400 before the lookup).
  'GET /v1/appeals':                                          [403, 403, 403, 200, 200, 403, 403, 401, 401, 401, 401],
  'GET /v1/appeals/:id':                                      [403, 403, 403, 404, 404, 403, 403, 401, 401, 401, 401],
  'GET /v1/appeals/:id/document':                             [403, 403, 403, 404, 404, 403, 403, 401, 401, 401, 401],
  'POST /v1/appeals/:id/decision':                            [403, 403, 403, 403, 400, 403, 403, 401, 401, 401, 401],
  // HMAC-signed by the platform: no bearer credential of any kind stands in for the signature.
  'POST /v1/training-platforms/:platformId/events':           [401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  'POST /v1/waves':                                           [403, 400, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/waves':                                            [403, 200, 200, 200, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/waves/:id':                                        [403, 404, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  // An empty change is refused before the wave is looked up.
  'PATCH /v1/waves/:id':                                      [403, 400, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/waves/:id/close':                                 [403, 404, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/waves/:id/selection':                              [403, 404, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/waves/:id/applicants':                             [403, 404, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/stats/funnel':                                     [403, 200, 200, 200, 403, 403, 403, 401, 401, 401, 401],
  'GET /metrics':                                             [403, 200, 200, 403, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/rule-sets':                                        [403, 200, 200, 200, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/rule-sets':                                       [403, 400, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/rule-sets/:id':                                    [403, 404, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  'PUT /v1/rule-sets/:id':                                    [403, 428, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/rule-sets/:id/publish':                           [403, 404, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  // A submission and a sending back need a comment, checked before the rule set is looked up.
  'POST /v1/rule-sets/:id/submit':                            [403, 400, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/rule-sets/:id/approve':                           [403, 404, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/rule-sets/:id/send-back':                         [403, 400, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/rule-sets/:id/retire':                            [403, 404, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/rule-sets/:id/diff':                               [403, 404, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/rule-sets/:id/evaluate':                          [403, 400, 400, 400, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/rule-sets/:id/simulate':                          [403, 404, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/rule-sets/:id/audit':                              [403, 404, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/rule-sets/:id/reevaluations':                     [403, 400, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/rule-sets/:id/reevaluations/:reevaluationId':      [403, 404, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  // :day is a day that has not ended: the on-demand run is refused before anything starts.
  'GET /v1/reconciliation/days/:day':                         [403, 404, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/reconciliation/days/:day/runs':                   [403, 403, 422, 403, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/reconciliation/days/:day/discrepancies':           [403, 404, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/reconciliation/discrepancies/:id':                 [403, 404, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/reconciliation/discrepancies/:id/resolution':     [403, 403, 400, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/reconciliation/discrepancies/:id/override':       [403, 400, 403, 403, 403, 403, 403, 401, 401, 401, 401],
  // Batch actions: an empty body has no reason (or no filter), refused before anything is counted.
  'POST /v1/batch-actions/previews':                          [403, 403, 400, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/batch-actions':                                   [403, 403, 400, 403, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/batch-actions':                                    [403, 403, 200, 200, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/batch-actions/:id':                                [403, 403, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  'GET /v1/batch-actions/:id/items':                          [403, 403, 404, 404, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/batch-actions/:id/confirmation':                  [403, 403, 404, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/batch-actions/:id/pause':                         [403, 403, 404, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/batch-actions/:id/resumption':                    [403, 403, 404, 403, 403, 403, 403, 401, 401, 401, 401],
  'POST /v1/batch-actions/:id/cancellation':                  [403, 403, 400, 403, 403, 403, 403, 401, 401, 401, 401],
};

/** Routes Express registers under another pattern than their ROUTE_ACCESS key. */
const REGISTERED_AS: Record<string, RouteKey> = {
  // The console's single-page addresses, behind router.use(authorize('GET /console')).
  'GET /console/{*address}': 'GET /console',
};

let prisma: PrismaClient;
const credentials = {} as Record<CallerName, string | undefined>;

beforeAll(async () => {
  const stack = readTestStack();
  const config = loadConfig({ ...stack.env });
  prisma = createPrismaClient(stack.databaseUrl);
  const keys = new ApiKeyAdministration(prisma);
  const tokens = new PeopleTokens(config.tokens);
  const suffix = randomUUID().slice(0, 8);

  credentials.backend = (await keys.create({ name: `matrix-backend-${suffix}`, role: 'backend' })).key;
  credentials.platform = (await keys.create({ name: `matrix-tokopedia-${suffix}`, role: 'training-platform', platformId: 'tokopedia' })).key;
  credentials.programManager = (await tokens.issue({ role: 'program-manager', name: 'Sri (matrix)', ttlSeconds: 600 })).token;
  credentials.operator = (await tokens.issue({ role: 'operator', name: 'Budi (matrix)', ttlSeconds: 600 })).token;
  credentials.auditor = (await tokens.issue({ role: 'auditor', name: 'Ani (matrix)', ttlSeconds: 600 })).token;
  credentials.reviewer = (await tokens.issue({ role: 'reviewer', name: 'Wati (matrix)', ttlSeconds: 600 })).token;
  // A participant's own token, for a participant other than the one in each path.
  credentials.participant = (await tokens.issueParticipantToken({ participantId: randomUUID(), ttlSeconds: 600 })).token;
  credentials.none = undefined;
  credentials.expired = (await tokens.issue({ role: 'operator', name: 'Budi (matrix)', ttlSeconds: 600, now: new Date(Date.now() - 3_600_000) })).token;
  // Same key id and claims, signed with a key the API does not hold.
  const signing = config.tokens.signing!;
  const forger = new PeopleTokens({ ...config.tokens, signing: { activeKeyId: signing.activeKeyId, keys: new Map([[signing.activeKeyId, randomBytes(32)]]) } });
  credentials.forged = (await forger.issue({ role: 'operator', name: 'Budi (matrix)', ttlSeconds: 600 })).token;
  const revoked = await keys.create({ name: `matrix-revoked-${suffix}`, role: 'backend' });
  await keys.revoke(revoked.record.id);
  credentials.revoked = revoked.key;
});

afterAll(async () => {
  await prisma?.$disconnect();
});

async function call(route: RouteKey, credential: string | undefined): Promise<number> {
  const [method, pattern] = route.split(' ') as [string, string];
  const path = pattern.replace(':platformId', 'tokopedia').replace(':reevaluationId', randomUUID()).replace(':id', randomUUID()).replace(':n', '1').replace(':day', '2999-01-01');
  const hasBody = !['GET', 'DELETE'].includes(method);
  const body = pattern.startsWith('/codec/') && pattern !== '/codec/session' ? { payloads: [] } : {};
  const response = await fetch(`${readTestStack().apiUrl}${path}`, {
    method,
    redirect: 'manual',
    headers: { ...(credential ? { authorization: `Bearer ${credential}` } : {}), ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    body: hasBody ? JSON.stringify(body) : undefined,
  });
  await response.arrayBuffer();
  return response.status;
}

it('answers every route, for every caller, exactly as the matrix says', async () => {
  const mismatches: string[] = [];
  for (const route of Object.keys(EXPECTED) as RouteKey[]) {
    for (const [column, caller] of CALLERS.entries()) {
      const status = await call(route, credentials[caller]);
      if (status !== EXPECTED[route][column]) mismatches.push(`${route} as ${caller}: ${status}, expected ${EXPECTED[route][column]}`);
    }
  }
  expect(mismatches).toEqual([]);
});

it('covers exactly the routes of ROUTE_ACCESS', () => {
  expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(ROUTE_ACCESS).sort());
});

it('finds every route Express registers guarded, in ROUTE_ACCESS and in the matrix', async () => {
  const api = buildApp();
  try {
    const registered = registeredRoutes(api.app);
    expect(registered.length).toBeGreaterThan(40);
    const problems: string[] = [];
    for (const { route, guards } of registered) {
      const key = (REGISTERED_AS[route] ?? route) as RouteKey;
      if (!(key in ROUTE_ACCESS)) problems.push(`${route}: not in ROUTE_ACCESS`);
      if (!(key in EXPECTED)) problems.push(`${route}: not in the matrix`);
      if (!guards.includes(key)) problems.push(`${route}: not guarded by authorize('${key}') (guards: ${guards.join(', ') || 'none'})`);
    }
    expect(problems).toEqual([]);
    // And the other way round: nothing in ROUTE_ACCESS that no router serves.
    const served = new Set(registered.map(({ route }) => REGISTERED_AS[route] ?? route));
    expect(Object.keys(ROUTE_ACCESS).filter((route) => !served.has(route))).toEqual([]);
  } finally {
    await api.close();
  }
});

it('stops accepting a revoked key within the key cache time', async () => {
  const keys = new ApiKeyAdministration(prisma);
  const { key, record } = await keys.create({ name: `matrix-to-revoke-${randomUUID().slice(0, 8)}`, role: 'backend' });
  expect(await call('GET /v1/me', key)).toBe(200);
  await keys.revoke(record.id);
  // API_KEY_CACHE_SECONDS is 2 in the test stack: a request that reaches the API 2 s after the
  // revocation is refused, whatever the API had cached. Judged by when each request was sent, not
  // by how long the polling took (once bounded with 1.5 s to spare, which a loaded machine can use up).
  const refusedFrom = Date.now() + 2_000;
  const acceptedLate: number[] = [];
  await eventually(
    async () => {
      const sentAt = Date.now();
      const status = await call('GET /v1/me', key);
      if (status === 200 && sentAt >= refusedFrom) acceptedLate.push(sentAt - refusedFrom);
      return status === 401 ? true : undefined;
    },
    'the revoked key to be refused',
    10_000,
  );
  expect(acceptedLate).toEqual([]);
});

it('keeps a rotated key and its predecessor valid until the old one expires', async () => {
  const keys = new ApiKeyAdministration(prisma);
  const name = `matrix-rotated-${randomUUID().slice(0, 8)}`;
  const first = await keys.create({ name, role: 'backend' });
  // Long enough that the rotation and the two calls below surely come before it, even on a loaded machine.
  const oldKeysExpireAt = new Date(Date.now() + 5_000);
  const second = await keys.rotate(name, { oldKeysExpireAt });
  expect(second.previous.map((key) => key.id)).toEqual([first.record.id]);
  expect(await call('GET /v1/me', first.key)).toBe(200);
  expect(await call('GET /v1/me', second.key)).toBe(200);
  // Expiry is checked on every request (not cached): the old key stops at its expiry.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, oldKeysExpireAt.getTime() - Date.now()) + 100));
  expect(await call('GET /v1/me', first.key)).toBe(401);
  expect(await call('GET /v1/me', second.key)).toBe(200);
});

it('says who a credential belongs to, and never more than its role', async () => {
  const me = async (credential: string) => (await fetch(`${readTestStack().apiUrl}/v1/me`, { headers: { authorization: `Bearer ${credential}` } })).json();
  expect(await me(credentials.operator!)).toMatchObject({ role: 'operator', name: 'Budi (matrix)', credential: 'token' });
  expect(await me(credentials.backend!)).toMatchObject({ role: 'backend', credential: 'stored-key', expiresAt: null });
  expect(await me(credentials.reviewer!)).toMatchObject({ role: 'reviewer', name: 'Wati (matrix)', credential: 'token' });
  expect(await me('dev-appeals-reviewer')).toMatchObject({ role: 'reviewer', name: 'dev-appeals-reviewer', credential: 'configured-key' });
  const expired = await fetch(`${readTestStack().apiUrl}/v1/me`, { headers: { authorization: `Bearer ${credentials.expired}` } });
  expect((await expired.json()).error.code).toBe('TOKEN_EXPIRED');
});

interface RegisteredRoute {
  route: string;
  /** The ROUTE_ACCESS keys of the authorize() guards on the way to it (mounts included). */
  guards: string[];
}

/** Walks Express 5's router: mount paths (rawPath) and nested routers, down to each route's methods. */
function registeredRoutes(app: ReturnType<typeof buildApp>['app']): RegisteredRoute[] {
  const found: RegisteredRoute[] = [];
  type Layer = { rawPath?: unknown; slash?: boolean; route?: { path: string; methods: Record<string, boolean>; stack: Layer[] }; handle: { stack?: Layer[] } };
  const walk = (stack: Layer[], prefix: string, inheritedGuards: string[]) => {
    const guards = [...inheritedGuards];
    for (const layer of stack) {
      const mountPath = layer.slash || typeof layer.rawPath !== 'string' ? '' : layer.rawPath;
      if (layer.route) {
        const routeGuards = [...guards, ...layer.route.stack.map((inner) => guardedRouteOf(inner.handle)).filter((key): key is RouteKey => key !== undefined)];
        for (const method of Object.keys(layer.route.methods)) {
          const path = `${prefix}${layer.route.path === '/' ? '' : layer.route.path}` || '/';
          found.push({ route: `${method.toUpperCase()} ${path}`, guards: routeGuards });
        }
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, `${prefix}${mountPath}`, guards);
      } else {
        const guard = guardedRouteOf(layer.handle);
        if (guard) guards.push(guard);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', []);
  return found;
}
