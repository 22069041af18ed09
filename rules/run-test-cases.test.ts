import { loadDefaultRuleSet } from './default-rule-set';
import { evaluateRuleSet } from './evaluate';
import type { EligibilityInput } from './facts';
import type { ValidatedRuleSet } from './rule-set';
import { runTestCases } from './run-test-cases';
import { expectationOf, type TestCaseInput } from './test-cases';
import { validateRuleSet } from './validate';

const defaultRuleSet = loadDefaultRuleSet();

const adult: EligibilityInput = {
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

function withCases(testCases: TestCaseInput[]): ValidatedRuleSet {
  const validation = validateRuleSet({ name: defaultRuleSet.name, description: '', rules: defaultRuleSet.rules, testCases });
  if (!validation.ok) throw new Error(JSON.stringify(validation.errors));
  return validation.ruleSet;
}

describe('runTestCases', () => {
  it('passes a case whose expectation matches, field by field', async () => {
    const [result] = await runTestCases(withCases([{ name: 'adult', facts: adult, expect: { outcome: 'ELIGIBLE', reasons: [], priorityReasons: ['PRIORITY_NO_OTHER_SOCIAL_AID'], priority: 20 } }]));
    expect(result).toEqual({
      name: 'adult',
      passed: true,
      differences: [],
      actual: { outcome: 'ELIGIBLE', reasons: [], priorityReasons: ['PRIORITY_NO_OTHER_SOCIAL_AID'], priority: 20 },
    });
  });

  it('names every difference of a failing case, with what was expected and what came out', async () => {
    const [result] = await runTestCases(
      withCases([{ name: 'student', facts: { ...adult, isStudent: true }, expect: { outcome: 'ELIGIBLE', priorityReasons: ['PRIORITY_LAID_OFF'], priority: 30 } }]),
    );
    expect(result?.passed).toBe(false);
    expect(result?.differences).toEqual([
      { field: 'outcome', expected: 'ELIGIBLE', actual: 'INELIGIBLE' },
      { field: 'priorityReasons', expected: ['PRIORITY_LAID_OFF'], actual: ['PRIORITY_NO_OTHER_SOCIAL_AID'] },
      { field: 'priority', expected: 30, actual: 20 },
    ]);
  });

  it('compares reason codes as sets and checks only what the case names', async () => {
    const [both, outcomeOnly] = await runTestCases(
      withCases([
        { name: 'two reasons, either order', facts: { ...adult, dateOfBirth: '2005-01-01', isStudent: true }, expect: { outcome: 'INELIGIBLE', reasons: ['CURRENTLY_STUDENT', 'UNDER_MINIMUM_AGE'] } },
        { name: 'outcome only', facts: { ...adult, employmentStatus: 'LAID_OFF' }, expect: { outcome: 'ELIGIBLE' } },
      ]),
    );
    expect(both?.passed).toBe(true);
    expect(outcomeOnly?.passed).toBe(true);
  });

  it('fails a case that expects one reason when a second one fires too', async () => {
    const [result] = await runTestCases(withCases([{ name: 'young student', facts: { ...adult, dateOfBirth: '2005-01-01', isStudent: true }, expect: { outcome: 'INELIGIBLE', reasons: ['UNDER_MINIMUM_AGE'] } }]));
    expect(result?.differences).toEqual([{ field: 'reasons', expected: ['UNDER_MINIMUM_AGE'], actual: ['CURRENTLY_STUDENT', 'UNDER_MINIMUM_AGE'] }]);
  });

  it('turns a Try-it decision into an expectation that passes', async () => {
    const facts = { ...adult, employmentStatus: 'FURLOUGHED' as const, socialAidPrograms: ['BPNT'] };
    const expectation = expectationOf(await evaluateRuleSet(defaultRuleSet, facts));
    const [result] = await runTestCases(withCases([{ name: 'from try it', facts, expect: expectation }]));
    expect(expectation).toEqual({ outcome: 'ELIGIBLE', reasons: [], priorityReasons: ['PRIORITY_FURLOUGHED'], priority: 30 });
    expect(result?.passed).toBe(true);
  });

  it('stores a case as written: input defaults are applied when it runs, not saved into it', () => {
    const validation = validateRuleSet({ name: 'x', description: '', rules: defaultRuleSet.rules, testCases: [{ name: 'adult', facts: adult, expect: { outcome: 'ELIGIBLE' } }] });
    expect(validation.ok && validation.ruleSet.testCases?.[0]?.facts).toEqual(adult);
  });
});

describe('the default 2020 rule set ships with its cases', () => {
  const cases = defaultRuleSet.testCases ?? [];

  it('passes every one of them', async () => {
    const results = await runTestCases(defaultRuleSet);
    expect(results.filter((result) => !result.passed)).toEqual([]);
    expect(results).toHaveLength(cases.length);
  });

  it('makes every rule fire in some case and stay silent in another', async () => {
    const fired = new Map<string, number>();
    for (const testCase of cases) {
      const decision = await evaluateRuleSet(defaultRuleSet, testCase.facts);
      for (const rule of decision.explanation.rules) if (rule.fired) fired.set(rule.name, (fired.get(rule.name) ?? 0) + 1);
    }
    for (const rule of defaultRuleSet.rules) {
      expect({ rule: rule.name, fires: (fired.get(rule.name) ?? 0) > 0 }).toEqual({ rule: rule.name, fires: true });
      expect({ rule: rule.name, silentSomewhere: (fired.get(rule.name) ?? 0) < cases.length }).toEqual({ rule: rule.name, silentSomewhere: true });
    }
  });

  it('decides the age boundaries and each social-aid program', () => {
    const ageOf = (facts: EligibilityInput) => {
      const [birthYear, birthMonthDay] = [Number(facts.dateOfBirth.slice(0, 4)), facts.dateOfBirth.slice(5)];
      const [year, monthDay] = [Number(facts.evaluationDate.slice(0, 4)), facts.evaluationDate.slice(5)];
      return { years: year - birthYear - (monthDay < birthMonthDay ? 1 : 0), birthday: monthDay === birthMonthDay };
    };
    const ages = cases.map((testCase) => ageOf(testCase.facts));
    expect(ages).toContainEqual({ years: 18, birthday: true });
    expect(ages).toContainEqual({ years: 17, birthday: false });
    expect(ages.map((age) => age.years)).toEqual(expect.arrayContaining([64, 65]));
    const programs = new Set(cases.flatMap((testCase) => testCase.facts.socialAidPrograms));
    for (const program of ['PKH', 'BPNT', 'BLT']) expect(programs).toContain(program);
    expect(cases.some((testCase) => testCase.facts.isStudent)).toBe(true);
  });
});
