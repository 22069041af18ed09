import defaultRuleSetJson from './default-rule-set.json';
import { loadDefaultRuleSet } from './default-rule-set';
import { evaluateRuleSet, InvalidEligibilityInputError, type ConditionExplanation, type Decision } from './evaluate';
import type { EligibilityInput } from './facts';
import type { ValidatedRuleSet } from './rule-set';
import { validateRuleSet } from './validate';

const defaultRuleSet = loadDefaultRuleSet();

const applicant: EligibilityInput = {
  dateOfBirth: '2002-04-12',
  isStudent: false,
  socialAidPrograms: ['PKH'],
  onLaidOffList: true,
  employmentStatus: 'FURLOUGHED',
  province: 'Jawa Timur',
  previousParticipations: 0,
  identityStatus: 'MATCH',
  channel: 'ASSISTED',
  evaluationDate: '2020-04-11',
};

function validRuleSet(json: unknown): ValidatedRuleSet {
  const validation = validateRuleSet(json);
  if (!validation.ok) throw new Error(JSON.stringify(validation.errors));
  return validation.ruleSet;
}

function leaves(node: ConditionExplanation): ConditionExplanation[] {
  if ('all' in node) return node.all.flatMap(leaves);
  if ('any' in node) return node.any.flatMap(leaves);
  if ('not' in node) return leaves(node.not);
  return [node];
}

/** True when every value is a JSON primitive, a plain array or a plain object: storable as it is. */
function isPlainJson(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every(isPlainJson);
  return false;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('evaluateRuleSet', () => {
  let decision: Decision;
  beforeAll(async () => {
    decision = await evaluateRuleSet(defaultRuleSet, applicant);
  });

  it('decides and explains', () => {
    expect(decision.outcome).toBe('INELIGIBLE');
    // Each reason carries its rule's legal basis and its words for the person, in both languages.
    const basisOf = (name: string) => {
      const { reference, messages } = defaultRuleSetJson.rules.find((rule) => rule.name === name)!.event.params;
      return { reference, messages };
    };
    expect(decision.reasons).toEqual([{ code: 'UNDER_MINIMUM_AGE', message: 'Applicants must be 18 or older on the evaluation date.', rule: 'under-minimum-age', ...basisOf('under-minimum-age') }]);
    expect(decision.reasons[0]!.messages!.id).toMatch(/belum berusia 18 tahun/);
    expect(decision.priorityReasons).toEqual([
      { code: 'PRIORITY_LAID_OFF', message: "Laid off, or on the Ministry of Manpower's list of laid-off and sent-home workers.", points: 30, rule: 'priority-laid-off', ...basisOf('priority-laid-off') },
    ]);
    expect(decision.explanation.evaluationDate).toBe('2020-04-11');
    expect(decision.explanation.facts).toMatchObject({ age: 17, receivesSocialAid: true, microBusinessLostIncome: false });
  });

  it('explains every rule, in order, with a result and a fact value on every leaf', () => {
    const { rules } = decision.explanation;
    expect(rules.map((rule) => rule.name)).toEqual(defaultRuleSet.rules.map((rule) => rule.name));
    for (const rule of rules) {
      expect(rule.conditions.result).toBe(rule.fired);
      for (const leaf of leaves(rule.conditions)) {
        expect(leaf).toEqual(expect.objectContaining({ factValue: expect.anything(), result: expect.any(Boolean) }));
      }
    }
    expect(rules[0]).toEqual({
      name: 'under-minimum-age',
      fired: true,
      event: defaultRuleSet.rules[0]?.event,
      conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 18, factValue: 17, result: true }], result: true },
    });
  });

  it('shows the leaves an any-condition did not need, with their own results', () => {
    const laidOffRule = decision.explanation.rules.find((rule) => rule.name === 'priority-laid-off');
    expect(laidOffRule?.conditions).toEqual({
      any: [
        { fact: 'onLaidOffList', operator: 'equal', value: true, factValue: true, result: true },
        { fact: 'employmentStatus', operator: 'equal', value: 'LAID_OFF', factValue: 'FURLOUGHED', result: false },
      ],
      result: true,
    });
  });

  it('returns plain JSON that survives a round trip (for the database and Temporal histories)', () => {
    expect(isPlainJson(decision)).toBe(true);
    expect(JSON.parse(JSON.stringify(decision))).toEqual(decision);
  });

  it('changes neither the input nor the rule set', async () => {
    const frozenRuleSet = deepFreeze(structuredClone(defaultRuleSet));
    const frozenInput = deepFreeze(structuredClone(applicant));
    await expect(evaluateRuleSet(frozenRuleSet, frozenInput)).resolves.toEqual(decision);
  });

  it('depends on the evaluation date it is given, not the clock', async () => {
    const later = await evaluateRuleSet(defaultRuleSet, { ...applicant, evaluationDate: '2020-04-12' });
    expect(later.outcome).toBe('ELIGIBLE');
    expect(later.explanation.facts.age).toBe(18);
  });

  it('gives the same decisions when many run at once, with rules at several engine priorities', async () => {
    const ruleSet = validRuleSet({
      ...defaultRuleSet,
      rules: defaultRuleSet.rules.map((rule, index) => ({ ...rule, priority: 1 + (index % 3) })),
    });
    const inputs = Array.from({ length: 40 }, (_, index) => ({ ...applicant, dateOfBirth: `${1985 + (index % 20)}-04-11`, isStudent: index % 3 === 0 }));
    const oneByOne: Decision[] = [];
    for (const input of inputs) oneByOne.push(await evaluateRuleSet(ruleSet, input));
    await expect(Promise.all(inputs.map((input) => evaluateRuleSet(ruleSet, input)))).resolves.toEqual(oneByOne);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a missing fact', { isStudent: undefined }],
    ['an impossible date', { dateOfBirth: '2001-02-29' }],
    ['a birth after the evaluation date', { dateOfBirth: '2020-05-01' }],
    ['an unknown fact', { salary: 1 }],
  ])('refuses input with %s', async (_problem, change) => {
    const input: unknown = { ...applicant, ...change };
    // @ts-expect-error: deliberately bad input, as it could arrive from outside TypeScript
    await expect(evaluateRuleSet(defaultRuleSet, input)).rejects.toThrow(InvalidEligibilityInputError);
  });
});
