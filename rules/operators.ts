/**
 * Every operator a rule may use: which fact types it applies to, what its `value` must be, and how it
 * decides. json-rules-engine's own operators are mirrored here (same code, same edge cases) so the
 * compiled evaluator and the explanations decide exactly as the engine does; the custom operators are
 * registered on the engine from this same table, so there is one implementation of each.
 */
import { Operator } from 'json-rules-engine';
import { isCalendarDate } from './calendar-date';
import type { FactType } from './facts';

export const OPERATOR_NAMES = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'contains',
  'doesNotContain',
  'containsAny',
  'containsAll',
  'containsNone',
  'isEmpty',
  'dateBefore',
  'dateOnOrBefore',
  'dateAfter',
  'dateOnOrAfter',
] as const;

export type OperatorName = (typeof OPERATOR_NAMES)[number];

/**
 * What a condition's `value` must be, relative to its fact:
 * - `fact-type`: a single value of the fact's own type (a number for a number fact, a member for an enum),
 * - `list-of-fact-type`: a non-empty list of such values,
 * - `element` / `element-list`: one string / a non-empty list of strings, for string-array facts,
 * - `boolean`: true or false, whatever the fact.
 */
export type OperatorValueShape = 'fact-type' | 'list-of-fact-type' | 'element' | 'element-list' | 'boolean';

export type OperatorDefinition = {
  /** Built into json-rules-engine (mirrored here) or custom (registered on the engine by `customEngineOperators`). */
  origin: 'json-rules-engine' | 'custom';
  appliesTo: readonly FactType[];
  value: OperatorValueShape;
  description: string;
  evaluate: (factValue: unknown, value: unknown) => boolean;
};

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

// The engine guards its numeric operators with a parseFloat check and then applies JavaScript's `<`;
// a validated rule set only ever compares a number fact with a number value, where this is the same.
function bothNumbers(a: unknown, b: unknown): [number, number] | undefined {
  return typeof a === 'number' && typeof b === 'number' ? [a, b] : undefined;
}

function bothCalendarDates(a: unknown, b: unknown): [string, string] | undefined {
  return isCalendarDate(a) && isCalendarDate(b) ? [a, b] : undefined;
}

const SCALAR_TYPES: readonly FactType[] = ['number', 'boolean', 'string', 'enum', 'date'];
const LIST_TYPES: readonly FactType[] = ['number', 'string', 'enum'];

export const operatorCatalog = {
  equal: {
    origin: 'json-rules-engine',
    appliesTo: SCALAR_TYPES,
    value: 'fact-type',
    description: 'The fact is exactly the value.',
    evaluate: (factValue, value) => factValue === value,
  },
  notEqual: {
    origin: 'json-rules-engine',
    appliesTo: SCALAR_TYPES,
    value: 'fact-type',
    description: 'The fact is not the value.',
    evaluate: (factValue, value) => factValue !== value,
  },
  in: {
    origin: 'json-rules-engine',
    appliesTo: LIST_TYPES,
    value: 'list-of-fact-type',
    description: 'The fact is one of the listed values.',
    evaluate: (factValue, value) => Array.isArray(value) && value.indexOf(factValue) > -1,
  },
  notIn: {
    origin: 'json-rules-engine',
    appliesTo: LIST_TYPES,
    value: 'list-of-fact-type',
    description: 'The fact is none of the listed values.',
    evaluate: (factValue, value) => Array.isArray(value) && value.indexOf(factValue) === -1,
  },
  lessThan: {
    origin: 'json-rules-engine',
    appliesTo: ['number'],
    value: 'fact-type',
    description: 'fact < value.',
    evaluate: (factValue, value) => {
      const numbers = bothNumbers(factValue, value);
      return numbers !== undefined && numbers[0] < numbers[1];
    },
  },
  lessThanInclusive: {
    origin: 'json-rules-engine',
    appliesTo: ['number'],
    value: 'fact-type',
    description: 'fact <= value.',
    evaluate: (factValue, value) => {
      const numbers = bothNumbers(factValue, value);
      return numbers !== undefined && numbers[0] <= numbers[1];
    },
  },
  greaterThan: {
    origin: 'json-rules-engine',
    appliesTo: ['number'],
    value: 'fact-type',
    description: 'fact > value.',
    evaluate: (factValue, value) => {
      const numbers = bothNumbers(factValue, value);
      return numbers !== undefined && numbers[0] > numbers[1];
    },
  },
  greaterThanInclusive: {
    origin: 'json-rules-engine',
    appliesTo: ['number'],
    value: 'fact-type',
    description: 'fact >= value.',
    evaluate: (factValue, value) => {
      const numbers = bothNumbers(factValue, value);
      return numbers !== undefined && numbers[0] >= numbers[1];
    },
  },
  contains: {
    origin: 'json-rules-engine',
    appliesTo: ['string-array'],
    value: 'element',
    description: 'The list fact contains the value.',
    evaluate: (factValue, value) => Array.isArray(factValue) && factValue.indexOf(value) > -1,
  },
  doesNotContain: {
    origin: 'json-rules-engine',
    appliesTo: ['string-array'],
    value: 'element',
    description: 'The list fact does not contain the value.',
    evaluate: (factValue, value) => Array.isArray(factValue) && factValue.indexOf(value) === -1,
  },
  containsAny: {
    origin: 'custom',
    appliesTo: ['string-array'],
    value: 'element-list',
    description: 'The list fact contains at least one of the listed values.',
    evaluate: (factValue, value) => isStringArray(factValue) && isStringArray(value) && value.some((item) => factValue.includes(item)),
  },
  containsAll: {
    origin: 'custom',
    appliesTo: ['string-array'],
    value: 'element-list',
    description: 'The list fact contains every listed value.',
    evaluate: (factValue, value) => isStringArray(factValue) && isStringArray(value) && value.every((item) => factValue.includes(item)),
  },
  containsNone: {
    origin: 'custom',
    appliesTo: ['string-array'],
    value: 'element-list',
    description: 'The list fact contains none of the listed values.',
    evaluate: (factValue, value) => isStringArray(factValue) && isStringArray(value) && !value.some((item) => factValue.includes(item)),
  },
  isEmpty: {
    origin: 'custom',
    appliesTo: ['string-array'],
    value: 'boolean',
    description: 'With value true: the list fact is empty; with value false: it is not.',
    evaluate: (factValue, value) => Array.isArray(factValue) && typeof value === 'boolean' && (factValue.length === 0) === value,
  },
  // ISO YYYY-MM-DD dates order the same as strings, so no Date objects (and no time zones) are involved.
  dateBefore: {
    origin: 'custom',
    appliesTo: ['date'],
    value: 'fact-type',
    description: 'The date fact is strictly before the value.',
    evaluate: (factValue, value) => {
      const dates = bothCalendarDates(factValue, value);
      return dates !== undefined && dates[0] < dates[1];
    },
  },
  dateOnOrBefore: {
    origin: 'custom',
    appliesTo: ['date'],
    value: 'fact-type',
    description: 'The date fact is the value or earlier.',
    evaluate: (factValue, value) => {
      const dates = bothCalendarDates(factValue, value);
      return dates !== undefined && dates[0] <= dates[1];
    },
  },
  dateAfter: {
    origin: 'custom',
    appliesTo: ['date'],
    value: 'fact-type',
    description: 'The date fact is strictly after the value.',
    evaluate: (factValue, value) => {
      const dates = bothCalendarDates(factValue, value);
      return dates !== undefined && dates[0] > dates[1];
    },
  },
  dateOnOrAfter: {
    origin: 'custom',
    appliesTo: ['date'],
    value: 'fact-type',
    description: 'The date fact is the value or later.',
    evaluate: (factValue, value) => {
      const dates = bothCalendarDates(factValue, value);
      return dates !== undefined && dates[0] >= dates[1];
    },
  },
} as const satisfies Record<OperatorName, OperatorDefinition>;

export function isOperatorName(name: unknown): name is OperatorName {
  return typeof name === 'string' && (OPERATOR_NAMES as readonly string[]).includes(name);
}

export function operatorDefinition(name: OperatorName): OperatorDefinition {
  return operatorCatalog[name];
}

export function operatorsForFactType(type: FactType): OperatorName[] {
  return OPERATOR_NAMES.filter((name) => operatorDefinition(name).appliesTo.includes(type));
}

/** The custom operators as json-rules-engine `Operator`s, to add to every engine. */
export function customEngineOperators(): Operator[] {
  return OPERATOR_NAMES.filter((name) => operatorDefinition(name).origin === 'custom').map(
    (name) => new Operator(name, (factValue: unknown, value: unknown) => operatorDefinition(name).evaluate(factValue, value)),
  );
}
