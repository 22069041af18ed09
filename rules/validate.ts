/**
 * Validates a rule set when it is loaded: one zod schema for the structure, then one walk that checks
 * every condition against the fact catalog (operator fits the fact's type, value fits both). Every
 * problem is reported, each with the path into the rule set and the rule's name.
 */
import type { z } from 'zod';
import { isCalendarDate } from './calendar-date';
import { factCatalog, isFactName, retiredFactReason, type FactDefinition, type FactName } from './facts';
import { isRecord } from './is-record';
import { findJsonSyntaxProblem } from './json-syntax';
import { isOperatorName, operatorDefinition, operatorsForFactType, type OperatorValueShape } from './operators';
import { conditionValueSchema, ruleSetSchema, type ValidatedRuleSet } from './rule-set';
import { testCaseProblems } from './test-cases';

export const RULE_SET_ERROR_CODES = [
  'MALFORMED_JSON',
  'INVALID_TYPE',
  'MISSING_FIELD',
  'UNKNOWN_PROPERTY',
  'NO_RULES',
  'EMPTY_CONDITIONS',
  'INVALID_CONDITION',
  'INVALID_CONDITION_ROOT',
  'UNKNOWN_FACT',
  'RETIRED_FACT',
  'UNKNOWN_OPERATOR',
  'OPERATOR_NOT_ALLOWED_FOR_FACT',
  'VALUE_TYPE_MISMATCH',
  'VALUE_NOT_IN_ENUM',
  'INVALID_DATE_VALUE',
  'EMPTY_VALUE_LIST',
  'PATH_ON_NON_OBJECT_FACT',
  'UNKNOWN_EVENT_TYPE',
  'INVALID_EVENT_CODE',
  'INVALID_POINTS',
  'INVALID_RULE_PRIORITY',
  'DUPLICATE_RULE_NAME',
  'DUPLICATE_EVENT_CODE',
  'SCHEMA_VIOLATION',
  'UNKNOWN_REASON_CODE',
  'DUPLICATE_TEST_CASE_NAME',
  'MISSING_LEGAL_REFERENCE',
  'MISSING_PARTICIPANT_MESSAGE',
] as const;

export type RuleSetErrorCode = (typeof RULE_SET_ERROR_CODES)[number];

/** `path` is like `rules[2].conditions.all[1].operator` ("" for the whole document). */
export type RuleSetError = { path: string; rule?: string; code: RuleSetErrorCode; message: string };

export type RuleSetValidation = { ok: true; ruleSet: ValidatedRuleSet } | { ok: false; errors: RuleSetError[] };

export interface RuleSetValidationOptions {
  /**
   * Accept conditions on retired facts: for versions already stored, which keep deciding as they
   * did when published. A draft (the default) may not name a retired fact.
   */
  allowRetiredFacts?: boolean;
  /**
   * Checked as a version about to reach people (submitted for review or published): every rule
   * must name its legal basis and say in Bahasa Indonesia and English what it means for the person.
   */
  forPublication?: boolean;
}

type PathSegment = string | number;
type Issue = z.core.$ZodIssue;

const CONDITION_KINDS = ['all', 'any', 'not', 'fact'] as const;
type ConditionKind = (typeof CONDITION_KINDS)[number];
const EVENT_TYPES_TEXT = '"ineligible" or "priority"';

function formatPath(segments: readonly PathSegment[]): string {
  return segments.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}

function valueAt(document: unknown, segments: readonly PathSegment[]): unknown {
  let current = document;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (!isRecord(current)) return undefined;
      current = current[segment];
    }
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `${Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value} ${shown}`;
}

/** Tells condition nodes apart by their keys, as json-rules-engine does; a leaf is anything with fact/operator/value. */
function conditionKinds(node: Record<string, unknown>): ConditionKind[] {
  const kinds: ConditionKind[] = [];
  if ('all' in node) kinds.push('all');
  if ('any' in node) kinds.push('any');
  if ('not' in node) kinds.push('not');
  if ('fact' in node || 'operator' in node || 'value' in node) kinds.push('fact');
  return kinds;
}

function compareSegments(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    const left = a[index];
    const right = b[index];
    if (left === right) continue;
    if (typeof left === 'number' && typeof right === 'number') return left - right;
    return String(left) < String(right) ? -1 : 1;
  }
  return a.length - b.length;
}

function isRuleConditionsRoot(segments: readonly PathSegment[]): boolean {
  return segments.length === 3 && segments[0] === 'rules' && segments[2] === 'conditions';
}

/** Collects errors; knows the document so it can name the rule each path belongs to. */
class RuleSetErrorList {
  private readonly entries: { segments: readonly PathSegment[]; error: RuleSetError }[] = [];

  constructor(private readonly document: unknown) {}

  add(code: RuleSetErrorCode, segments: readonly PathSegment[], problem: string): void {
    const path = formatPath(segments);
    const error: RuleSetError = { path, code, message: path === '' ? problem : `${path}: ${problem}` };
    const rule = this.ruleNameAt(segments);
    if (rule !== undefined) error.rule = rule;
    this.entries.push({ segments, error });
  }

  get count(): number {
    return this.entries.length;
  }

  /** Schema and walk errors interleaved by rule, so a reader fixes rule 0, then rule 1, ... */
  inDocumentOrder(): RuleSetError[] {
    return [...this.entries].sort((a, b) => compareSegments(a.segments, b.segments)).map((entry) => entry.error);
  }

  private ruleNameAt(segments: readonly PathSegment[]): string | undefined {
    if (segments[0] !== 'rules' || typeof segments[1] !== 'number') return undefined;
    const name = valueAt(this.document, ['rules', segments[1], 'name']);
    return typeof name === 'string' && name !== '' ? name : undefined;
  }
}

// ---- Part 1: the schema's issues, translated into codes and messages a program manager can act on.

function describeSchemaIssues(issues: readonly Issue[], base: readonly PathSegment[], errors: RuleSetErrorList, document: unknown): void {
  for (const issue of issues) {
    const segments = [...base, ...issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol')];
    const field = segments[segments.length - 1];
    const value = valueAt(document, segments);
    const missing = value === undefined && isRecord(valueAt(document, segments.slice(0, -1)));

    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.add('UNKNOWN_PROPERTY', [...segments, key], `unknown property "${key}"`);
    } else if (issue.code === 'invalid_union' && issue.discriminator !== undefined) {
      if (missing) errors.add('MISSING_FIELD', segments, `"type" is required; expected ${EVENT_TYPES_TEXT}`);
      else errors.add('UNKNOWN_EVENT_TYPE', segments, `unknown event type ${JSON.stringify(value)}; expected ${EVENT_TYPES_TEXT}`);
    } else if (missing && field !== undefined) {
      errors.add('MISSING_FIELD', segments, `"${field}" is required`);
    } else if (issue.code === 'invalid_union' && field === 'value' && isRecord(value) && 'fact' in value) {
      errors.add('VALUE_TYPE_MISMATCH', segments, 'a value that refers to another fact ({ "fact": ... }) is not supported; compare with a constant');
    } else if (issue.code === 'invalid_union' && field === 'value') {
      errors.add('VALUE_TYPE_MISMATCH', segments, `value must be a string, number, boolean, or a list of strings or of numbers, got ${describeValue(value)}`);
    } else if (issue.code === 'invalid_union') {
      describeConditionUnionIssue(issue, segments, errors, document);
    } else if (issue.code === 'invalid_value' && field === 'fact') {
      errors.add('UNKNOWN_FACT', segments, `unknown fact ${JSON.stringify(value)}; known facts: ${Object.keys(factCatalog).join(', ')}`);
    } else if (issue.code === 'invalid_value' && field === 'operator') {
      errors.add('UNKNOWN_OPERATOR', segments, `unknown operator ${JSON.stringify(value)}; known operators: ${issue.values.join(', ')}`);
    } else if (issue.code === 'too_small' && (field === 'all' || field === 'any')) {
      errors.add('EMPTY_CONDITIONS', segments, `"${field}" needs at least one condition (json-rules-engine would treat an empty list as true)`);
    } else if (issue.code === 'too_small' && field === 'rules' && segments.length === 1) {
      errors.add('NO_RULES', segments, 'a rule set needs at least one rule');
    } else if (issue.code === 'too_small' && issue.origin === 'string') {
      errors.add('MISSING_FIELD', segments, `"${String(field)}" must not be empty`);
    } else if (field === 'points' && (issue.code === 'too_small' || issue.code === 'invalid_type')) {
      errors.add('INVALID_POINTS', segments, `points must be a whole number greater than 0, got ${describeValue(value)}`);
    } else if (field === 'priority' && segments.length === 3 && (issue.code === 'too_small' || issue.code === 'invalid_type')) {
      errors.add('INVALID_RULE_PRIORITY', segments, `rule priority (evaluation order) must be a whole number of at least 1, got ${describeValue(value)}`);
    } else if (issue.code === 'invalid_format' && field === 'code') {
      errors.add('INVALID_EVENT_CODE', segments, `event code ${JSON.stringify(value)} must be UPPER_SNAKE_CASE, like UNDER_MINIMUM_AGE`);
    } else if (issue.code === 'invalid_type') {
      errors.add('INVALID_TYPE', segments, `must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}, got ${describeValue(value)}`);
    } else {
      errors.add('SCHEMA_VIOLATION', segments, issue.message);
    }
  }
}

/**
 * zod reports a condition that matches none of the node kinds with the issues of every kind. The keys
 * say which kind was meant, so only that kind's issues are reported (with their paths).
 */
function describeConditionUnionIssue(issue: Extract<Issue, { code: 'invalid_union' }>, segments: PathSegment[], errors: RuleSetErrorList, document: unknown): void {
  const node = valueAt(document, segments);
  const expected = 'a condition is an object with exactly one of "all", "any", "not", or "fact"/"operator"/"value"';
  if (!isRecord(node)) return errors.add('INVALID_CONDITION', segments, `${expected}, got ${describeValue(node)}`);
  const kinds = conditionKinds(node);
  const kind = kinds[0];
  if (kind === undefined) return errors.add('INVALID_CONDITION', segments, `${expected}; it has none of them`);
  if (kinds.length > 1) return errors.add('INVALID_CONDITION', segments, `${expected}; it mixes ${kinds.map((name) => `"${name}"`).join(' and ')}`);
  if (kind === 'fact' && isRuleConditionsRoot(segments)) {
    return errors.add('INVALID_CONDITION_ROOT', segments, 'the root of a rule\'s conditions must be "all", "any" or "not"; wrap this condition as { "all": [ ... ] }');
  }
  describeSchemaIssues(issue.errors[CONDITION_KINDS.indexOf(kind)] ?? [], segments, errors, document);
}

// ---- Part 2: the walk over every condition, against the fact catalog.

type ValueProblem = { code: RuleSetErrorCode; at: PathSegment[]; problem: string };

function checkScalarValue(value: unknown, fact: FactName, definition: FactDefinition, at: PathSegment[]): ValueProblem | undefined {
  const mismatch = (expected: string): ValueProblem => ({
    code: 'VALUE_TYPE_MISMATCH',
    at,
    problem: `fact "${fact}" is a ${definition.type}, so the value must be ${expected}, got ${describeValue(value)}`,
  });
  switch (definition.type) {
    case 'number':
      return typeof value === 'number' ? undefined : mismatch('a number');
    case 'boolean':
      return typeof value === 'boolean' ? undefined : mismatch('true or false');
    case 'string':
      return typeof value === 'string' ? undefined : mismatch('a string');
    case 'enum':
      if (typeof value !== 'string') return mismatch(`one of ${definition.values.join(', ')}`);
      if (definition.values.includes(value)) return undefined;
      return { code: 'VALUE_NOT_IN_ENUM', at, problem: `"${value}" is not a value of fact "${fact}"; expected one of ${definition.values.join(', ')}` };
    case 'date':
      if (typeof value !== 'string') return mismatch('a date string YYYY-MM-DD');
      return isCalendarDate(value) ? undefined : { code: 'INVALID_DATE_VALUE', at, problem: `"${value}" is not a calendar date in YYYY-MM-DD form` };
    case 'string-array':
      return mismatch('a list element');
    default: {
      // A new fact type must say here what its values look like.
      const unhandled: never = definition;
      throw new Error(`no value check for fact type ${JSON.stringify(unhandled)}`);
    }
  }
}

function checkConditionValue(value: unknown, shape: OperatorValueShape, fact: FactName, operator: string): ValueProblem[] {
  const definition = factCatalog[fact];
  const at: PathSegment[] = ['value'];
  const mismatch = (expected: string): ValueProblem[] => [
    { code: 'VALUE_TYPE_MISMATCH', at, problem: `operator "${operator}" on fact "${fact}" needs ${expected}, got ${describeValue(value)}` },
  ];
  const emptyList: ValueProblem[] = [{ code: 'EMPTY_VALUE_LIST', at, problem: `operator "${operator}" needs a non-empty list (an empty one makes the condition constant)` }];
  switch (shape) {
    case 'boolean':
      return typeof value === 'boolean' ? [] : mismatch('true or false');
    case 'element':
      return typeof value === 'string' ? [] : mismatch('a single string (one element of the list)');
    case 'element-list':
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return mismatch('a list of strings');
      return value.length === 0 ? emptyList : [];
    case 'fact-type': {
      const problem = checkScalarValue(value, fact, definition, at);
      return problem ? [problem] : [];
    }
    case 'list-of-fact-type':
      if (!Array.isArray(value)) return mismatch(`a list of ${definition.type} values`);
      if (value.length === 0) return emptyList;
      return value.flatMap((item: unknown, index) => checkScalarValue(item, fact, definition, ['value', index]) ?? []);
  }
}

function checkFactCondition(node: Record<string, unknown>, segments: PathSegment[], errors: RuleSetErrorList, options: RuleSetValidationOptions): void {
  const { fact, operator } = node;
  if (!isFactName(fact)) return; // the schema has reported it
  const retired = retiredFactReason(fact);
  if (retired !== undefined && !options.allowRetiredFacts) {
    errors.add('RETIRED_FACT', [...segments, 'fact'], `fact "${fact}" is retired: ${retired}; remove this condition`);
    return;
  }
  const definition = factCatalog[fact];
  if ('path' in node) {
    errors.add('PATH_ON_NON_OBJECT_FACT', [...segments, 'path'], `"path" selects inside object facts, but fact "${fact}" is a ${definition.type}; compare the fact itself`);
  }
  if (!isOperatorName(operator)) return;
  const operatorDefinitionForCondition = operatorDefinition(operator);
  if (!operatorDefinitionForCondition.appliesTo.includes(definition.type)) {
    errors.add(
      'OPERATOR_NOT_ALLOWED_FOR_FACT',
      [...segments, 'operator'],
      `operator "${operator}" cannot be used on fact "${fact}" of type ${definition.type}; use one of ${operatorsForFactType(definition.type).join(', ')}`,
    );
    return;
  }
  if (!('value' in node) || !conditionValueSchema.safeParse(node.value).success) return;
  for (const problem of checkConditionValue(node.value, operatorDefinitionForCondition.value, fact, operator)) {
    errors.add(problem.code, [...segments, ...problem.at], problem.problem);
  }
}

function walkCondition(node: unknown, segments: PathSegment[], errors: RuleSetErrorList, options: RuleSetValidationOptions): void {
  if (!isRecord(node)) return;
  const kinds = conditionKinds(node);
  if (kinds.length !== 1) return; // the schema has reported it
  const { all, any } = node;
  if (Array.isArray(all)) all.forEach((child: unknown, index) => walkCondition(child, [...segments, 'all', index], errors, options));
  if (Array.isArray(any)) any.forEach((child: unknown, index) => walkCondition(child, [...segments, 'any', index], errors, options));
  if (kinds[0] === 'not') walkCondition(node.not, [...segments, 'not'], errors, options);
  if (kinds[0] === 'fact') checkFactCondition(node, segments, errors, options);
}

function walkRuleSet(document: unknown, errors: RuleSetErrorList, options: RuleSetValidationOptions): void {
  if (!isRecord(document) || !Array.isArray(document.rules)) return;
  const ruleIndexByName = new Map<string, number>();
  const ruleIndexByEventCode = new Map<string, number>();
  document.rules.forEach((rule: unknown, index) => {
    if (!isRecord(rule)) return;
    if (typeof rule.name === 'string' && rule.name !== '') {
      const firstIndex = ruleIndexByName.get(rule.name);
      if (firstIndex === undefined) ruleIndexByName.set(rule.name, index);
      else errors.add('DUPLICATE_RULE_NAME', ['rules', index, 'name'], `rule name "${rule.name}" is already used by rules[${firstIndex}]; names identify rules in decisions`);
    }
    const code = valueAt(rule, ['event', 'params', 'code']);
    if (typeof code === 'string' && code !== '') {
      const firstIndex = ruleIndexByEventCode.get(code);
      if (firstIndex === undefined) ruleIndexByEventCode.set(code, index);
      // One code, one rule: otherwise a reason is ambiguous and two priority rules could silently add up.
      else errors.add('DUPLICATE_EVENT_CODE', ['rules', index, 'event', 'params', 'code'], `event code "${code}" is already used by rules[${firstIndex}]; each code must come from one rule`);
    }
    walkCondition(rule.conditions, ['rules', index, 'conditions'], errors, options);
    if (options.forPublication) checkLegalBasis(rule, index, errors);
  });
  for (const problem of testCaseProblems(document)) errors.add(problem.code, problem.at, problem.problem);
}

/** A version that decides people's access to money says why, in law and in words they read. */
function checkLegalBasis(rule: Record<string, unknown>, index: number, errors: RuleSetErrorList): void {
  const params = valueAt(rule, ['event', 'params']);
  if (!isRecord(params)) return;
  if (params.reference === undefined) {
    errors.add('MISSING_LEGAL_REFERENCE', ['rules', index, 'event', 'params', 'reference'], 'a rule that decides people names its legal basis (the regulation and article) before it is published');
  }
  if (params.messages === undefined) {
    errors.add('MISSING_PARTICIPANT_MESSAGE', ['rules', index, 'event', 'params', 'messages'], 'a rule that decides people says what it means for them, in Bahasa Indonesia and English ({ "id": …, "en": … }), before it is published');
  }
}

// ---- The entry point.

/** Accepts the rule set as parsed JSON or as JSON text; validates it as a draft unless the options say otherwise. */
export function validateRuleSet(json: unknown, options: RuleSetValidationOptions = {}): RuleSetValidation {
  let document = json;
  if (typeof json === 'string') {
    try {
      document = JSON.parse(json);
    } catch (parseError) {
      const syntax = findJsonSyntaxProblem(json);
      const where = syntax ? `line ${syntax.line}, column ${syntax.column} (position ${syntax.position})` : 'an unknown position';
      const problem = syntax?.problem ?? (parseError instanceof Error ? parseError.message : String(parseError));
      return { ok: false, errors: [{ path: '', code: 'MALFORMED_JSON', message: `malformed JSON at ${where}: ${problem}` }] };
    }
  }
  const errors = new RuleSetErrorList(document);
  const parsed = ruleSetSchema.safeParse(document);
  if (!parsed.success) describeSchemaIssues(parsed.error.issues, [], errors, document);
  walkRuleSet(document, errors, options);
  if (!parsed.success || errors.count > 0) return { ok: false, errors: errors.inDocumentOrder() };
  // The one place the brand is granted: the schema and the catalog walk both passed.
  return { ok: true, ruleSet: parsed.data as ValidatedRuleSet };
}

/** One line per error, for logs and command-line tools. */
export function formatRuleSetErrors(errors: readonly RuleSetError[]): string {
  return errors.map((error) => `${error.code} ${error.rule ? `(rule "${error.rule}") ` : ''}${error.message}`).join('\n');
}
