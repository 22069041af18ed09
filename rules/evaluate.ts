/**
 * Evaluates one applicant against a rule set with json-rules-engine (the reference semantics) and
 * explains the decision condition by condition, as plain JSON to store and replay.
 */
import { Engine, type RuleProperties } from 'json-rules-engine';
import { deriveEligibilityFacts, eligibilityInputSchema, type EligibilityFacts, type EligibilityInput, type FactName, type FactValue } from './facts';
import { customEngineOperators, operatorDefinition, type OperatorName } from './operators';
import type { ConditionNode, ConditionValue, JsonRule, RuleEvent, ValidatedRuleSet } from './rule-set';

export type Outcome = 'ELIGIBLE' | 'INELIGIBLE';
/** The criterion's legal basis and its words for the person decided, where the version gives them. */
export type ReasonBasis = { reference?: string; messages?: { id: string; en: string } };
export type DecisionReason = { code: string; message: string; rule: string } & ReasonBasis;
export type PriorityReason = { code: string; message: string; points: number; rule: string } & ReasonBasis;

/** Mirrors the rule's condition tree; every leaf carries the fact value it saw and its own result. */
export type ConditionExplanation =
  | { all: ConditionExplanation[]; result: boolean }
  | { any: ConditionExplanation[]; result: boolean }
  | { not: ConditionExplanation; result: boolean }
  | { fact: FactName; operator: OperatorName; value: ConditionValue; factValue: FactValue; result: boolean };

export type RuleExplanation = { name: string; fired: boolean; event: RuleEvent; conditions: ConditionExplanation };

export type Decision = {
  outcome: Outcome;
  /** Sum of the points of every fired priority rule (computed for ineligible applicants too). */
  priority: number;
  /** Every fired ineligible rule, in rule-set order. */
  reasons: DecisionReason[];
  priorityReasons: PriorityReason[];
  explanation: { evaluationDate: string; facts: EligibilityFacts; rules: RuleExplanation[] };
};

export class InvalidEligibilityInputError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`invalid eligibility input: ${issues.map((issue) => `${issue.path || '(input)'}: ${issue.message}`).join('; ')}`);
    this.name = 'InvalidEligibilityInputError';
  }
}

// Operators are stateless, so every engine can share the same instances.
const CUSTOM_ENGINE_OPERATORS = customEngineOperators();

function toEngineRule(rule: JsonRule): RuleProperties {
  return { name: rule.name, conditions: rule.conditions, event: rule.event, priority: rule.priority };
}

/**
 * Runs json-rules-engine and returns the names of the rules that fired. A fresh engine per run:
 * an engine's run status is shared, so one run finishing while another is between rule-priority
 * groups would make the second skip its remaining rules.
 */
async function firedRuleNames(ruleSet: ValidatedRuleSet, facts: EligibilityFacts): Promise<Set<string>> {
  const engine = new Engine(ruleSet.rules.map(toEngineRule), { allowUndefinedFacts: false });
  for (const operator of CUSTOM_ENGINE_OPERATORS) engine.addOperator(operator);
  const { results } = await engine.run({ ...facts });
  return new Set(results.map((result) => result.name));
}

function copyConditionValue(value: ConditionValue): ConditionValue {
  return Array.isArray(value) ? value.slice() : value;
}

function copyFactValue(value: FactValue): FactValue {
  return Array.isArray(value) ? value.slice() : value;
}

/**
 * Evaluates every leaf, with the same operator code the compiled evaluator uses. json-rules-engine may
 * leave leaves unevaluated when it short-circuits; an auditor needs all of them.
 */
export function explainCondition(node: ConditionNode, facts: EligibilityFacts): ConditionExplanation {
  if ('all' in node) {
    const children = node.all.map((child) => explainCondition(child, facts));
    return { all: children, result: children.every((child) => child.result) };
  }
  if ('any' in node) {
    const children = node.any.map((child) => explainCondition(child, facts));
    return { any: children, result: children.some((child) => child.result) };
  }
  if ('not' in node) {
    const child = explainCondition(node.not, facts);
    return { not: child, result: !child.result };
  }
  if (node.path !== undefined) throw new Error(`condition on "${node.fact}" has a path; validated rule sets have none (no fact is an object)`);
  const factValue = facts[node.fact];
  return {
    fact: node.fact,
    operator: node.operator,
    value: copyConditionValue(node.value),
    factValue: copyFactValue(factValue),
    result: operatorDefinition(node.operator).evaluate(factValue, node.value),
  };
}

function explainRule(rule: JsonRule, facts: EligibilityFacts, firedInEngine: boolean): RuleExplanation {
  const conditions = explainCondition(rule.conditions, facts);
  if (conditions.result !== firedInEngine) {
    // Never expected: it would mean rules/operators.ts no longer decides like json-rules-engine.
    throw new Error(`rule "${rule.name}": json-rules-engine ${firedInEngine ? 'fired' : 'did not fire'} but the condition-by-condition evaluation disagrees`);
  }
  const event: RuleEvent = rule.event.type === 'ineligible' ? { type: 'ineligible', params: { ...rule.event.params } } : { type: 'priority', params: { ...rule.event.params } };
  return { name: rule.name, fired: firedInEngine, event, conditions };
}

/** Only what the version gives: a version published without them keeps deciding as it did. */
function basisOf({ reference, messages }: ReasonBasis): ReasonBasis {
  return { ...(reference !== undefined ? { reference } : {}), ...(messages !== undefined ? { messages } : {}) };
}

/**
 * The decision for one applicant. Throws `InvalidEligibilityInputError` when the input does not
 * match the fact catalog (no decision can be made on bad facts).
 */
export async function evaluateRuleSet(ruleSet: ValidatedRuleSet, input: EligibilityInput): Promise<Decision> {
  const parsedInput = eligibilityInputSchema.safeParse(input);
  if (!parsedInput.success) {
    throw new InvalidEligibilityInputError(parsedInput.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })));
  }
  const facts = deriveEligibilityFacts(parsedInput.data);
  const fired = await firedRuleNames(ruleSet, facts);
  const rules = ruleSet.rules.map((rule) => explainRule(rule, facts, fired.has(rule.name)));

  const reasons: DecisionReason[] = [];
  const priorityReasons: PriorityReason[] = [];
  for (const rule of rules) {
    if (!rule.fired) continue;
    const { code, message } = rule.event.params;
    const basis = basisOf(rule.event.params);
    if (rule.event.type === 'ineligible') reasons.push({ code, message, rule: rule.name, ...basis });
    else priorityReasons.push({ code, message, points: rule.event.params.points, rule: rule.name, ...basis });
  }
  return {
    outcome: reasons.length > 0 ? 'INELIGIBLE' : 'ELIGIBLE',
    priority: priorityReasons.reduce((sum, reason) => sum + reason.points, 0),
    reasons,
    priorityReasons,
    explanation: { evaluationDate: facts.evaluationDate, facts, rules },
  };
}
