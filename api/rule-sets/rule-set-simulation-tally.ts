// The counts of a rule-set simulation: each participant's decision under the version in force
// ("before") and under the candidate ("after"), tallied where the decisions are made (a worker
// thread), then merged and turned into the report's breakdowns.
import type { CompiledDecision } from '../../rules';

export const CHANGE_KINDS = ['becameEligible', 'becameIneligible', 'priorityChanged', 'reasonsChanged'] as const;
/**
 * How a decision changed. An outcome that flips is that flip; with the same outcome, a changed
 * priority comes before changed reasons (a participant may have both; the counts keep both).
 */
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface SimulationExample {
  participantId: string;
  change: ChangeKind;
  /** Null when no rule set was in force on the evaluation date. */
  before: CompiledDecision | null;
  after: CompiledDecision;
}

export interface ReasonCounts {
  newlyFailing: number;
  noLongerFailing: number;
  failingBefore: number;
  failingAfter: number;
}

export interface ProvinceCounts {
  participants: number;
  changed: number;
  becameEligible: number;
  becameIneligible: number;
}

/** Plain data (no Map), so it crosses from a worker thread by structured clone. */
export interface SimulationTally {
  participants: number;
  /** Born after the evaluation date: no age on that date, so not evaluated. */
  bornAfterEvaluationDate: number;
  unchanged: number;
  changed: number;
  becameEligible: number;
  becameIneligible: number;
  priorityChanged: number;
  reasonsChanged: number;
  reasons: Record<string, ReasonCounts>;
  provinces: Record<string, ProvinceCounts>;
  /** Per kind, the `exampleLimit` changed participants with the smallest ids, in id order. */
  examples: Record<ChangeKind, SimulationExample[]>;
}

export function emptyTally(): SimulationTally {
  return {
    participants: 0,
    bornAfterEvaluationDate: 0,
    unchanged: 0,
    changed: 0,
    becameEligible: 0,
    becameIneligible: 0,
    priorityChanged: 0,
    reasonsChanged: 0,
    reasons: Object.create(null) as Record<string, ReasonCounts>,
    provinces: Object.create(null) as Record<string, ProvinceCounts>,
    examples: { becameEligible: [], becameIneligible: [], priorityChanged: [], reasonsChanged: [] },
  };
}

function sameCodes(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  // Each rule set lists its reasons in its own rule order, so compare as sets (codes are unique per rule set).
  for (const code of a) if (!b.includes(code)) return false;
  return true;
}

function reasonCounts(tally: SimulationTally, code: string): ReasonCounts {
  let counts = tally.reasons[code];
  if (counts === undefined) {
    counts = { newlyFailing: 0, noLongerFailing: 0, failingBefore: 0, failingAfter: 0 };
    tally.reasons[code] = counts;
  }
  return counts;
}

function provinceCounts(tally: SimulationTally, province: string): ProvinceCounts {
  let counts = tally.provinces[province];
  if (counts === undefined) {
    counts = { participants: 0, changed: 0, becameEligible: 0, becameIneligible: 0 };
    tally.provinces[province] = counts;
  }
  return counts;
}

/** Counts one participant (in any order: examples keep the smallest participant ids). */
export function tallyDecision(
  tally: SimulationTally,
  participantId: string,
  province: string,
  before: CompiledDecision | null,
  after: CompiledDecision,
  exampleLimit: number,
): void {
  tally.participants += 1;
  const inProvince = provinceCounts(tally, province);
  inProvince.participants += 1;
  if (before !== null) for (const code of before.reasonCodes) reasonCounts(tally, code).failingBefore += 1;
  for (const code of after.reasonCodes) reasonCounts(tally, code).failingAfter += 1;

  const beforeCodes = before?.reasonCodes ?? [];
  const sameReasons = sameCodes(beforeCodes, after.reasonCodes);
  if (before !== null && before.outcome === after.outcome && before.priority === after.priority && sameReasons) {
    tally.unchanged += 1;
    return;
  }

  tally.changed += 1;
  inProvince.changed += 1;
  let change: ChangeKind;
  if (before === null || before.outcome !== after.outcome) {
    change = after.outcome === 'ELIGIBLE' ? 'becameEligible' : 'becameIneligible';
    tally[change] += 1;
    inProvince[change] += 1;
  } else {
    const priorityChanged = before.priority !== after.priority;
    if (priorityChanged) tally.priorityChanged += 1;
    if (!sameReasons) tally.reasonsChanged += 1;
    change = priorityChanged ? 'priorityChanged' : 'reasonsChanged';
  }
  if (!sameReasons) {
    for (const code of after.reasonCodes) if (!beforeCodes.includes(code)) reasonCounts(tally, code).newlyFailing += 1;
    for (const code of beforeCodes) if (!after.reasonCodes.includes(code)) reasonCounts(tally, code).noLongerFailing += 1;
  }
  keepExample(tally.examples[change], { participantId, change, before, after }, exampleLimit);
}

/** Keeps `examples` the `limit` smallest participant ids seen, in order; rows arrive in storage order. */
function keepExample(examples: SimulationExample[], example: SimulationExample, limit: number): void {
  const last = examples[examples.length - 1];
  if (examples.length >= limit && (last === undefined || example.participantId >= last.participantId)) return;
  let index = examples.length;
  while (index > 0 && examples[index - 1]!.participantId > example.participantId) index -= 1;
  examples.splice(index, 0, example);
  if (examples.length > limit) examples.pop();
}

/** Adds `part` into `total`; examples keep, per kind, the `exampleLimit` smallest participant ids. */
export function mergeTally(total: SimulationTally, part: SimulationTally, exampleLimit: number): SimulationTally {
  total.participants += part.participants;
  total.bornAfterEvaluationDate += part.bornAfterEvaluationDate;
  total.unchanged += part.unchanged;
  total.changed += part.changed;
  total.becameEligible += part.becameEligible;
  total.becameIneligible += part.becameIneligible;
  total.priorityChanged += part.priorityChanged;
  total.reasonsChanged += part.reasonsChanged;
  for (const [code, counts] of Object.entries(part.reasons)) {
    const into = reasonCounts(total, code);
    into.newlyFailing += counts.newlyFailing;
    into.noLongerFailing += counts.noLongerFailing;
    into.failingBefore += counts.failingBefore;
    into.failingAfter += counts.failingAfter;
  }
  for (const [province, counts] of Object.entries(part.provinces)) {
    const into = provinceCounts(total, province);
    into.participants += counts.participants;
    into.changed += counts.changed;
    into.becameEligible += counts.becameEligible;
    into.becameIneligible += counts.becameIneligible;
  }
  for (const kind of CHANGE_KINDS) {
    total.examples[kind] = [...total.examples[kind], ...part.examples[kind]]
      .sort((a, b) => (a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : 0))
      .slice(0, exampleLimit);
  }
  return total;
}

/**
 * Up to `limit` examples, taken in turn from each kind of change so a report shows every kind
 * that happened (not only the most common one); within a kind, smallest participant ids first.
 */
/** Which criteria flipped for one person: the reason codes gained and lost, and the priority points' change. */
export function flippedCriteria(example: Pick<SimulationExample, 'before' | 'after'>): { newlyFailing: string[]; noLongerFailing: string[]; priorityChange: number } {
  const before = new Set(example.before?.reasonCodes ?? []);
  const after = new Set(example.after.reasonCodes);
  return {
    newlyFailing: [...after].filter((code) => !before.has(code)).sort(),
    noLongerFailing: [...before].filter((code) => !after.has(code)).sort(),
    priorityChange: example.after.priority - (example.before?.priority ?? 0),
  };
}

export function pickExamples(tally: SimulationTally, limit: number): SimulationExample[] {
  const picked: SimulationExample[] = [];
  for (let index = 0; picked.length < limit; index += 1) {
    const round = CHANGE_KINDS.map((kind) => tally.examples[kind][index]).filter((example) => example !== undefined);
    if (round.length === 0) break;
    picked.push(...round.slice(0, limit - picked.length));
  }
  return picked;
}
