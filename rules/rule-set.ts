/**
 * The rule-set data type: json-rules-engine rules plus metadata, and the one zod schema for its
 * structure. The schema checks shape only (node kinds, the operator list, the event contract);
 * `validateRuleSet` adds the walk that checks each condition against the fact catalog.
 */
import { z } from 'zod';
import { factNameSchema, type FactName } from './facts';
import { OPERATOR_NAMES, type OperatorName } from './operators';
import { testCaseSchema } from './test-cases';

export type ConditionValue = string | number | boolean | string[] | number[];

/** A leaf: `<fact> <operator> <value>`. `path` is json-rules-engine's selector into object facts. */
export type FactCondition = { fact: FactName; operator: OperatorName; value: ConditionValue; path?: string };
export type AllCondition = { all: ConditionNode[] };
export type AnyCondition = { any: ConditionNode[] };
export type NotCondition = { not: ConditionNode };
export type ConditionNode = AllCondition | AnyCondition | NotCondition | FactCondition;
/** json-rules-engine requires the root of a rule's conditions to be all, any or not. */
export type TopLevelCondition = AllCondition | AnyCondition | NotCondition;

export const conditionValueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  z.array(z.number()),
]);

export const factConditionSchema = z.strictObject({
  fact: factNameSchema,
  operator: z.enum(OPERATOR_NAMES),
  value: conditionValueSchema,
  path: z.string().optional(),
});

// Node kinds are told apart by their keys; strict objects make `{ all, any }` or stray keys an error.
// Condition `priority`, `params`, `name` and `{ condition: ref }` are left out on purpose: every leaf is
// evaluated, in no particular order, and rules stay self-contained.
function booleanConditionSchemas() {
  return [
    z.strictObject({ all: z.array(conditionNodeSchema).min(1) }),
    z.strictObject({ any: z.array(conditionNodeSchema).min(1) }),
    z.strictObject({ not: conditionNodeSchema }),
  ] as const;
}

export const conditionNodeSchema: z.ZodType<ConditionNode> = z.lazy(() =>
  z.union([...booleanConditionSchemas(), factConditionSchema]),
);

export const topLevelConditionSchema: z.ZodType<TopLevelCondition> = z.lazy(() => z.union(booleanConditionSchemas()));

const REASON_CODE_PATTERN = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const reasonCodeSchema = z.string().regex(REASON_CODE_PATTERN, { message: 'must be UPPER_SNAKE_CASE' });

/**
 * What the person decided reads about a criterion, in Bahasa Indonesia and English: plain words,
 * no codes. (`message` is the program's own description of the rule, for staff.)
 */
export const participantMessagesSchema = z.strictObject({
  id: z.string().trim().min(1).max(1_000),
  en: z.string().trim().min(1).max(1_000),
});
/** The legal basis of a criterion: the regulation and its article, as an auditor would cite it. */
export const legalReferenceSchema = z.string().trim().min(1).max(1_000);

/** Optional on a draft; a version is submitted or published only when every rule has both (validate.ts). */
const legalBasis = { reference: legalReferenceSchema.optional(), messages: participantMessagesSchema.optional() };

export const ineligibleEventSchema = z.strictObject({
  type: z.literal('ineligible'),
  params: z.strictObject({ code: reasonCodeSchema, message: z.string().min(1), ...legalBasis }),
});

export const priorityEventSchema = z.strictObject({
  type: z.literal('priority'),
  params: z.strictObject({ points: z.number().int().positive(), code: reasonCodeSchema, message: z.string().min(1), ...legalBasis }),
});

/** The one event contract: an `ineligible` reason, or `priority` points, each with a code, a message, and (to publish) its legal basis. */
export const ruleEventSchema = z.discriminatedUnion('type', [ineligibleEventSchema, priorityEventSchema]);

export const jsonRuleSchema = z.strictObject({
  name: z.string().min(1),
  conditions: topLevelConditionSchema,
  event: ruleEventSchema,
  /** json-rules-engine's evaluation order only; it never changes a decision, since every rule is evaluated. */
  priority: z.number().int().min(1).optional(),
});

export const ruleSetSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string(),
  rules: z.array(jsonRuleSchema).min(1),
  /** Named applicants with the decision expected for each; left out, a draft keeps the cases it has (rules/test-cases.ts). */
  testCases: z.array(testCaseSchema).optional(),
});

export type IneligibleEvent = z.infer<typeof ineligibleEventSchema>;
export type PriorityEvent = z.infer<typeof priorityEventSchema>;
export type RuleEvent = z.infer<typeof ruleEventSchema>;
export type JsonRule = z.infer<typeof jsonRuleSchema>;
export type RuleSetDefinition = z.infer<typeof ruleSetSchema>;

declare const validatedRuleSetBrand: unique symbol;
/**
 * A rule set that passed `validateRuleSet` (schema and fact-catalog walk). Only the validator makes one,
 * so evaluation and compilation can rely on every fact, operator and value being right.
 */
export type ValidatedRuleSet = RuleSetDefinition & { readonly [validatedRuleSetBrand]: true };
