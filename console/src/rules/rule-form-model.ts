// The structured editor's model. The form edits the very JSON the text editor shows (a rule set
// document), through these pure operations, so the two views cannot drift: the form's state is the
// document, and switching views is JSON.stringify / JSON.parse. What the form offers comes from the
// fact catalog and the operator table the validator uses: a fact, then only the operators its type
// allows, then a value input that fits.
import { factCatalog, isFactName, retiredFactReason, type FactName } from '../../../rules/facts';
import { isRecord } from '../../../rules/is-record';
import { isOperatorName, operatorDefinition, operatorsForFactType, type OperatorName } from '../../../rules/operators';

/** A place in a rule's condition tree: the keys and indices from `conditions` down. */
export type TreePath = ReadonlyArray<string | number>;

export type ValueInput =
  | { kind: 'number' }
  | { kind: 'date' }
  | { kind: 'text' }
  | { kind: 'boolean' }
  | { kind: 'choice'; options: readonly string[] }
  | { kind: 'choices'; options: readonly string[] }
  | { kind: 'numbers' }
  | { kind: 'texts' };

/** The facts a new condition may name: every fact but the retired ones. */
export const SELECTABLE_FACTS: readonly FactName[] = (Object.keys(factCatalog) as FactName[]).filter((fact) => retiredFactReason(fact) === undefined);

export function operatorsFor(fact: string): OperatorName[] {
  return isFactName(fact) ? operatorsForFactType(factCatalog[fact].type) : [];
}

/** The input a condition's value needs, from its fact and operator. */
export function valueInputFor(fact: string, operator: string): ValueInput {
  if (!isFactName(fact) || !isOperatorName(operator)) return { kind: 'text' };
  const definition = factCatalog[fact];
  const shape = operatorDefinition(operator).value;
  if (shape === 'boolean') return { kind: 'boolean' };
  if (shape === 'element') return { kind: 'text' };
  if (shape === 'element-list') return { kind: 'texts' };
  const list = shape === 'list-of-fact-type';
  switch (definition.type) {
    case 'enum':
      return list ? { kind: 'choices', options: definition.values } : { kind: 'choice', options: definition.values };
    case 'number':
      return list ? { kind: 'numbers' } : { kind: 'number' };
    case 'date':
      return { kind: 'date' };
    case 'boolean':
      return { kind: 'boolean' };
    default:
      return list ? { kind: 'texts' } : { kind: 'text' };
  }
}

/** A value that fits the input, kept from the previous one where it still fits. */
export function valueFitting(input: ValueInput, previous: unknown): unknown {
  switch (input.kind) {
    case 'number':
      return typeof previous === 'number' ? previous : 0;
    case 'date':
      return typeof previous === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(previous) ? previous : '2020-04-11';
    case 'boolean':
      return typeof previous === 'boolean' ? previous : true;
    case 'choice':
      return typeof previous === 'string' && input.options.includes(previous) ? previous : input.options[0];
    case 'choices': {
      const kept = Array.isArray(previous) ? previous.filter((item) => typeof item === 'string' && input.options.includes(item)) : [];
      return kept.length > 0 ? kept : [input.options[0]];
    }
    case 'numbers':
      return Array.isArray(previous) && previous.every((item) => typeof item === 'number') && previous.length > 0 ? previous : [0];
    case 'texts':
      return Array.isArray(previous) && previous.every((item) => typeof item === 'string') && previous.length > 0 ? previous : [''];
    default:
      return typeof previous === 'string' ? previous : '';
  }
}

/** A leaf on `fact` with its first operator and a fitting value. */
export function newCondition(fact: FactName = 'age'): Record<string, unknown> {
  const operator = operatorsFor(fact)[0]!;
  return { fact, operator, value: valueFitting(valueInputFor(fact, operator), undefined) };
}

/** The leaf with another fact: the operator kept if the fact's type allows it, the value made to fit. */
export function withFact(leaf: Record<string, unknown>, fact: FactName): Record<string, unknown> {
  const operators = operatorsFor(fact);
  const operator = typeof leaf.operator === 'string' && (operators as string[]).includes(leaf.operator) ? leaf.operator : operators[0]!;
  return { fact, operator, value: valueFitting(valueInputFor(fact, operator), leaf.value) };
}

export function withOperator(leaf: Record<string, unknown>, operator: OperatorName): Record<string, unknown> {
  const fact = String(leaf.fact);
  return { ...leaf, operator, value: valueFitting(valueInputFor(fact, operator), leaf.value) };
}

export function newRule(existingNames: readonly string[]): Record<string, unknown> {
  let number = existingNames.length + 1;
  while (existingNames.includes(`new-rule-${number}`)) number += 1;
  return {
    name: `new-rule-${number}`,
    conditions: { all: [newCondition()] },
    // Valid as it stands (the validator refuses an empty message), to be described by its author.
    event: { type: 'ineligible', params: { code: `NEW_RULE_${number}`, message: 'Describe what this rule decides.' } },
  };
}

/** A copy beside the original, with a name and code of its own (both must stay unique). */
export function duplicateRule(rules: readonly unknown[], index: number): unknown[] {
  const original = rules[index];
  if (!isRecord(original)) return [...rules];
  const names = rules.flatMap((rule) => (isRecord(rule) && typeof rule.name === 'string' ? [rule.name] : []));
  const codes = rules.flatMap((rule) => (isRecord(rule) && isRecord(rule.event) && isRecord(rule.event.params) && typeof rule.event.params.code === 'string' ? [rule.event.params.code] : []));
  const copy = structuredClone(original);
  copy.name = unused(names, `${String(original.name)}-copy`, (n) => `${String(original.name)}-copy-${n}`);
  const params = isRecord(copy.event) && isRecord(copy.event.params) ? copy.event.params : undefined;
  if (params && typeof params.code === 'string') params.code = unused(codes, `${params.code}_COPY`, (n) => `${String(params.code)}_COPY_${n}`);
  return [...rules.slice(0, index + 1), copy, ...rules.slice(index + 1)];
}

function unused(taken: readonly string[], first: string, numbered: (n: number) => string): string {
  if (!taken.includes(first)) return first;
  let n = 2;
  while (taken.includes(numbered(n))) n += 1;
  return numbered(n);
}

export function moveRule(rules: readonly unknown[], from: number, to: number): unknown[] {
  if (to < 0 || to >= rules.length || from === to) return [...rules];
  const moved = [...rules];
  const [rule] = moved.splice(from, 1);
  moved.splice(to, 0, rule);
  return moved;
}

export function removeAt<T>(items: readonly T[], index: number): T[] {
  return items.filter((_, position) => position !== index);
}

/** The node at `path` replaced by `change(node)`; everything else shared, nothing mutated. */
export function updateAt(node: unknown, path: TreePath, change: (node: unknown) => unknown): unknown {
  if (path.length === 0) return change(node);
  const [head, ...rest] = path;
  if (Array.isArray(node) && typeof head === 'number') return node.map((child, index) => (index === head ? updateAt(child, rest, change) : child));
  if (isRecord(node) && typeof head === 'string') return { ...node, [head]: updateAt(node[head], rest, change) };
  return node;
}

/** A group's kind changed: all ⇄ any keep their children; not takes the first; from not, the child becomes the list. */
export function withGroupKind(group: Record<string, unknown>, kind: 'all' | 'any' | 'not'): Record<string, unknown> {
  const children = Array.isArray(group.all) ? group.all : Array.isArray(group.any) ? group.any : 'not' in group ? [group.not] : [];
  if (kind === 'not') return { not: children[0] ?? newCondition() };
  return { [kind]: children.length > 0 ? children : [newCondition()] };
}

export function groupKindOf(node: unknown): 'all' | 'any' | 'not' | undefined {
  if (!isRecord(node)) return undefined;
  if (Array.isArray(node.all)) return 'all';
  if (Array.isArray(node.any)) return 'any';
  if ('not' in node) return 'not';
  return undefined;
}

/** The draft's document as the text editor shows it. */
export function documentText(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
