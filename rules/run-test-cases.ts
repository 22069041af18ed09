/** Runs a rule set's test cases with json-rules-engine, as a dry run decides, and says how each differs. */
import { evaluateRuleSet, type Decision, type Outcome } from './evaluate';
import type { ValidatedRuleSet } from './rule-set';
import type { TestCase } from './test-cases';

export type ActualDecision = { outcome: Outcome; reasons: string[]; priorityReasons: string[]; priority: number };
export type TestCaseDifference = { field: 'outcome' | 'reasons' | 'priorityReasons' | 'priority'; expected: unknown; actual: unknown };
export type TestCaseResult = { name: string; passed: boolean; differences: TestCaseDifference[]; actual: ActualDecision };

/** Every case of the rule set, decided with json-rules-engine's semantics (as a dry run is). */
export async function runTestCases(ruleSet: ValidatedRuleSet): Promise<TestCaseResult[]> {
  const results: TestCaseResult[] = [];
  for (const testCase of ruleSet.testCases ?? []) {
    const actual = actualDecision(await evaluateRuleSet(ruleSet, testCase.facts));
    const differences = differencesFrom(testCase.expect, actual);
    results.push({ name: testCase.name, passed: differences.length === 0, differences, actual });
  }
  return results;
}

function actualDecision(decision: Decision): ActualDecision {
  return {
    outcome: decision.outcome,
    reasons: decision.reasons.map((reason) => reason.code),
    priorityReasons: decision.priorityReasons.map((reason) => reason.code),
    priority: decision.priority,
  };
}

function differencesFrom(expect: TestCase['expect'], actual: ActualDecision): TestCaseDifference[] {
  const differences: TestCaseDifference[] = [];
  if (expect.outcome !== actual.outcome) differences.push({ field: 'outcome', expected: expect.outcome, actual: actual.outcome });
  for (const field of ['reasons', 'priorityReasons'] as const) {
    const expected = expect[field];
    if (expected !== undefined && !sameCodes(expected, actual[field])) differences.push({ field, expected: [...expected].sort(), actual: [...actual[field]].sort() });
  }
  if (expect.priority !== undefined && expect.priority !== actual.priority) differences.push({ field: 'priority', expected: expect.priority, actual: actual.priority });
  return differences;
}

function sameCodes(expected: readonly string[], actual: readonly string[]): boolean {
  const want = new Set(expected);
  return want.size === new Set(actual).size && actual.every((code) => want.has(code));
}
