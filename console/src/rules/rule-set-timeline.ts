// Rule-set versions grouped by name for the workspace's timeline.
import type { RuleSetView } from '../../../api/rule-sets/rule-set.schema';

export interface RuleSetGroup {
  name: string;
  /** Newest version first. */
  versions: RuleSetView[];
  hasVersionInForce: boolean;
  lastChangedAt: string;
}

/** The group with the version in force first, then the most recently changed. */
export function groupByName(ruleSets: readonly RuleSetView[]): RuleSetGroup[] {
  const groups = new Map<string, RuleSetView[]>();
  for (const ruleSet of ruleSets) groups.set(ruleSet.name, [...(groups.get(ruleSet.name) ?? []), ruleSet]);
  return [...groups.entries()]
    .map(([name, versions]) => ({
      name,
      versions: versions.sort((a, b) => b.version - a.version),
      hasVersionInForce: versions.some((version) => version.inForce),
      lastChangedAt: versions.reduce((latest, version) => (version.updatedAt > latest ? version.updatedAt : latest), ''),
    }))
    .sort((a, b) => Number(b.hasVersionInForce) - Number(a.hasVersionInForce) || b.lastChangedAt.localeCompare(a.lastChangedAt));
}

export type VersionPhase = 'draft' | 'in-review' | 'in-force' | 'scheduled' | 'superseded' | 'retired';

/** Where a version stands on its timeline now. */
export function phaseOf(ruleSet: RuleSetView, now: Date = new Date()): VersionPhase {
  if (ruleSet.status === 'DRAFT') return 'draft';
  if (ruleSet.status === 'IN_REVIEW') return 'in-review';
  if (ruleSet.status === 'RETIRED') return 'retired';
  if (ruleSet.inForce) return 'in-force';
  return ruleSet.effectiveFrom !== null && new Date(ruleSet.effectiveFrom) > now ? 'scheduled' : 'superseded';
}
