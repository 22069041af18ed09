// A rule's conditions in words, for the table view that reviewers and auditors read and print:
// "age on the evaluation date is less than 18". Pure (the words come from the dictionary), so the
// phrasing is tested without a browser. Anything it does not recognise is shown as its JSON rather
// than guessed at: a draft may be half-written.
import { isRecord } from '../../../rules/is-record';

export interface RuleWords {
  /** Each fact as a noun phrase: "age on the evaluation date". */
  facts: Readonly<Record<string, string>>;
  /** Each operator as a verb phrase: "is less than". */
  operators: Readonly<Record<string, string>>;
  isEmpty: string;
  isNotEmpty: string;
  not: string;
  allOf: string;
  anyOf: string;
  none: string;
  /** Joins the last two values of a list: "A, B or C". */
  or: string;
}

function valueInWords(value: unknown, words: RuleWords): string {
  if (typeof value === 'string') return `“${value}”`;
  if (Array.isArray(value)) {
    if (value.length === 0) return words.none;
    const items = value.map((item) => valueInWords(item, words));
    return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} ${words.or} ${items.at(-1)}`;
  }
  return JSON.stringify(value) ?? String(value);
}

function leafInWords(node: Record<string, unknown>, words: RuleWords): string {
  const fact = typeof node.fact === 'string' ? (words.facts[node.fact] ?? node.fact) : JSON.stringify(node.fact);
  const operator = typeof node.operator === 'string' ? node.operator : '';
  const { value } = node;
  if (operator === 'isEmpty') return `${fact} ${value === false ? words.isNotEmpty : words.isEmpty}`;
  // A yes/no fact reads as itself, or its negation: "currently a student", "not on the laid-off list".
  if (typeof value === 'boolean' && (operator === 'equal' || operator === 'notEqual')) return (value === (operator === 'equal')) ? fact : `${words.not} ${fact}`;
  return `${fact} ${words.operators[operator] ?? operator} ${valueInWords(value, words)}`;
}

/** One condition tree as a sentence; nested groups in parentheses. */
export function conditionInWords(node: unknown, words: RuleWords, nested = false): string {
  if (!isRecord(node)) return JSON.stringify(node) ?? '';
  const group = (kind: 'all' | 'any', children: unknown) => {
    if (!Array.isArray(children)) return JSON.stringify(node);
    if (children.length === 1) return conditionInWords(children[0], words, nested);
    const sentence = `${kind === 'all' ? words.allOf : words.anyOf}: ${children.map((child) => conditionInWords(child, words, true)).join('; ')}`;
    return nested ? `(${sentence})` : sentence;
  };
  if ('all' in node) return group('all', node.all);
  if ('any' in node) return group('any', node.any);
  if ('not' in node) return `${words.not} (${conditionInWords(node.not, words, true)})`;
  if ('fact' in node) return leafInWords(node, words);
  return JSON.stringify(node);
}
