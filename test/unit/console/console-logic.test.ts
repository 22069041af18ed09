// The console's logic that is not drawing: the draft check as you type, the stage timeline, the
// defensive reading of the impact report, the versions' timeline.
import defaultRuleSet from '../../../rules/default-rule-set.json';
import type { ParticipantView } from '../../../api/participants/participant.schema';
import type { RuleSetView } from '../../../api/rule-sets/rule-set.schema';
import { checkDraft, problemsFromApiFields, ruleSetText } from '../../../console/src/rules/draft-validation';
import { groupByName, phaseOf } from '../../../console/src/rules/rule-set-timeline';
import { readSimulationReport } from '../../../console/src/rules/simulation-report';
import { stageTimeline } from '../../../console/src/program/stage-timeline';
import { participant } from './participant-view';

const nameMustStay = (name: string) => `must stay "${name}"`;

describe('the draft check as you type', () => {
  const valid = ruleSetText(defaultRuleSet);

  it('passes the default rule set and reads it', () => {
    const check = checkDraft(valid, defaultRuleSet.name, nameMustStay);
    expect(check.problems).toEqual([]);
    expect(check.document).toMatchObject({ name: defaultRuleSet.name });
  });

  it('reports an operator its fact does not allow at the rule and condition it concerns, as the API does', () => {
    const rules = defaultRuleSet.rules.map((rule, index) => (index === 2 ? { ...rule, conditions: { all: [{ fact: 'province', operator: 'contains', value: 'Aceh' }] } } : rule));
    const check = checkDraft(ruleSetText({ ...defaultRuleSet, rules }), defaultRuleSet.name, nameMustStay);
    expect(check.problems).toEqual([expect.objectContaining({ path: 'rules[2].conditions.all[0].operator', code: 'OPERATOR_NOT_ALLOWED_FOR_FACT', rule: defaultRuleSet.rules[2]!.name })]);
  });

  it('refuses a condition on a retired fact, as the API does', () => {
    const rules = [...defaultRuleSet.rules, { name: 'identity-deceased', conditions: { all: [{ fact: 'identityStatus', operator: 'equal', value: 'DECEASED' }] }, event: { type: 'ineligible', params: { code: 'IDENTITY_DECEASED', message: 'Deceased.' } } }];
    const check = checkDraft(ruleSetText({ ...defaultRuleSet, rules }), defaultRuleSet.name, nameMustStay);
    expect(check.problems).toEqual([expect.objectContaining({ path: `rules[${defaultRuleSet.rules.length}].conditions.all[0].fact`, code: 'RETIRED_FACT', rule: 'identity-deceased' })]);
  });

  it('keeps the draft\'s name, and says where malformed JSON breaks', () => {
    expect(checkDraft(ruleSetText({ ...defaultRuleSet, name: 'other' }), defaultRuleSet.name, nameMustStay).problems[0]).toMatchObject({ path: 'name', message: `name: must stay "${defaultRuleSet.name}"` });
    const malformed = checkDraft('{\n  "name": "x",\n  "rules": [ }', 'x', nameMustStay);
    expect(malformed.document).toBeUndefined();
    expect(malformed.problems).toEqual([expect.objectContaining({ code: 'MALFORMED_JSON', message: expect.stringContaining('line 3') })]);
  });

  it('reads the API\'s INVALID_RULE_SET fields back into problems at their paths', () => {
    expect(problemsFromApiFields({ body: 'MALFORMED_JSON: x', 'rules[1].event': 'y' }).map((problem) => problem.path)).toEqual(['', 'rules[1].event']);
  });
});

const states = (view: ParticipantView) => Object.fromEntries(stageTimeline(view).map((step) => [step.key, step.state]));

describe('the stage timeline', () => {
  it('marks the steps behind an eligible participant done, the wave application current, the rest to come', () => {
    expect(states(participant({}))).toEqual({
      registered: 'done',
      emailVerified: 'done',
      identityVerified: 'done',
      eligibilityDecided: 'done',
      appliedToWave: 'current',
      selected: 'upcoming',
      trainingBought: 'upcoming',
      trainingCompleted: 'upcoming',
      incentivesPaid: 'upcoming',
      surveysDone: 'upcoming',
      completed: 'upcoming',
    });
    expect(stageTimeline(participant({})).find((step) => step.key === 'eligibilityDecided')?.at).toBe('2020-04-11T03:00:00.000Z');
  });

  it('shows how far someone who left got: decided ineligible, or revoked after two incentives', () => {
    const ineligible = states(participant({ stage: 'INELIGIBLE', eligibility: { ...participant({}).eligibility!, outcome: 'INELIGIBLE' } }));
    expect(Object.entries(ineligible).filter(([, state]) => state === 'done').map(([step]) => step)).toEqual(['registered', 'emailVerified', 'identityVerified', 'eligibilityDecided']);
    expect(ineligible.appliedToWave).toBe('skipped');

    const paid = (sequence: number) => ({ kind: 'INCENTIVE' as const, sequence, amount: 600_000, paidAt: `2020-05-0${sequence}T00:00:00.000Z` });
    const revoked = stageTimeline(
      participant({
        stage: 'REVOKED',
        wave: { waveId: '0372c6b0-df13-4130-a098-d40109209d77', number: 1, outcome: 'SELECTED' },
        wavesApplied: 1,
        training: { platformId: 'p', courseId: 'c', purchasedAt: '2020-04-20T00:00:00.000Z', completedAt: '2020-04-25T00:00:00.000Z' },
        payments: [paid(1), paid(2)],
      }),
    );
    expect(revoked.find((step) => step.key === 'incentivesPaid')).toEqual({ key: 'incentivesPaid', state: 'done', at: '2020-05-02T00:00:00.000Z', progress: 2 });
    expect(revoked.find((step) => step.key === 'surveysDone')?.state).toBe('skipped');
  });

  it('marks every step done once the path is completed', () => {
    expect(new Set(Object.values(states(participant({ stage: 'COMPLETED' }))))).toEqual(new Set(['done']));
  });
});

describe('the impact report, read defensively', () => {
  it('keeps what it understands and drops a part of the wrong shape', () => {
    const report = readSimulationReport({
      participants: 10,
      unchanged: 8,
      changed: { total: 2, becameIneligible: 2, somethingNew: 1 },
      byReason: [{ code: 'TEST', newlyFailing: 2, noLongerFailing: 0 }, { newlyFailing: 'many' }],
      byProvince: 'not a list',
      examples: [{ participantId: 'a', change: 'becameIneligible', before: null, after: { outcome: 'INELIGIBLE', priority: 0, reasonCodes: ['TEST'] } }],
    });
    expect(report).toMatchObject({ participants: 10, unchanged: 8, changed: { total: 2, becameIneligible: 2 }, byReason: [{ code: 'TEST', newlyFailing: 2 }], byProvince: [] });
    expect(report?.examples).toHaveLength(1);
    expect(readSimulationReport('no report')).toBeUndefined();
  });
});

describe('rule-set versions on their timeline', () => {
  const version = (name: string, number: number, fields: Partial<RuleSetView>): RuleSetView => ({
    id: `${name}-${number}`,
    name,
    version: number,
    status: 'PUBLISHED',
    effectiveFrom: '2020-04-01T00:00:00.000Z',
    retiredAt: null,
    inForce: false,
    description: '',
    rules: [],
    testCases: [],
    testResults: null,
    revision: 1,
    createdBy: 'pm',
    createdAt: '2020-03-01T00:00:00.000Z',
    updatedAt: '2020-03-01T00:00:00.000Z',
    publishedAt: '2020-03-01T00:00:00.000Z',
    review: { submittedBy: null, submittedAt: null, comment: null, requestedEffectiveFrom: null, approvedBy: null, approvedAt: null, approvalComment: null },
    ...fields,
  });

  it('puts the name in force first, newest version first, and tells each version\'s phase', () => {
    const now = new Date('2020-06-01T00:00:00Z');
    const groups = groupByName([
      version('b', 1, { status: 'DRAFT', updatedAt: '2020-05-01T00:00:00.000Z' }),
      version('a', 1, { inForce: true }),
      version('a', 2, { effectiveFrom: '2021-01-01T00:00:00.000Z' }),
    ]);
    expect(groups.map((group) => [group.name, group.versions.map((entry) => entry.version)])).toEqual([['a', [2, 1]], ['b', [1]]]);
    expect(groups[0]!.versions.map((entry) => phaseOf(entry, now))).toEqual(['scheduled', 'in-force']);
    expect(phaseOf(version('c', 1, { status: 'RETIRED' }), now)).toBe('retired');
    expect(phaseOf(version('c', 2, {}), now)).toBe('superseded');
    expect(phaseOf(version('c', 3, { status: 'IN_REVIEW', effectiveFrom: null }), now)).toBe('in-review');
  });
});
