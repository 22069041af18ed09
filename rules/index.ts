/** The public API of the rules engine; other folders import from here. */
export { ageOnDate, isCalendarDate } from './calendar-date';
export { isRecord } from './is-record';
export {
  EMPLOYMENT_STATUSES,
  IDENTITY_STATUSES,
  REGISTRATION_CHANNELS,
  FACT_NAMES,
  factCatalog,
  retiredFactReason,
  deriveEligibilityFacts,
  eligibilityFactsSchema,
  eligibilityInputSchema,
  type EligibilityFacts,
  type EligibilityInput,
  type EmploymentStatus,
  type RegistrationChannel,
  type FactDefinition,
  type FactName,
  type FactType,
  type FactValue,
} from './facts';
export { OPERATOR_NAMES, operatorCatalog, operatorsForFactType, type OperatorDefinition, type OperatorName } from './operators';
export {
  ruleSetSchema,
  jsonRuleSchema,
  conditionNodeSchema,
  ruleEventSchema,
  type ConditionNode,
  type ConditionValue,
  type FactCondition,
  type JsonRule,
  type RuleEvent,
  type RuleSetDefinition,
  type ValidatedRuleSet,
} from './rule-set';
export { validateRuleSet, formatRuleSetErrors, RULE_SET_ERROR_CODES, type RuleSetError, type RuleSetErrorCode, type RuleSetValidation, type RuleSetValidationOptions } from './validate';
export {
  evaluateRuleSet,
  explainCondition,
  InvalidEligibilityInputError,
  type ConditionExplanation,
  type Decision,
  type DecisionReason,
  type Outcome,
  type PriorityReason,
  type RuleExplanation,
} from './evaluate';
export { compileRuleSet, compileRuleSetOnFacts, type CompiledDecision, type CompiledRuleSet, type CompiledRuleSetOnFacts } from './compile';
export { loadDefaultRuleSet } from './default-rule-set';
export { expectationOf, testCaseSchema, type TestCase, type TestCaseInput } from './test-cases';
export { runTestCases, type TestCaseDifference, type TestCaseResult } from './run-test-cases';
