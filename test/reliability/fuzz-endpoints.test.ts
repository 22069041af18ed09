// Property-based fuzzing of every endpoint in ROUTE_ACCESS with the credentials of a role the
// route allows: generated path parameters, query strings and bodies (JSON, malformed JSON,
// field names the API knows with values of every shape, signed and unsigned webhooks). The API
// must never answer 5xx or fall over, every 4xx must carry a machine-readable code, and a
// rejected request must leave the database as it found it.
import fc from 'fast-check';
import { ROUTE_ACCESS, type RouteKey } from '../../api/authorization';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '../../lib/webhook-signature';
import { api, createOpenWave, KEYS } from '../support/http';
import { registerAndVerify } from '../support/journeys';
import { readTestStack } from '../support/test-stack';
import { waitForStage } from '../support/http';
import { DatabaseFingerprint } from './support/database-fingerprint';
import { recordFigures, sized } from './support/figures';

const CASES = sized('FUZZ_CASES', 300, 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_000_000_000);
const ROUTES = Object.keys(ROUTE_ACCESS) as RouteKey[];
// Every listed endpoint gets its share of the cases: drawing the route at random left one of the
// 45 unreached in about one 300-case run in twenty.
const CASES_PER_ROUTE = Math.ceil(CASES / ROUTES.length);

jest.setTimeout(sized('FUZZ_TIMEOUT_MS', 150_000, 3_600_000));

const ROLE_KEYS: Record<string, string> = { backend: 'dev-backend', 'program-manager': 'dev-program-manager', operator: 'dev-operator', auditor: 'dev-auditor' };
/**
 * Routes where a fixture id could do lasting harm to other tests (publishing rules, heavy
 * simulations), or starts work that goes on writing long after its answer (closing the wave
 * starts its selection, whose writes a later rejected case would seem to have made): only made-up ids.
 */
const NO_FIXTURE_IDS = new Set<RouteKey>([
  'POST /v1/rule-sets/:id/publish',
  'POST /v1/rule-sets/:id/submit',
  'POST /v1/rule-sets/:id/approve',
  'POST /v1/rule-sets/:id/send-back',
  'POST /v1/rule-sets/:id/retire',
  'POST /v1/rule-sets/:id/reevaluations',
  'POST /v1/rule-sets/:id/simulate',
  'POST /v1/waves/:id/close',
]);
const KNOWN_FIELDS = [
  'nik', 'fullName', 'dateOfBirth', 'email', 'phone', 'province', 'employmentStatus', 'token', 'waveId', 'type', 'provider', 'accountNumber',
  'accountName', 'answers', 'reason', 'number', 'opensAt', 'closesAt', 'quota', 'calendar', 'name', 'rules', 'facts', 'description', 'stage',
  'amount', 'role', 'participantId', 'id', 'state', 'status', 'eventId', 'platformId', 'courseId', 'price', 'occurredAt', 'payloads',
  'metadata', 'data', 'version', 'effectiveFrom', 'sequence', 'comment', '__proto__', 'constructor',
];
/** Stands for "the fixture this parameter names" (participant, wave, rule set, platform, survey). */
const FIXTURE = '\u0000fixture';
const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

interface Fixtures {
  participantId: string;
  waveId: string;
  ruleSetId: string;
}

const weirdString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '..', '../..', '%', '%00', '\u0000', 'null', 'undefined', 'NaN', '-1', '0', '1e308', 'true', '[]', '{}', "' OR 1=1 --", '<script>', 'A'.repeat(5_000)),
);
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), weirdString, fc.integer(), fc.double(), fc.constant(null), fc.boolean(), fc.uuid(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
const knownShapedBody = fc.dictionary(fc.constantFrom(...KNOWN_FIELDS), anyValue, { maxKeys: 8 });

type BodyChoice = { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; contentType: string };
const bodyArbitrary: fc.Arbitrary<BodyChoice> = fc.oneof(
  fc.constant<BodyChoice>({ kind: 'none' }),
  knownShapedBody.map((value): BodyChoice => ({ kind: 'json', value })),
  fc.jsonValue({ maxDepth: 4 }).map((value): BodyChoice => ({ kind: 'json', value })),
  fc.record({ text: fc.string({ maxLength: 200 }), contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream') }).map((raw): BodyChoice => ({ kind: 'raw', ...raw })),
);

function caseArbitrary(route: RouteKey) {
  return fc.record({
    route: fc.constant(route),
    // Most cases aim at a real resource so the body is judged, not just the id.
    params: fc.array(fc.oneof({ arbitrary: fc.constant(FIXTURE), weight: 6 }, { arbitrary: weirdString, weight: 2 }, { arbitrary: fc.uuid(), weight: 1 }, { arbitrary: fc.constantFrom('0', '1', '2', '3', '4', '99999999999', '-1'), weight: 1 }), { minLength: 3, maxLength: 3 }),
    query: fc.oneof(fc.constant(''), fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_FIELDS, 'limit', 'offset', 'cursor', 'from', 'to', 'waveId', 'byParticipant'), fc.string({ maxLength: 10 })), fc.oneof(weirdString, fc.integer().map(String))).map((entries) => new URLSearchParams(entries).toString()), fc.string({ maxLength: 60 }).map(encodeURI)),
    body: bodyArbitrary,
    roleIndex: fc.nat(),
    // One case in twenty asks for a path below a real route.
    trailingSegment: fc.oneof({ arbitrary: fc.constant(null), weight: 19 }, { arbitrary: fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent), weight: 1 }),
    surveyNumber: fc.constantFrom('1', '2', '3'),
    signed: fc.boolean(),
    staleBySeconds: fc.oneof(fc.constant(0), fc.integer({ min: -100_000, max: 100_000 })),
  });
}

type FuzzCase = ReturnType<typeof caseArbitrary> extends fc.Arbitrary<infer T> ? T : never;

function requestFor(fuzzCase: FuzzCase, fixtures: Fixtures) {
  const [method, pattern] = fuzzCase.route.split(' ') as [string, string];
  const fixtureFor = (name: string): string => {
    if (name === 'platformId') return 'tokopedia';
    if (name === 'n') return fuzzCase.surveyNumber;
    if (name === 'reevaluationId' || NO_FIXTURE_IDS.has(fuzzCase.route)) return '00000000-0000-4000-8000-000000000000';
    if (pattern.startsWith('/v1/participants')) return fixtures.participantId;
    if (pattern.startsWith('/v1/waves')) return fixtures.waveId;
    return fixtures.ruleSetId;
  };
  let index = 0;
  const path = pattern.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = fuzzCase.params[index++ % 3]!;
    return encodeURIComponent(value === FIXTURE ? fixtureFor(name) : value);
  });
  const url = `${path}${fuzzCase.trailingSegment ? `/${fuzzCase.trailingSegment}` : ''}${fuzzCase.query ? `?${fuzzCase.query}` : ''}`;
  const headers: Record<string, string> = {};
  const access = ROUTE_ACCESS[fuzzCase.route] as (typeof ROUTE_ACCESS)[RouteKey];
  if (typeof access === 'object') headers.authorization = `Bearer ${ROLE_KEYS[access.roles[fuzzCase.roleIndex % access.roles.length]!]}`;
  let body: string | undefined;
  if (fuzzCase.body.kind === 'json') {
    body = JSON.stringify(fuzzCase.body.value) ?? 'null';
    headers['content-type'] = 'application/json';
  } else if (fuzzCase.body.kind === 'raw') {
    body = fuzzCase.body.text;
    headers['content-type'] = fuzzCase.body.contentType;
  }
  if (method === 'GET') body = undefined;
  if (access === 'training-platform-signature' && fuzzCase.signed) {
    // Signed with the platform's development secret, so the body itself gets judged.
    const platformId = decodeURIComponent(path.split('/')[3]!);
    const timestamp = Math.floor(Date.now() / 1000) + fuzzCase.staleBySeconds;
    headers[WEBHOOK_TIMESTAMP_HEADER] = String(timestamp);
    headers[WEBHOOK_SIGNATURE_HEADER] = signWebhook(`dev-webhook-secret-${platformId}`, timestamp, body ?? '');
  }
  return { method, url, headers, body };
}

let fixtures: Fixtures;
let fingerprint: DatabaseFingerprint;

beforeAll(async () => {
  const wave = await createOpenWave();
  const registered = await registerAndVerify();
  await waitForStage(registered.participantId, 'ELIGIBLE', 90_000);
  const ruleSets = await api('GET', '/v1/rule-sets', { key: KEYS.operator });
  const ruleSetId = ruleSets.body.ruleSets[0]?.id as string;
  expect(ruleSetId).toEqual(expect.any(String));
  fixtures = { participantId: registered.participantId, waveId: wave.id, ruleSetId };
  fingerprint = new DatabaseFingerprint(readTestStack().databaseUrl, { participantId: fixtures.participantId, waveId: fixtures.waveId });
  await fingerprint.connect();
});

afterAll(async () => {
  await fingerprint?.end();
});

it(`answers ${CASES_PER_ROUTE * ROUTES.length} generated requests to every endpoint without a 5xx, with a code on every 4xx and no write for a rejection`, async () => {
  const { apiUrl } = readTestStack();
  const statuses: Record<string, number> = {};
  const perRoute: Record<string, number> = {};
  const problems: string[] = [];
  let accepted = 0;
  let rejected = 0;
  let healthChecks = 0;
  let before = await fingerprint.settled();
  const started = Date.now();

  for (const [routeIndex, route] of ROUTES.entries()) {
    await fc.assert(
      fc.asyncProperty(caseArbitrary(route), async (fuzzCase) => {
        const { method, url, headers, body } = requestFor(fuzzCase, fixtures);
        const response = await fetch(`${apiUrl}${url}`, { method, headers, body, signal: AbortSignal.timeout(30_000) });
        const text = await response.text();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        perRoute[fuzzCase.route] = (perRoute[fuzzCase.route] ?? 0) + 1;
        const where = `${method} ${url.slice(0, 200)} -> ${response.status} ${text.slice(0, 300)}`;
        if (response.status >= 500) problems.push(`5xx: ${where}`);
        if (response.status >= 400 && response.status < 500) {
          rejected += 1;
          let code: unknown;
          try {
            code = JSON.parse(text).error?.code;
          } catch {
            code = undefined;
          }
          if (typeof code !== 'string' || !ERROR_CODE.test(code)) problems.push(`4xx without a code: ${where}`);
          const after = await fingerprint.take();
          if (after !== before) problems.push(`rejected request changed the database: ${where}`);
        } else {
          accepted += 1;
          // An accepted step may go on writing after its answer (a workflow's activities): let it land.
          before = method === 'GET' ? await fingerprint.take() : await fingerprint.settled(300);
        }
        if ((accepted + rejected) % 500 === 0) {
          healthChecks += 1;
          const health = await api('GET', '/health');
          if (health.status !== 200) problems.push(`API unhealthy after ${accepted + rejected} cases: ${health.status}`);
        }
        if (problems.length > 0) throw new Error(problems.join('\n'));
      }),
      { numRuns: CASES_PER_ROUTE, seed: SEED + routeIndex, endOnFailure: true },
    );
  }

  const health = await api('GET', '/health');
  recordFigures('fuzz-endpoints', {
    cases: accepted + rejected,
    seed: SEED,
    routes: Object.keys(perRoute).length,
    routesListed: Object.keys(ROUTE_ACCESS).length,
    accepted,
    rejected,
    serverErrors: Object.entries(statuses).filter(([status]) => Number(status) >= 500).reduce((sum, [, n]) => sum + n, 0),
    rejectedThatWrote: problems.filter((problem) => problem.startsWith('rejected')).length,
    healthChecks: healthChecks + 1,
    statuses,
    durationSeconds: Math.round((Date.now() - started) / 1000),
  });
  expect(problems).toEqual([]);
  expect(health.status).toBe(200);
  // Every listed endpoint was reached.
  expect(Object.keys(perRoute).sort()).toEqual(Object.keys(ROUTE_ACCESS).sort());
});
