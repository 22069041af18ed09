/**
 * Test cases that travel with a rule set: named applicants (the facts a decision is made on) with
 * the decision the program manager expects. They run on every save (run-test-cases.ts); a version
 * whose cases do not all pass cannot be published. Expected reason codes must be codes of the rule
 * set's own rules, so a typo is an error when saved, not a case that can never pass. No engine
 * here: the console bundles this with the validator.
 */
import { z } from 'zod';
import type { Outcome } from './evaluate';
import { eligibilityInputSchema, type EligibilityInput } from './facts';
import { isRecord } from './is-record';

const OUTCOMES = ['ELIGIBLE', 'INELIGIBLE'] as const satisfies readonly Outcome[];

/**
 * Checked against the fact catalog's input schema but kept as written: the input's defaults (such
 * as the retired identityStatus) are applied when the case runs, not stored into it.
 */
const caseFactsSchema = z.record(z.string(), z.unknown()).superRefine((facts, context) => {
  const parsed = eligibilityInputSchema.safeParse(facts);
  if (!parsed.success) for (const issue of parsed.error.issues) context.addIssue(issue as Parameters<typeof context.addIssue>[0]);
}) as unknown as z.ZodType<EligibilityInput, EligibilityInput>;

export const testCaseSchema = z.strictObject({
  name: z.string().min(1).max(200),
  facts: caseFactsSchema,
  expect: z
    .strictObject({
      outcome: z.enum(OUTCOMES),
      /** When given: exactly these ineligible reason codes fire, in any order. */
      reasons: z.array(z.string()).optional(),
      /** When given: exactly these priority codes fire, in any order. */
      priorityReasons: z.array(z.string()).optional(),
      /** When given: the priority points add up to this. */
      priority: z.number().int().min(0).optional(),
    })
    .refine((expect) => expect.outcome === 'INELIGIBLE' || (expect.reasons ?? []).length === 0, {
      message: 'an ELIGIBLE outcome has no ineligible reasons',
      path: ['reasons'],
    })
    .refine((expect) => expect.outcome === 'ELIGIBLE' || expect.reasons === undefined || expect.reasons.length > 0, {
      message: 'an INELIGIBLE outcome needs at least one reason (or leave "reasons" out)',
      path: ['reasons'],
    }),
});

export type TestCase = z.output<typeof testCaseSchema>;
/** A case as written (optional facts such as microBusinessLostIncome may be left out). */
export type TestCaseInput = z.input<typeof testCaseSchema>;

export type TestCaseProblem = { code: 'UNKNOWN_REASON_CODE' | 'DUPLICATE_TEST_CASE_NAME'; at: (string | number)[]; problem: string };

/**
 * What the schema cannot see: names must be unique (results are reported by name) and every
 * expected code must be a code of this rule set's rules of the matching kind.
 */
export function testCaseProblems(document: unknown): TestCaseProblem[] {
  if (!isRecord(document) || !Array.isArray(document.testCases)) return [];
  const codes = { reasons: new Set<string>(), priorityReasons: new Set<string>() };
  for (const rule of Array.isArray(document.rules) ? document.rules : []) {
    if (!isRecord(rule) || !isRecord(rule.event) || !isRecord(rule.event.params) || typeof rule.event.params.code !== 'string') continue;
    (rule.event.type === 'priority' ? codes.priorityReasons : codes.reasons).add(rule.event.params.code);
  }
  const problems: TestCaseProblem[] = [];
  const indexByName = new Map<string, number>();
  document.testCases.forEach((testCase: unknown, index) => {
    if (!isRecord(testCase)) return;
    if (typeof testCase.name === 'string') {
      const first = indexByName.get(testCase.name);
      if (first === undefined) indexByName.set(testCase.name, index);
      else problems.push({ code: 'DUPLICATE_TEST_CASE_NAME', at: ['testCases', index, 'name'], problem: `test case name "${testCase.name}" is already used by testCases[${first}]` });
    }
    if (!isRecord(testCase.expect)) return;
    for (const kind of ['reasons', 'priorityReasons'] as const) {
      const expected = testCase.expect[kind];
      if (!Array.isArray(expected)) continue;
      const known = codes[kind];
      expected.forEach((code: unknown, position) => {
        if (typeof code !== 'string' || known.has(code)) return;
        const what = kind === 'reasons' ? 'an ineligible reason code' : 'a priority code';
        problems.push({
          code: 'UNKNOWN_REASON_CODE',
          at: ['testCases', index, 'expect', kind, position],
          problem: `"${code}" is not ${what} of this rule set; known: ${[...known].join(', ') || 'none'}`,
        });
      });
    }
  });
  return problems;
}

/** What a decision (a Try-it result) must stay for a case made from it: the outcome, every code and the points, exactly. */
export function expectationOf(decision: {
  outcome: Outcome;
  reasons: readonly { code: string }[];
  priorityReasons: readonly { code: string }[];
  priority: number;
}): TestCase['expect'] {
  return {
    outcome: decision.outcome,
    reasons: decision.reasons.map((reason) => reason.code),
    priorityReasons: decision.priorityReasons.map((reason) => reason.code),
    priority: decision.priority,
  };
}
