// A structural diff of two rule sets: rules added, removed or changed (matched by name, then by
// event code, so a renamed rule shows as changed), and metadata that differs. Rule order is not a
// change: every rule is evaluated, so order never alters a decision.
import type { JsonRule } from '../../rules';

export type RuleSetSnapshot = {
  name: string;
  description: string;
  rules: readonly JsonRule[];
  status?: string;
  effectiveFrom?: string | null;
  retiredAt?: string | null;
};

type MetadataField = 'name' | 'description' | 'status' | 'effectiveFrom' | 'retiredAt';
const METADATA_FIELDS: readonly MetadataField[] = ['name', 'description', 'status', 'effectiveFrom', 'retiredAt'];
type RuleField = keyof JsonRule;
const RULE_FIELDS: readonly RuleField[] = ['name', 'conditions', 'event', 'priority'];

// Type aliases, not interfaces: a diff is stored as JSON in the audit trail.
export type RuleSetDiff = {
  /** False when nothing below is listed. */
  changed: boolean;
  metadata: Array<{ field: MetadataField; from: string | null; to: string | null }>;
  rules: {
    added: JsonRule[];
    removed: JsonRule[];
    changed: Array<{ rule: string; previousName?: string; fields: RuleField[]; from: JsonRule; to: JsonRule }>;
  };
};

/** JSON equality that ignores key order (stored JSONB does not keep it). */
export function sameJson(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    return Array.isArray(left) && Array.isArray(right) && left.length === right.length && left.every((item, index) => sameJson(item, right[index]));
  }
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  const leftKeys = Object.keys(left).filter((key) => (left as Record<string, unknown>)[key] !== undefined);
  const rightKeys = Object.keys(right).filter((key) => (right as Record<string, unknown>)[key] !== undefined);
  return leftKeys.length === rightKeys.length && leftKeys.every((key) => sameJson((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]));
}

/** What changes going from `from` to `to`. */
export function diffRuleSets(from: RuleSetSnapshot, to: RuleSetSnapshot): RuleSetDiff {
  const metadata = METADATA_FIELDS.filter((field) => from[field] !== undefined || to[field] !== undefined)
    .filter((field) => !sameJson(from[field] ?? null, to[field] ?? null))
    .map((field) => ({ field, from: from[field] ?? null, to: to[field] ?? null }));

  const unmatchedOld = new Map(from.rules.map((rule) => [rule.name, rule]));
  const pairs: Array<[JsonRule, JsonRule]> = [];
  const unmatchedNew: JsonRule[] = [];
  for (const rule of to.rules) {
    const previous = unmatchedOld.get(rule.name);
    if (previous) {
      unmatchedOld.delete(rule.name);
      pairs.push([previous, rule]);
    } else {
      unmatchedNew.push(rule);
    }
  }
  const added: JsonRule[] = [];
  for (const rule of unmatchedNew) {
    const renamed = [...unmatchedOld.values()].find((previous) => previous.event.params.code === rule.event.params.code);
    if (renamed) {
      unmatchedOld.delete(renamed.name);
      pairs.push([renamed, rule]);
    } else {
      added.push(rule);
    }
  }

  const changed = pairs.flatMap(([previous, rule]) => {
    const fields = RULE_FIELDS.filter((field) => !sameJson(previous[field], rule[field]));
    if (fields.length === 0) return [];
    return [{ rule: rule.name, ...(previous.name !== rule.name ? { previousName: previous.name } : {}), fields, from: previous, to: rule }];
  });
  const removed = [...unmatchedOld.values()];
  return {
    changed: metadata.length + added.length + removed.length + changed.length > 0,
    metadata,
    rules: { added, removed, changed },
  };
}
