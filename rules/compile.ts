/**
 * Compiles a validated rule set into one synchronous function for bulk work (simulations over the
 * whole population). Condition trees become closures over the same operator code the explanations
 * use; json-rules-engine is not involved at run time. The differential test holds it to the engine.
 */
import { deriveEligibilityFacts, type EligibilityFacts, type EligibilityInput } from './facts';
import { operatorDefinition } from './operators';
import type { ConditionNode, ValidatedRuleSet } from './rule-set';
import type { Outcome } from './evaluate';

export type CompiledDecision = { outcome: Outcome; priority: number; reasonCodes: string[] };

/**
 * Trusts its input's types and does not re-validate it: bulk callers read rows that were validated
 * when they were stored, and a zod parse per row would cost more than the rules.
 */
export type CompiledRuleSet = (input: EligibilityInput) => CompiledDecision;

type CompiledCondition = (facts: EligibilityFacts) => boolean;

// Plain loops and no wrapper around a lone child: this runs millions of times per simulation.
function compileCondition(node: ConditionNode): CompiledCondition {
  if ('all' in node) {
    const children = node.all.map(compileCondition);
    if (children.length === 1) return children[0]!;
    return (facts) => {
      for (const child of children) if (!child(facts)) return false;
      return true;
    };
  }
  if ('any' in node) {
    const children = node.any.map(compileCondition);
    if (children.length === 1) return children[0]!;
    return (facts) => {
      for (const child of children) if (child(facts)) return true;
      return false;
    };
  }
  if ('not' in node) {
    const child = compileCondition(node.not);
    return (facts) => !child(facts);
  }
  if (node.path !== undefined) throw new Error(`condition on "${node.fact}" has a path; validated rule sets have none (no fact is an object)`);
  const { value } = node;
  const read = FACT_READERS[node.fact];
  const evaluate = operatorDefinition(node.operator).evaluate;
  return (facts) => evaluate(read(facts), value);
}

// One reader per fact: a named property read V8 optimises, where `facts[name]` with a different name
// at each leaf makes one shared, slow lookup.
const FACT_READERS: { [Name in keyof EligibilityFacts]: (facts: EligibilityFacts) => EligibilityFacts[Name] } = {
  age: (facts) => facts.age,
  dateOfBirth: (facts) => facts.dateOfBirth,
  isStudent: (facts) => facts.isStudent,
  socialAidPrograms: (facts) => facts.socialAidPrograms,
  receivesSocialAid: (facts) => facts.receivesSocialAid,
  onLaidOffList: (facts) => facts.onLaidOffList,
  employmentStatus: (facts) => facts.employmentStatus,
  microBusinessLostIncome: (facts) => facts.microBusinessLostIncome,
  province: (facts) => facts.province,
  previousParticipations: (facts) => facts.previousParticipations,
  identityStatus: (facts) => facts.identityStatus,
  channel: (facts) => facts.channel,
  evaluationDate: (facts) => facts.evaluationDate,
};

type CompiledRule =
  | { kind: 'ineligible'; test: CompiledCondition; code: string }
  | { kind: 'priority'; test: CompiledCondition; code: string; points: number };

/** The rule set's decision on facts already derived (`deriveEligibilityFacts`), so bulk work that decides
 * several rule sets on the same participant derives the facts once. */
export type CompiledRuleSetOnFacts = (facts: EligibilityFacts) => CompiledDecision;

export function compileRuleSet(ruleSet: ValidatedRuleSet): CompiledRuleSet {
  const decide = compileRuleSetOnFacts(ruleSet);
  return (input) => decide(deriveEligibilityFacts(input));
}

export function compileRuleSetOnFacts(ruleSet: ValidatedRuleSet): CompiledRuleSetOnFacts {
  const rules: CompiledRule[] = ruleSet.rules.map((rule) =>
    rule.event.type === 'ineligible'
      ? { kind: 'ineligible', test: compileCondition(rule.conditions), code: rule.event.params.code }
      : { kind: 'priority', test: compileCondition(rule.conditions), code: rule.event.params.code, points: rule.event.params.points },
  );
  return (facts) => {
    const reasonCodes: string[] = [];
    let priority = 0;
    for (const rule of rules) {
      if (!rule.test(facts)) continue;
      if (rule.kind === 'ineligible') reasonCodes.push(rule.code);
      else priority += rule.points;
    }
    return { outcome: reasonCodes.length > 0 ? 'INELIGIBLE' : 'ELIGIBLE', priority, reasonCodes };
  };
}
