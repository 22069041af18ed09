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
import { loadConfig } from '../../lib/config';
import { PeopleTokens } from '../../lib/people-tokens';
import { readTestStack } from '../support/test-stack';

jest.setTimeout(300_000);

const MARKER_PROVINCE = 'Test Province Rules';
const NAME_PREFIX = 'it-rules-';
const RUN = randomInt(1e9);
const markerRule = {
  name: 'test-province-excluded',
  conditions: { all: [{ fact: 'province', operator: 'equal', value: MARKER_PROVINCE }] },
  event: {
    type: 'ineligible',
    params: {
      code: 'TEST_PROVINCE_EXCLUDED',
      message: 'Not offered in the test province.',
      reference: 'Keputusan uji coba Nomor 1 Tahun 2020, Pasal 1',
      messages: { id: 'Program ini tidak tersedia di provinsi uji.', en: 'The program is not offered in the test province.' },
    },
  },
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

/** Publishing takes two program managers: the author submits the version, a second one approves it. */
async function publish(ruleSetId: string, effectiveFrom = new Date().toISOString()) {
  const submitted = await call('POST', `/v1/rule-sets/${ruleSetId}/submit`, { body: { comment: 'integration test', effectiveFrom } });
  if (submitted.status !== 200) return submitted;
  return call('POST', `/v1/rule-sets/${ruleSetId}/approve`, { key: KEYS.reviewer, body: { comment: 'checked' } });
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
    // Refused at its approval, it stays in review for its author to send back with a new date.
    expect((await call('GET', `/v1/rule-sets/${rival.id}`)).body.status).toBe('IN_REVIEW');

    const retired = await call('POST', `/v1/rule-sets/${draft.id}/retire`);
    expect(retired).toMatchObject({ status: 200, body: { status: 'RETIRED', retiredAt: expect.any(String) } });
    expect((await call('POST', `/v1/rule-sets/${draft.id}/retire`)).body.error.code).toBe('RULE_SET_NOT_PUBLISHED');
    expect((await call('POST', `/v1/rule-sets/${rival.id}/retire`)).status).toBe(409);

    const trail = await call('GET', `/v1/rule-sets/${draft.id}/audit`);
    expect(trail.body.entries.map((entry: { action: string }) => entry.action)).toEqual(['CREATED', 'SUBMITTED', 'APPROVED', 'PUBLISHED', 'RETIRED']);
    expect(trail.body.entries[1].diff).toEqual({ revision: 1, comment: 'integration test', effectiveFrom });
    expect(trail.body.entries[2]).toMatchObject({ actor: KEYS.reviewer, diff: { comment: 'checked', submittedBy: KEYS.programManager, effectiveFrom } });
    expect(trail.body.entries[3].diff.metadata).toEqual([
      { field: 'status', from: 'IN_REVIEW', to: 'PUBLISHED' },
      { field: 'effectiveFrom', from: null, to: effectiveFrom },
    ]);
    expect(trail.body.entries[4].diff.metadata).toEqual([
      { field: 'status', from: 'PUBLISHED', to: 'RETIRED' },
      { field: 'retiredAt', from: null, to: retired.body.retiredAt },
    ]);
  });
});

describe('rule sets: test cases travel with a version', () => {
  const adult = {
    dateOfBirth: '1990-06-15',
    isStudent: false,
    socialAidPrograms: [],
    onLaidOffList: false,
    employmentStatus: 'JOB_SEEKER',
    province: 'Jawa Barat',
    previousParticipations: 0,
    channel: 'SELF',
    evaluationDate: '2020-04-11',
  };
  const markerCase = { name: 'the test province is excluded', facts: { ...adult, province: MARKER_PROVINCE }, expect: { outcome: 'INELIGIBLE', reasons: ['TEST_PROVINCE_EXCLUDED'] } };
  const twentyYearOld = { name: '20 is eligible', facts: { ...adult, dateOfBirth: '2000-01-01' }, expect: { outcome: 'ELIGIBLE' } };
  const minimumAge21 = () =>
    stricterRules().map((rule) => (rule.name === 'under-minimum-age' ? { ...rule, conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 21 }] } } : rule));

  it('runs the cases on every save, refuses publishing while one fails (409 with the case), publishes once fixed', async () => {
    const body = { ...ruleSetBody('cases'), rules: minimumAge21(), testCases: [markerCase, twentyYearOld] };
    const created = await call('POST', '/v1/rule-sets', { body });
    expect(created.status).toBe(201);
    expect(created.body.testResults).toMatchObject({ passed: 1, failed: 1 });
    expect(created.body.testResults.cases[1]).toEqual({
      name: '20 is eligible',
      passed: false,
      differences: [{ field: 'outcome', expected: 'ELIGIBLE', actual: 'INELIGIBLE' }],
      actual: expect.objectContaining({ outcome: 'INELIGIBLE', reasons: ['UNDER_MINIMUM_AGE'] }),
    });

    const refused = await publish(created.body.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('TEST_CASES_FAILING');
    expect(refused.body.error.fields).toEqual({ 'testCases[1]': '"20 is eligible": outcome expected "ELIGIBLE", got "INELIGIBLE"' });
    expect((await call('GET', `/v1/rule-sets/${created.body.id}`)).body.status).toBe('DRAFT');

    // The program manager meant it: 20 is now too young, and the case says so.
    const fixedCase = { ...twentyYearOld, name: '20 is too young', expect: { outcome: 'INELIGIBLE', reasons: ['UNDER_MINIMUM_AGE'] } };
    const fixed = await call('PUT', `/v1/rule-sets/${created.body.id}`, { body: { ...body, testCases: [markerCase, fixedCase] }, headers: { 'if-match': created.etag ?? '' } });
    expect(fixed.status).toBe(200);
    expect(fixed.body.testResults).toMatchObject({ passed: 2, failed: 0 });
    const audit = await call('GET', `/v1/rule-sets/${created.body.id}/audit`);
    expect(audit.body.entries.at(-1).diff.testCases).toEqual({ added: ['20 is too young'], removed: ['20 is eligible'], changed: [] });

    // Left out of a PUT, the cases stay; left out of a new version, it takes its parent's.
    const kept = await call('PUT', `/v1/rule-sets/${created.body.id}`, { body: { ...body, testCases: undefined }, headers: { 'if-match': fixed.etag ?? '' } });
    expect(kept.body.testCases.map((testCase: { name: string }) => testCase.name)).toEqual(['the test province is excluded', '20 is too young']);
    const published = await publish(created.body.id, new Date(Date.now() + 365 * 86_400_000).toISOString());
    expect(published.status).toBe(200);
    const child = await call('POST', '/v1/rule-sets', { body: { ...body, testCases: undefined, rules: stricterRules() } });
    expect(child.status).toBe(201);
    expect(child.body.version).toBe(published.body.version + 1);
    expect(child.body.testCases).toEqual(kept.body.testCases);
    // The parent's case about age 21 does not hold for rules back at 18: the child cannot be published as it is.
    expect(child.body.testResults).toMatchObject({ passed: 1, failed: 1 });
    expect((await publish(child.body.id)).body.error.code).toBe('TEST_CASES_FAILING');
  });

  it('refuses a case naming a reason code the rules do not give, with its path, and stores nothing', async () => {
    const body = { ...ruleSetBody('case-typo'), testCases: [{ ...markerCase, expect: { outcome: 'INELIGIBLE', reasons: ['TEST_PROVINCE_EXCLUDE'] } }] };
    const refused = await call('POST', '/v1/rule-sets', { body });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('INVALID_RULE_SET');
    expect(refused.body.error.fields).toEqual({ 'testCases[0].expect.reasons[0]': expect.stringContaining('"TEST_PROVINCE_EXCLUDE" is not an ineligible reason code of this rule set') });
    expect((await call('GET', `/v1/rule-sets?name=${body.name}`)).body.ruleSets).toEqual([]);
  });
});

describe('rule sets: four eyes', () => {
  it('publishes only what a second program manager approved: the author cannot, nor anyone who edited it; every step audited with its comment', async () => {
    const tokens = new PeopleTokens(loadConfig({ ...readTestStack().env }).tokens);
    const thirdManager = (await tokens.issue({ role: 'program-manager', name: 'Sari (third program manager)', ttlSeconds: 1_800 })).token;
    const draft = await createDraft('four-eyes');
    const statusOf = async () => (await call('GET', `/v1/rule-sets/${draft.id}`)).body.status;

    // A rule without its legal basis is a fine draft, but is not submitted.
    const { reference: _reference, messages: _messages, ...bareParams } = markerRule.event.params;
    const bare = await createDraft('four-eyes-bare', [...structuredClone(defaultRuleSet.rules), { ...markerRule, event: { type: 'ineligible', params: bareParams } }]);
    const unfounded = await call('POST', `/v1/rule-sets/${bare.id}/submit`, { body: { comment: 'no basis' } });
    expect(unfounded.status).toBe(400);
    expect(unfounded.body.error.code).toBe('INVALID_RULE_SET');
    const markerIndex = defaultRuleSet.rules.length;
    expect(unfounded.body.error.fields).toEqual({
      [`rules[${markerIndex}].event.params.messages`]: expect.stringMatching(/^MISSING_PARTICIPANT_MESSAGE \(rule "test-province-excluded"\)/),
      [`rules[${markerIndex}].event.params.reference`]: expect.stringMatching(/^MISSING_LEGAL_REFERENCE \(rule "test-province-excluded"\)/),
    });
    expect((await call('GET', `/v1/rule-sets/${bare.id}`)).body.status).toBe('DRAFT');

    const alone = await call('POST', `/v1/rule-sets/${draft.id}/publish`, { body: {} });
    expect(alone.status).toBe(409);
    expect(alone.body.error.code).toBe('REVIEW_REQUIRED');
    const noComment = await call('POST', `/v1/rule-sets/${draft.id}/submit`, { body: { comment: '  ' } });
    expect(noComment.status).toBe(400);
    expect(noComment.body.error.fields).toEqual({ comment: 'is required' });
    const stale = await call('POST', `/v1/rule-sets/${draft.id}/submit`, { body: { comment: 'stale' }, headers: { 'if-match': '"7"' } });
    expect(stale.body.error.code).toBe('REVISION_CONFLICT');
    expect(await statusOf()).toBe('DRAFT');

    // Submitted: frozen, with the comment and the date asked for.
    const effectiveFrom = new Date(Date.now() + 200 * 86_400_000).toISOString();
    const submitted = await call('POST', `/v1/rule-sets/${draft.id}/submit`, { body: { comment: 'Excludes the test province', effectiveFrom }, headers: { 'if-match': `"${draft.revision}"` } });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({
      status: 'IN_REVIEW',
      effectiveFrom: null,
      review: { submittedBy: KEYS.programManager, comment: 'Excludes the test province', requestedEffectiveFrom: effectiveFrom, approvedBy: null },
    });
    const edit = await call('PUT', `/v1/rule-sets/${draft.id}`, { body: ruleSetBody('four-eyes'), headers: { 'if-match': submitted.etag ?? '' } });
    expect(edit.body.error.code).toBe('RULE_SET_NOT_DRAFT');
    const selfApproval = await call('POST', `/v1/rule-sets/${draft.id}/approve`, { body: {} });
    expect(selfApproval.status).toBe(403);
    expect(selfApproval.body.error.code).toBe('SELF_APPROVAL');
    expect(await statusOf()).toBe('IN_REVIEW');

    // Sent back, edited by the reviewer, submitted again: the reviewer is an author now.
    const returned = await call('POST', `/v1/rule-sets/${draft.id}/send-back`, { key: KEYS.reviewer, body: { comment: 'Say why in the description' } });
    expect(returned.body).toMatchObject({ status: 'DRAFT', review: { submittedBy: null, comment: null } });
    const edited = await call('PUT', `/v1/rule-sets/${draft.id}`, {
      key: KEYS.reviewer,
      body: { ...ruleSetBody('four-eyes'), description: 'Test province withdrawn' },
      headers: { 'if-match': `"${returned.body.revision}"` },
    });
    expect(edited.status).toBe(200);
    expect((await call('POST', `/v1/rule-sets/${draft.id}/submit`, { body: { comment: 'With the reason', effectiveFrom }, headers: { 'if-match': edited.etag ?? '' } })).status).toBe(200);
    expect((await call('POST', `/v1/rule-sets/${draft.id}/approve`, { key: KEYS.reviewer, body: {} })).body.error.code).toBe('SELF_APPROVAL');

    const approved = await call('POST', `/v1/rule-sets/${draft.id}/approve`, { key: thirdManager, body: { comment: 'Matches the ministry letter' } });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'PUBLISHED', effectiveFrom, review: { submittedBy: KEYS.programManager, approvedBy: 'Sari (third program manager)', approvalComment: 'Matches the ministry letter' } });
    expect((await call('POST', `/v1/rule-sets/${draft.id}/approve`, { key: thirdManager, body: {} })).body.error.code).toBe('RULE_SET_NOT_IN_REVIEW');

    const trail = (await call('GET', `/v1/rule-sets/${draft.id}/audit`)).body.entries as Array<{ action: string; actor: string; diff: Record<string, unknown> }>;
    expect(trail.map(({ action, actor }) => [action, actor])).toEqual([
      ['CREATED', KEYS.programManager],
      ['SUBMITTED', KEYS.programManager],
      ['SENT_BACK', KEYS.reviewer],
      ['UPDATED', KEYS.reviewer],
      ['SUBMITTED', KEYS.programManager],
      ['APPROVED', 'Sari (third program manager)'],
      ['PUBLISHED', 'Sari (third program manager)'],
    ]);
    expect(trail.map(({ diff }) => diff.comment).filter(Boolean)).toEqual(['Excludes the test province', 'Say why in the description', 'With the reason', 'Matches the ministry letter']);
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
    // The participant's reason, in both languages, with its legal basis.
    expect(refused.eligibility.reasons).toEqual([{ code: 'TEST_PROVINCE_EXCLUDED', message: markerRule.event.params.message, reference: markerRule.event.params.reference, messages: markerRule.event.params.messages }]);

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
    expect(trail.body.entries.map((entry: { action: string }) => entry.action)).toEqual(['CREATED', 'SUBMITTED', 'APPROVED', 'PUBLISHED', 'REEVALUATION_REQUESTED']);
    expect(trail.body.entries[4].diff).toEqual({ reevaluationId, reason: 'Test province withdrawn from the program' });
    await recordHistory(ruleSetReevaluationWorkflowId(reevaluationId), 'rule-set-reevaluation');
  });
});
