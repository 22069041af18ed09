/**
 * The benchmarks' baseline: the rule sets they measure, written by hand as plain JavaScript, as a
 * programmer would without a rules engine. The benchmarks check that these agree with the engine
 * and the compiled evaluator on every decision they time.
 */
import type { CompiledDecision, EligibilityFacts, RuleSetDefinition } from '../rules';
import { loadDefaultRuleSet } from '../rules';

/** rules/default-rule-set.json (the 2020 program). */
export function defaultRuleSetByHand(facts: EligibilityFacts): CompiledDecision {
  const reasonCodes: string[] = [];
  if (facts.age < 18) reasonCodes.push('UNDER_MINIMUM_AGE');
  if (facts.isStudent) reasonCodes.push('CURRENTLY_STUDENT');
  if (facts.previousParticipations > 0) reasonCodes.push('ALREADY_PARTICIPATED');
  let priority = 0;
  if (facts.onLaidOffList || facts.employmentStatus === 'LAID_OFF') priority += 30;
  else if (facts.employmentStatus === 'FURLOUGHED') priority += 30;
  else if (facts.employmentStatus === 'MICRO_BUSINESS' && facts.microBusinessLostIncome) priority += 30;
  if (facts.socialAidPrograms.length === 0) priority += 20;
  return { outcome: reasonCodes.length > 0 ? 'INELIGIBLE' : 'ELIGIBLE', priority, reasonCodes };
}

export const CANDIDATE_RULE_SET_NAME = 'prakerja-2020-age-cap';

/**
 * The simulation benchmark's candidate: the 2020 program plus an upper age limit (64 or younger on
 * the evaluation date), and "no other social aid" worth 10 points instead of 20.
 */
export function candidateRuleSetDefinition(): RuleSetDefinition {
  const base = loadDefaultRuleSet();
  const rules = base.rules.map((rule) =>
    rule.event.type === 'priority' && rule.event.params.code === 'PRIORITY_NO_OTHER_SOCIAL_AID' ? { ...rule, event: { ...rule.event, params: { ...rule.event.params, points: 10 } } } : rule,
  );
  rules.splice(1, 0, {
    name: 'over-maximum-age',
    conditions: { all: [{ fact: 'age', operator: 'greaterThan', value: 64 }] },
    event: { type: 'ineligible', params: { code: 'OVER_MAXIMUM_AGE', message: 'Applicants must be 64 or younger on the evaluation date.' } },
  });
  return { name: CANDIDATE_RULE_SET_NAME, description: `${base.description} Upper age limit 64; no other social aid weighs 10 points.`, rules };
}

/** candidateRuleSetDefinition(), by hand. */
export function candidateRuleSetByHand(facts: EligibilityFacts): CompiledDecision {
  const reasonCodes: string[] = [];
  if (facts.age < 18) reasonCodes.push('UNDER_MINIMUM_AGE');
  if (facts.age > 64) reasonCodes.push('OVER_MAXIMUM_AGE');
  if (facts.isStudent) reasonCodes.push('CURRENTLY_STUDENT');
  if (facts.previousParticipations > 0) reasonCodes.push('ALREADY_PARTICIPATED');
  let priority = 0;
  if (facts.onLaidOffList || facts.employmentStatus === 'LAID_OFF') priority += 30;
  else if (facts.employmentStatus === 'FURLOUGHED') priority += 30;
  else if (facts.employmentStatus === 'MICRO_BUSINESS' && facts.microBusinessLostIncome) priority += 30;
  if (facts.socialAidPrograms.length === 0) priority += 10;
  return { outcome: reasonCodes.length > 0 ? 'INELIGIBLE' : 'ELIGIBLE', priority, reasonCodes };
}
