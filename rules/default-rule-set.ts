/** The 2020 program's rule set (default-rule-set.json), validated on load, for seeding and tests. */
import defaultRuleSetJson from './default-rule-set.json';
import type { ValidatedRuleSet } from './rule-set';
import { formatRuleSetErrors, validateRuleSet } from './validate';

export function loadDefaultRuleSet(): ValidatedRuleSet {
  const validation = validateRuleSet(defaultRuleSetJson);
  if (!validation.ok) throw new Error(`rules/default-rule-set.json is invalid:\n${formatRuleSetErrors(validation.errors)}`);
  return validation.ruleSet;
}
