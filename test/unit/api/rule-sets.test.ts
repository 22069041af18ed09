import request from 'supertest';
import type { RuleSet } from '../../../generated/prisma/client';
import type { PrismaClient } from '../../../lib/database';
import { createLogger } from '../../../lib/logger';
import { diffRuleSets, sameJson } from '../../../api/rule-sets/rule-set-diff';
import { RuleSetService, type RuleSetSimulation } from '../../../api/rule-sets/rule-set.service';
import defaultRuleSet from '../../../rules/default-rule-set.json';
import { loadDefaultRuleSet, type JsonRule } from '../../../rules';
import { bearer, buildApp, type AppUnderTest } from './app-under-test';

const RULE_SET_ID = '0b6c1f39-52a4-4d0e-9a57-4e1f1f4b2a10';
const PROGRAM_MANAGER = bearer('dev-program-manager');
const rules = (): JsonRule[] => structuredClone(loadDefaultRuleSet().rules);
const byName = (name: string) => rules().find((rule) => rule.name === name)!;

describe('rule-set diff', () => {
  const base = { name: 'prakerja-2020', description: 'the 2020 program', rules: rules() };

  it('finds nothing between a rule set and itself, whatever the rule order or key order', () => {
    const reordered = { ...base, rules: [...rules()].reverse().map((rule) => ({ event: rule.event, conditions: rule.conditions, name: rule.name })) };
    expect(diffRuleSets(base, reordered)).toEqual({ changed: false, metadata: [], rules: { added: [], removed: [], changed: [] } });
  });

  it('lists added and removed rules, and changed ones with the fields that changed', () => {
    const stricter = rules().filter((rule) => rule.name !== 'already-participated');
    const laidOff = stricter.find((rule) => rule.name === 'priority-laid-off')!;
    laidOff.event = { type: 'priority', params: { ...laidOff.event.params, points: 40 } as { points: number; code: string; message: string } };
    const provinceRule: JsonRule = {
      name: 'outside-pilot-provinces',
      conditions: { all: [{ fact: 'province', operator: 'notIn', value: ['DKI Jakarta'] }] },
      event: { type: 'ineligible', params: { code: 'OUTSIDE_PILOT_PROVINCES', message: 'Only the pilot provinces for now.' } },
    };
    const diff = diffRuleSets(base, { ...base, description: 'pilot', rules: [...stricter, provinceRule] });
    expect(diff.changed).toBe(true);
    expect(diff.metadata).toEqual([{ field: 'description', from: 'the 2020 program', to: 'pilot' }]);
    expect(diff.rules.added).toEqual([provinceRule]);
    expect(diff.rules.removed).toEqual([byName('already-participated')]);
    expect(diff.rules.changed).toEqual([{ rule: 'priority-laid-off', fields: ['event'], from: byName('priority-laid-off'), to: laidOff }]);
  });

  it('shows a renamed rule (same event code) as changed, with its previous name', () => {
    const renamed = rules().map((rule) => (rule.name === 'currently-student' ? { ...rule, name: 'enrolled-in-school' } : rule));
    expect(diffRuleSets(base, { ...base, rules: renamed }).rules).toEqual({
      added: [],
      removed: [],
      changed: [{ rule: 'enrolled-in-school', previousName: 'currently-student', fields: ['name'], from: byName('currently-student'), to: { ...byName('currently-student'), name: 'enrolled-in-school' } }],
    });
  });

  it('reports life-cycle metadata (status, effectiveFrom) when both sides carry it', () => {
    const draft = { ...base, status: 'DRAFT', effectiveFrom: null };
    const published = { ...base, status: 'PUBLISHED', effectiveFrom: '2020-05-01T00:00:00.000Z' };
    expect(diffRuleSets(draft, published).metadata).toEqual([
      { field: 'status', from: 'DRAFT', to: 'PUBLISHED' },
      { field: 'effectiveFrom', from: null, to: '2020-05-01T00:00:00.000Z' },
    ]);
  });

  it('compares JSON by value: key order and absent keys do not matter, array order does', () => {
    expect(sameJson({ a: 1, b: [1, 2], c: undefined }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: null }, {})).toBe(false);
  });
});

describe('rule-set requests refused before anything is read or written', () => {
  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp();
  });
  afterAll(() => api.close());

  const unknownFactRule = { name: 'shoe-size', conditions: { all: [{ fact: 'shoeSize', operator: 'equal', value: 42 }] }, event: { type: 'ineligible', params: { code: 'BIG_FEET', message: 'Too big.' } } };
  const wrongOperatorRule = { name: 'age-contains', conditions: { any: [{ fact: 'age', operator: 'contains', value: 'x' }] }, event: { type: 'ineligible', params: { code: 'AGE_X', message: 'No.' } } };

  it('answers INVALID_RULE_SET with every problem keyed by its path, naming the rule', async () => {
    const answer = await request(api.app).post('/v1/rule-sets').set(PROGRAM_MANAGER).send({ name: 'pilot', description: '', rules: [unknownFactRule, wrongOperatorRule] });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('INVALID_RULE_SET');
    expect(answer.body.error.fields).toEqual({
      'rules[0].conditions.all[0].fact': expect.stringMatching(/^UNKNOWN_FACT \(rule "shoe-size"\): unknown fact "shoeSize"/),
      'rules[1].conditions.any[0].operator': expect.stringMatching(/^OPERATOR_NOT_ALLOWED_FOR_FACT \(rule "age-contains"\): operator "contains" cannot be used on fact "age"/),
    });
  });

  it('refuses a rule on a retired fact, saying why it could never fire', async () => {
    const deceasedRule = {
      name: 'identity-deceased',
      conditions: { all: [{ fact: 'age', operator: 'greaterThan', value: 17 }, { fact: 'identityStatus', operator: 'equal', value: 'DECEASED' }] },
      event: { type: 'ineligible', params: { code: 'IDENTITY_DECEASED', message: 'Deceased.' } },
    };
    const answer = await request(api.app).post('/v1/rule-sets').set(PROGRAM_MANAGER).send({ name: 'pilot', description: '', rules: [deceasedRule] });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: 'INVALID_RULE_SET',
      fields: { 'rules[0].conditions.all[1].fact': expect.stringMatching(/^RETIRED_FACT \(rule "identity-deceased"\): fact "identityStatus" is retired: identity is verified with Dukcapil before the rules run/) },
    });
  });

  it('says where malformed JSON goes wrong', async () => {
    const answer = await request(api.app).post('/v1/rule-sets').set(PROGRAM_MANAGER).set('content-type', 'application/json').send('{"name": "pilot",\n "rules": [ }');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'INVALID_RULE_SET', fields: { body: expect.stringContaining('line 2, column 13') } });
  });

  it('refuses a name that is not a plain slug, and a missing rule list', async () => {
    const answer = await request(api.app).post('/v1/rule-sets').set(PROGRAM_MANAGER).send({ name: 'pilot rules!', description: '' });
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.error.fields).sort()).toEqual(['name', 'rules']);
  });

  it('needs the revision read for a PUT: 428 without one, 400 when header and body disagree or the header is garbage', async () => {
    const put = () => request(api.app).put(`/v1/rule-sets/${RULE_SET_ID}`).set(PROGRAM_MANAGER);
    const body = { ...defaultRuleSet };
    const missing = await put().send(body);
    expect(missing.status).toBe(428);
    expect(missing.body.error.code).toBe('PRECONDITION_REQUIRED');
    const disagreeing = await put().set('If-Match', '"3"').send({ ...body, revision: 4 });
    expect(disagreeing.status).toBe(400);
    expect(disagreeing.body.error.fields).toEqual({ revision: 'differs from If-Match (3)' });
    const garbage = await put().set('If-Match', 'yesterday').send(body);
    expect(garbage.status).toBe(400);
    expect(Object.keys(garbage.body.error.fields)).toEqual(['headers.if-match']);
  });

  it('validates the other bodies: malformed JSON, evaluation facts, publish date, re-evaluation reason', async () => {
    const malformed = await request(api.app).post(`/v1/rule-sets/${RULE_SET_ID}/publish`).set(PROGRAM_MANAGER).set('content-type', 'application/json').send('{');
    expect(malformed.body.error.code).toBe('MALFORMED_JSON');
    const facts = await request(api.app).post(`/v1/rule-sets/${RULE_SET_ID}/evaluate`).set(bearer('dev-operator')).send({ dateOfBirth: '1990-02-30', isStudent: 'no' });
    expect(facts.status).toBe(400);
    expect(facts.body.error.fields).toMatchObject({ dateOfBirth: expect.any(String), isStudent: expect.any(String), evaluationDate: expect.any(String) });
    const publish = await request(api.app).post(`/v1/rule-sets/${RULE_SET_ID}/publish`).set(PROGRAM_MANAGER).send({ effectiveFrom: '2020-05-01T00:00:00' });
    expect(Object.keys(publish.body.error.fields)).toEqual(['effectiveFrom']);
    const reason = await request(api.app).post(`/v1/rule-sets/${RULE_SET_ID}/reevaluations`).set(PROGRAM_MANAGER).send({ reason: ' ' });
    expect(reason.body.error.fields).toEqual({ reason: 'is required' });
  });

  it('answers 503 SIMULATION_UNAVAILABLE when no simulator is wired in', async () => {
    const answer = await request(api.app).post(`/v1/rule-sets/${RULE_SET_ID}/simulate`).set(PROGRAM_MANAGER).send({});
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('SIMULATION_UNAVAILABLE');
  });
});

describe('simulation request', () => {
  it('hands the simulator the validated rule set with its id and version, and today in WIB by default', async () => {
    const stored = { id: RULE_SET_ID, name: 'prakerja-2020', version: 7, description: defaultRuleSet.description, rules: defaultRuleSet.rules } as unknown as RuleSet;
    const prisma = { ruleSet: { findUnique: async () => stored } } as unknown as PrismaClient;
    const requests: Parameters<RuleSetSimulation['simulate']>[0][] = [];
    const simulator: RuleSetSimulation = {
      simulate: async (simulation) => {
        requests.push(simulation);
        return { evaluated: 0 };
      },
    };
    // 20:00 UTC on 11 April is already 12 April in Jakarta.
    const service = new RuleSetService({ prisma, logger: createLogger('rule-sets-unit-test', 'silent'), now: () => new Date('2020-04-11T20:00:00Z'), review: { fourEyes: true }, simulator });
    await expect(service.simulate(RULE_SET_ID, {})).resolves.toEqual({ evaluated: 0 });
    await service.simulate(RULE_SET_ID, { evaluationDate: '2020-05-01', exampleLimit: 5 });
    expect(requests[0]).toMatchObject({ candidate: { id: RULE_SET_ID, version: 7, name: 'prakerja-2020' }, evaluationDate: '2020-04-12' });
    expect(requests[0]!.candidate.rules).toEqual(loadDefaultRuleSet().rules);
    expect(requests[1]).toMatchObject({ evaluationDate: '2020-05-01', exampleLimit: 5 });
  });
});
