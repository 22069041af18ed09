// Rule sets over HTTP against the running stack, through to the participants' journeys. The stack
// and its database are shared with the other test files (and kept between runs), so every version
// published here decides exactly like the default except for a province only these tests use, and
// every one is retired again at the end.
import { randomInt } from 'node:crypto';
import defaultRuleSet from '../../rules/default-rule-set.json';
import { api, createOpenWave, eventually, KEYS, participant, sim, waitForStage } from '../support/http';
import { registerAndVerify as registerParticipant } from '../support/journeys';
import { recordHistory } from '../support/replay-histories';
import { ruleSetReevaluationWorkflowId } from '../../workflows/rule-set-reevaluation.definitions';
import { readTestStack } from '../support/test-stack';

jest.setTimeout(300_000);

const MARKER_PROVINCE = 'Test Province Rules';
const NAME_PREFIX = 'it-rules-';
const RUN = randomInt(1e9);
const markerRule = {
  name: 'test-province-excluded',
  conditions: { all: [{ fact: 'province', operator: 'equal', value: MARKER_PROVINCE }] },
  event: { type: 'ineligible', params: { code: 'TEST_PROVINCE_EXCLUDED', message: 'Not offered in the test province.' } },
};
/** The default program plus the marker rule: for everyone else it decides as the default does. */
const stricterRules = () => [...structuredClone(defaultRuleSet.rules), markerRule];
const ruleSetBody = (name: string, rules: unknown[] = stricterRules()) => ({ name: `${NAME_PREFIX}${name}-${RUN}`, description: `integration test ${name}`, rules });

interface Answer {
  status: number;
  etag: string | null;
  body: any;
}

async function call(method: string, path: string, options: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  const response = await fetch(`${readTestStack().apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${options.key ?? KEYS.programManager}`, ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
  });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag'), body: text ? JSON.parse(text) : undefined };
}

async function createDraft(name: string, rules?: unknown[]) {
  const answer = await call('POST', '/v1/rule-sets', { body: ruleSetBody(name, rules) });
  expect(answer.status).toBe(201);
  return answer.body as { id: string; name: string; version: number; revision: number };
}

async function publish(ruleSetId: string, effectiveFrom = new Date().toISOString()) {
  return call('POST', `/v1/rule-sets/${ruleSetId}/publish`, { body: { effectiveFrom } });
}

/** Leaves nothing of these tests deciding: published versions of this file's names are retired. */
async function retireTestVersions() {
  const published = await call('GET', '/v1/rule-sets?status=PUBLISHED');
  for (const ruleSet of published.body.ruleSets.filter((r: { name: string }) => r.name.startsWith(NAME_PREFIX))) {
    expect((await call('POST', `/v1/rule-sets/${ruleSet.id}/retire`)).status).toBe(200);
  }
}

const registerAndVerify = async (registrationOverrides: Record<string, unknown> = {}) => (await registerParticipant({}, registrationOverrides)).participantId;

beforeAll(retireTestVersions);
afterAll(retireTestVersions);

describe('rule sets: writing, reading, validation', () => {
  it('refuses an unknown fact or a wrong operator with errors keyed by path, naming the rule; and malformed JSON with its line', async () => {
    const rules = [
      { ...markerRule, conditions: { all: [{ fact: 'shoeSize', operator: 'equal', value: 42 }] } },
      { name: 'age-contains', conditions: { all: [{ fact: 'age', operator: 'contains', value: 'x' }] }, event: { type: 'ineligible', params: { code: 'AGE_X', message: 'No.' } } },
    ];
    const invalid = await call('POST', '/v1/rule-sets', { body: ruleSetBody('invalid', rules) });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('INVALID_RULE_SET');
    expect(invalid.body.error.fields).toEqual({
      'rules[0].conditions.all[0].fact': expect.stringContaining('(rule "test-province-excluded"): unknown fact "shoeSize"'),
      'rules[1].conditions.all[0].operator': expect.stringContaining('(rule "age-contains"): operator "contains" cannot be used on fact "age"'),
    });

    const malformed = await call('POST', '/v1/rule-sets', { rawBody: '{\n  "name": "x",\n  "rules": [ }' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'INVALID_RULE_SET', fields: { body: expect.stringContaining('line 3') } });
    const written = await call('GET', `/v1/rule-sets?name=${NAME_PREFIX}invalid-${RUN}`);
    expect(written.body.ruleSets).toEqual([]);
  });

  it('lets only program managers write; operators read; the backend role gets 403 everywhere', async () => {
    const draft = await createDraft('roles');
    for (const [method, path] of [['GET', '/v1/rule-sets'], ['GET', `/v1/rule-sets/${draft.id}`], ['GET', `/v1/rule-sets/${draft.id}/audit`], ['POST', '/v1/rule-sets']] as const) {
      expect((await call(method, path, { key: KEYS.backend, body: method === 'POST' ? ruleSetBody('roles') : undefined })).status).toBe(403);
    }
    expect((await call('GET', `/v1/rule-sets/${draft.id}`, { key: KEYS.operator })).status).toBe(200);
    expect((await call('POST', '/v1/rule-sets', { key: KEYS.operator, body: ruleSetBody('roles') })).status).toBe(403);
    expect((await call('PUT', `/v1/rule-sets/${draft.id}`, { key: KEYS.operator, body: { ...ruleSetBody('roles'), revision: 1 } })).status).toBe(403);
    expect((await call('POST', `/v1/rule-sets/${draft.id}/publish`, { key: KEYS.operator, body: {} })).status).toBe(403);
  });

  it('numbers drafts per name, and of two edits from the same revision accepts one and answers 409 to the other', async () => {
    const first = await createDraft('drafts');
    const second = await createDraft('drafts');
    expect([first.version, second.version]).toEqual([1, 2]);

    const read = await call('GET', `/v1/rule-sets/${first.id}`);
    expect(read).toMatchObject({ status: 200, etag: '"1"', body: { status: 'DRAFT', revision: 1, effectiveFrom: null, inForce: false, createdBy: KEYS.programManager } });

    const edit = (description: string) => call('PUT', `/v1/rule-sets/${first.id}`, { headers: { 'If-Match': read.etag! }, body: { ...ruleSetBody('drafts'), description } });
    const answers = await Promise.all([edit('edit A'), edit('edit B')]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const winner = answers.find((answer) => answer.status === 200)!;
    const loser = answers.find((answer) => answer.status === 409)!;
    expect(loser.body.error.code).toBe('REVISION_CONFLICT');
    expect(winner).toMatchObject({ etag: '"2"', body: { revision: 2 } });
    expect((await call('GET', `/v1/rule-sets/${first.id}`)).body.description).toBe(winner.body.description);

    expect((await call('PUT', `/v1/rule-sets/${first.id}`, { body: ruleSetBody('drafts') })).status).toBe(428);
    const withBodyRevision = await call('PUT', `/v1/rule-sets/${first.id}`, { body: { ...ruleSetBody('drafts', defaultRuleSet.rules), revision: 2 } });
    expect(withBodyRevision).toMatchObject({ status: 200, body: { revision: 3 } });

    const trail = await call('GET', `/v1/rule-sets/${first.id}/audit`, { key: KEYS.operator });
    expect(trail.body.entries.map((entry: { action: string }) => entry.action)).toEqual(['CREATED', 'UPDATED', 'UPDATED']);
    expect(trail.body.entries.every((entry: { actor: string }) => entry.actor === KEYS.programManager)).toBe(true);
    // The last edit went back to the default rules: the marker rule was removed.
    expect(trail.body.entries[2].diff).toMatchObject({ revision: { from: 2, to: 3 }, rules: { removed: [markerRule], added: [], changed: [] } });
  });

  it('dry-runs a draft on given facts, with the explanation', async () => {
    const draft = await createDraft('evaluate');
    const facts = {
      dateOfBirth: '2003-04-13',
      isStudent: false,
      socialAidPrograms: [],
      onLaidOffList: true,
      employmentStatus: 'LAID_OFF',
      province: MARKER_PROVINCE,
      previousParticipations: 0,
      channel: 'SELF',
      evaluationDate: '2021-04-12',
    };
    const answer = await call('POST', `/v1/rule-sets/${draft.id}/evaluate`, { key: KEYS.operator, body: facts });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ruleSetId: draft.id, ruleSetVersion: draft.version, outcome: 'INELIGIBLE', priority: 50 });
    // One day short of 18: both reasons, each from its rule.
    expect(answer.body.reasons.map((reason: { code: string }) => reason.code)).toEqual(['UNDER_MINIMUM_AGE', 'TEST_PROVINCE_EXCLUDED']);
    expect(answer.body.explanation.facts).toMatchObject({ age: 17, province: MARKER_PROVINCE });
    expect(answer.body.explanation.rules.find((rule: { name: string }) => rule.name === 'test-province-excluded')).toMatchObject({
      fired: true,
      conditions: { all: [{ fact: 'province', factValue: MARKER_PROVINCE, result: true }] },
    });

    const eligible = await call('POST', `/v1/rule-sets/${draft.id}/evaluate`, { body: { ...facts, province: 'DKI Jakarta', evaluationDate: '2021-04-13' } });
    expect(eligible.body).toMatchObject({ outcome: 'ELIGIBLE', reasons: [] });
  });

  it('diffs two rule sets by rule, and against the version in force by default', async () => {
    const base = await createDraft('diff', defaultRuleSet.rules);
    const changedRules = stricterRules()
      .filter((rule) => rule.name !== 'already-participated')
      .map((rule) => (rule.name === 'priority-no-other-social-aid' ? { ...rule, event: { ...rule.event, params: { ...rule.event.params, points: 10 } } } : rule));
    const candidate = await createDraft('diff', changedRules);
    const diff = await call('GET', `/v1/rule-sets/${candidate.id}/diff?against=${base.id}`, { key: KEYS.operator });
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: { id: base.id, version: 1 }, to: { id: candidate.id, version: 2 }, changed: true, metadata: [] });
    expect(diff.body.rules.added.map((rule: { name: string }) => rule.name)).toEqual(['test-province-excluded']);
    expect(diff.body.rules.removed.map((rule: { name: string }) => rule.name)).toEqual(['already-participated']);
    expect(diff.body.rules.changed).toEqual([expect.objectContaining({ rule: 'priority-no-other-social-aid', fields: ['event'] })]);

    const againstInForce = await call('GET', `/v1/rule-sets/${base.id}/diff`);
    expect(againstInForce.status).toBe(200);
    expect(againstInForce.body.rules).toMatchObject({ added: [], removed: [], changed: [] });
  });

  it('publishes once, immutably, never into the past or onto a taken instant; retires', async () => {
    const draft = await createDraft('lifecycle');
    const past = await publish(draft.id, new Date(Date.now() - 3_600_000).toISOString());
    expect(past.status).toBe(400);
    expect(past.body.error.fields).toEqual({ effectiveFrom: 'must not be more than a minute in the past' });

    // In the future, so it never decides for anyone in this run.
    const effectiveFrom = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const published = await publish(draft.id, effectiveFrom);
    expect(published).toMatchObject({ status: 200, body: { status: 'PUBLISHED', effectiveFrom, inForce: false, publishedAt: expect.any(String) } });
    const edit = await call('PUT', `/v1/rule-sets/${draft.id}`, { headers: { 'If-Match': published.etag! }, body: ruleSetBody('lifecycle') });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('RULE_SET_NOT_DRAFT');
    expect((await publish(draft.id, effectiveFrom)).body.error.code).toBe('RULE_SET_NOT_DRAFT');

    const rival = await createDraft('lifecycle');
    const sameInstant = await publish(rival.id, effectiveFrom);
    expect(sameInstant.status).toBe(409);
    expect(sameInstant.body.error.code).toBe('EFFECTIVE_FROM_TAKEN');
    expect((await call('GET', `/v1/rule-sets/${rival.id}`)).body.status).toBe('DRAFT');

    const retired = await call('POST', `/v1/rule-sets/${draft.id}/retire`);
    expect(retired).toMatchObject({ status: 200, body: { status: 'RETIRED', retiredAt: expect.any(String) } });
    expect((await call('POST', `/v1/rule-sets/${draft.id}/retire`)).body.error.code).toBe('RULE_SET_NOT_PUBLISHED');
    expect((await call('POST', `/v1/rule-sets/${rival.id}/retire`)).status).toBe(409);

    const trail = await call('GET', `/v1/rule-sets/${draft.id}/audit`);
    expect(trail.body.entries.map((entry: { action: string }) => entry.action)).toEqual(['CREATED', 'PUBLISHED', 'RETIRED']);
    expect(trail.body.entries[1].diff.metadata).toEqual([
      { field: 'status', from: 'DRAFT', to: 'PUBLISHED' },
      { field: 'effectiveFrom', from: null, to: effectiveFrom },
    ]);
    expect(trail.body.entries[2].diff.metadata).toEqual([
      { field: 'status', from: 'PUBLISHED', to: 'RETIRED' },
      { field: 'retiredAt', from: null, to: retired.body.retiredAt },
    ]);
  });
});

describe('rule sets: decisions through the journey', () => {
  let stricter: { id: string; version: number };
  const ids: Record<'decidedBefore' | 'inTraining' | 'unaffected', string> = { decidedBefore: '', inTraining: '', unaffected: '' };
  let versionBefore: string;

  it('a newly published version decides for participants evaluated afterwards, not for those decided before', async () => {
    [ids.decidedBefore, ids.inTraining, ids.unaffected] = await Promise.all([
      registerAndVerify({ province: MARKER_PROVINCE }),
      registerAndVerify({ province: MARKER_PROVINCE }),
      registerAndVerify(),
    ]);
    const before = await Promise.all(Object.values(ids).map((id) => waitForStage(id, 'ELIGIBLE')));
    versionBefore = before[0].eligibility.ruleSetId;

    const draft = await createDraft('stricter');

    // Its impact before publishing: the stored decisions (at least these two) that it would change.
    expect((await call('POST', `/v1/rule-sets/${draft.id}/simulate`, { body: { evaluationDate: '2020-4-11' } })).body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { evaluationDate: expect.any(String) },
    });
    const impact = await call('POST', `/v1/rule-sets/${draft.id}/simulate`, { body: { exampleLimit: 100 } });
    expect(impact.status).toBe(200);
    expect(impact.body.baseline).toMatchObject({ id: versionBefore });
    expect(impact.body.candidate).toMatchObject({ id: draft.id });
    const excluded = impact.body.byReason.find((reason: { code: string }) => reason.code === 'TEST_PROVINCE_EXCLUDED');
    expect(excluded.newlyFailing).toBeGreaterThanOrEqual(2);
    const marker = impact.body.byProvince.find((province: { province: string }) => province.province === MARKER_PROVINCE);
    expect(marker.becameIneligible).toBeGreaterThanOrEqual(2);
    expect(impact.body.changed.becameIneligible).toBeGreaterThanOrEqual(2);
    expect((await call('POST', `/v1/rule-sets/${draft.id}/simulate`, { key: KEYS.operator, body: {} })).status).toBe(403);

    const published = await publish(draft.id);
    expect(published.body).toMatchObject({ status: 'PUBLISHED', inForce: true });
    stricter = published.body;
    expect(versionBefore).not.toBe(stricter.id);

    const decidedAfter = await registerAndVerify({ province: MARKER_PROVINCE });
    const refused = await waitForStage(decidedAfter, 'INELIGIBLE');
    expect(refused.eligibility).toMatchObject({ outcome: 'INELIGIBLE', ruleSetId: stricter.id, ruleSetVersion: stricter.version });
    expect(refused.eligibility.reasons.map((reason: { code: string }) => reason.code)).toEqual(['TEST_PROVINCE_EXCLUDED']);

    // Decided before the publication: unchanged, and still on the version that decided.
    const unchanged = (await participant(ids.decidedBefore)).body;
    expect(unchanged).toMatchObject({ stage: 'ELIGIBLE', eligibility: { outcome: 'ELIGIBLE', ruleSetId: versionBefore } });
  });

  it('re-evaluation against the new version ends the journeys that now fail, revoking with repayment where money was paid', async () => {
    expect(stricter).toBeDefined();
    // One participant goes through training and the four incentives, decided by the version before.
    const wave = await createOpenWave();
    const inTraining = ids.inTraining;
    expect((await api('PUT', `/v1/participants/${inTraining}/payout-account`, {
      body: { type: 'EWALLET', provider: 'GoPay', accountNumber: '081234567890', accountName: 'Siti Rahayu' },
    })).status).toBe(200);
    expect((await api('POST', `/v1/participants/${inTraining}/wave-applications`, { body: { waveId: wave.id } })).status).toBe(200);
    expect((await api('POST', `/v1/waves/${wave.id}/close`, { key: KEYS.programManager })).status).toBe(200);
    await waitForStage(inTraining, 'SELECTED');
    const catalog = await sim<Array<{ platformId: string; courseId: string; price: number }>>('GET', '/sim/training/catalog');
    const course = catalog.body.find((c) => c.price <= 1_000_000)!;
    expect((await sim('POST', '/sim/training/purchases', { participantId: inTraining, platformId: course.platformId, courseId: course.courseId })).status).toBe(202);
    await waitForStage(inTraining, 'IN_TRAINING');
    expect((await sim('POST', '/sim/training/completions', { participantId: inTraining, platformId: course.platformId, courseId: course.courseId })).status).toBe(202);
    const surveying = await waitForStage(inTraining, 'TAKING_SURVEYS');
    expect(surveying.payments).toHaveLength(4);

    // Only the version in force can be re-applied.
    const draft = await createDraft('not-in-force');
    expect((await call('POST', `/v1/rule-sets/${draft.id}/reevaluations`, { body: { reason: 'too early' } })).body.error.code).toBe('RULE_SET_NOT_IN_FORCE');

    const requested = await call('POST', `/v1/rule-sets/${stricter.id}/reevaluations`, { body: { reason: 'Test province withdrawn from the program' } });
    expect(requested.status).toBe(202);
    const { reevaluationId } = requested.body;
    const finished = await eventually(async () => {
      const progress = await call('GET', `/v1/rule-sets/${stricter.id}/reevaluations/${reevaluationId}`, { key: KEYS.operator });
      return progress.body.done ? progress.body : undefined;
    }, 'the re-evaluation to finish');
    expect(finished).toMatchObject({ status: 'COMPLETED', reason: 'Test province withdrawn from the program', requestedBy: KEYS.programManager });
    expect(finished.participantsSignalled).toBeGreaterThanOrEqual(3);

    const ended = await waitForStage(ids.decidedBefore, 'INELIGIBLE');
    expect(ended.eligibility).toMatchObject({ outcome: 'INELIGIBLE', ruleSetId: stricter.id });
    expect(ended.exit).toMatchObject({ reason: expect.stringContaining('TEST_PROVINCE_EXCLUDED'), by: KEYS.programManager, repayment: null });

    const revoked = await waitForStage(inTraining, 'REVOKED');
    expect(revoked.exit).toMatchObject({ reason: expect.stringContaining('TEST_PROVINCE_EXCLUDED'), repayment: { amount: 2_400_000 } });
    await recordHistory(`participant-${inTraining}`, 'journey-revoked-after-payments');
    await recordHistory(`participant-${ids.decidedBefore}`, 'journey-reevaluated-ineligible');

    const continuing = await eventually(async () => {
      const state = (await participant(ids.unaffected)).body;
      return state.eligibility.ruleSetId === stricter.id ? state : undefined;
    }, 'the unaffected participant to be re-checked');
    expect(continuing).toMatchObject({ stage: 'ELIGIBLE', eligibility: { outcome: 'ELIGIBLE' }, exit: null });

    const trail = await call('GET', `/v1/rule-sets/${stricter.id}/audit`);
    expect(trail.body.entries.map((entry: { action: string }) => entry.action)).toEqual(['CREATED', 'PUBLISHED', 'REEVALUATION_REQUESTED']);
    expect(trail.body.entries[2].diff).toEqual({ reevaluationId, reason: 'Test province withdrawn from the program' });
    await recordHistory(ruleSetReevaluationWorkflowId(reevaluationId), 'rule-set-reevaluation');
  });
});
