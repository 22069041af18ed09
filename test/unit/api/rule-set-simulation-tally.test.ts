// The simulation's counting, merging and example picking, without threads or a database.
import { blockRanges } from '../../../api/rule-sets/rule-set-simulation';
import { emptyTally, flippedCriteria, mergeTally, pickExamples, tallyDecision } from '../../../api/rule-sets/rule-set-simulation-tally';
import type { CompiledDecision } from '../../../rules';

const eligible = (priority: number): CompiledDecision => ({ outcome: 'ELIGIBLE', priority, reasonCodes: [] });
const ineligible = (priority: number, ...reasonCodes: string[]): CompiledDecision => ({ outcome: 'INELIGIBLE', priority, reasonCodes });
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('tallyDecision', () => {
  it('counts an unchanged decision once, reasons compared as sets', () => {
    const tally = emptyTally();
    tallyDecision(tally, id(1), 'Bali', ineligible(20, 'A', 'B'), ineligible(20, 'B', 'A'), 5);
    expect(tally).toMatchObject({ participants: 1, unchanged: 1, changed: 0 });
    expect(tally.reasons).toEqual({ A: { newlyFailing: 0, noLongerFailing: 0, failingBefore: 1, failingAfter: 1 }, B: { newlyFailing: 0, noLongerFailing: 0, failingBefore: 1, failingAfter: 1 } });
    expect(tally.provinces).toEqual({ Bali: { participants: 1, changed: 0, becameEligible: 0, becameIneligible: 0 } });
  });

  it('classifies each kind of change and counts reasons that appear and disappear', () => {
    const tally = emptyTally();
    tallyDecision(tally, id(1), 'Bali', eligible(30), ineligible(30, 'OVER_MAXIMUM_AGE'), 5);
    tallyDecision(tally, id(2), 'Bali', ineligible(0, 'ALREADY_PARTICIPATED'), eligible(0), 5);
    tallyDecision(tally, id(3), 'Papua', eligible(20), eligible(10), 5);
    tallyDecision(tally, id(4), 'Papua', ineligible(20, 'CURRENTLY_STUDENT'), ineligible(10, 'CURRENTLY_STUDENT', 'OVER_MAXIMUM_AGE'), 5);
    tallyDecision(tally, id(5), 'Papua', ineligible(20, 'CURRENTLY_STUDENT'), ineligible(20, 'OVER_MAXIMUM_AGE'), 5);
    expect(tally).toMatchObject({ participants: 5, unchanged: 0, changed: 5, becameEligible: 1, becameIneligible: 1, priorityChanged: 2, reasonsChanged: 2 });
    expect(tally.reasons.OVER_MAXIMUM_AGE).toEqual({ newlyFailing: 3, noLongerFailing: 0, failingBefore: 0, failingAfter: 3 });
    expect(tally.reasons.CURRENTLY_STUDENT).toEqual({ newlyFailing: 0, noLongerFailing: 1, failingBefore: 2, failingAfter: 1 });
    expect(tally.reasons.ALREADY_PARTICIPATED).toEqual({ newlyFailing: 0, noLongerFailing: 1, failingBefore: 1, failingAfter: 0 });
    expect(tally.provinces.Papua).toEqual({ participants: 3, changed: 3, becameEligible: 0, becameIneligible: 0 });
    expect(tally.examples.priorityChanged.map((example) => example.participantId)).toEqual([id(3), id(4)]);
    expect(tally.examples.reasonsChanged.map((example) => example.participantId)).toEqual([id(5)]);
  });

  it('counts everyone as changed when no version was in force', () => {
    const tally = emptyTally();
    tallyDecision(tally, id(1), 'Bali', null, eligible(0), 5);
    tallyDecision(tally, id(2), 'Bali', null, ineligible(0, 'UNDER_MINIMUM_AGE'), 5);
    expect(tally).toMatchObject({ participants: 2, unchanged: 0, changed: 2, becameEligible: 1, becameIneligible: 1 });
    expect(tally.reasons.UNDER_MINIMUM_AGE).toEqual({ newlyFailing: 1, noLongerFailing: 0, failingBefore: 0, failingAfter: 1 });
  });
});

describe('mergeTally and pickExamples', () => {
  it('adds counts and keeps the smallest participant ids whatever the order rows and tallies arrive in', () => {
    const parts = [
      [9, 5, 7],
      [8, 4, 2],
    ].map((ids) => {
      const tally = emptyTally();
      for (const n of ids) tallyDecision(tally, id(n), 'Bali', eligible(0), ineligible(0, 'X'), 2);
      return tally;
    });
    const merged = parts.reduce((total, part) => mergeTally(total, part, 2), emptyTally());
    const reversed = [...parts].reverse().reduce((total, part) => mergeTally(total, part, 2), emptyTally());
    expect(merged.becameIneligible).toBe(6);
    expect(merged.provinces.Bali?.participants).toBe(6);
    expect(parts[0]!.examples.becameIneligible.map((example) => example.participantId)).toEqual([id(5), id(7)]);
    expect(merged.examples.becameIneligible.map((example) => example.participantId)).toEqual([id(2), id(4)]);
    expect(reversed.examples).toEqual(merged.examples);
  });

  it('takes examples from each kind of change in turn', () => {
    const tally = emptyTally();
    for (const n of [1, 2, 3]) tallyDecision(tally, id(n), 'Bali', eligible(0), ineligible(0, 'X'), 10);
    tallyDecision(tally, id(4), 'Bali', eligible(0), eligible(10), 10);
    expect(pickExamples(tally, 3).map((example) => [example.participantId, example.change])).toEqual([
      [id(1), 'becameIneligible'],
      [id(4), 'priorityChanged'],
      [id(2), 'becameIneligible'],
    ]);
    expect(pickExamples(tally, 0)).toEqual([]);
  });
});

describe('blockRanges', () => {
  it('covers the table in contiguous ranges, the last one open to blocks added since', () => {
    expect(blockRanges(0, 128)).toEqual([{ fromBlock: 0, toBlock: null }]);
    expect(blockRanges(128, 128)).toEqual([{ fromBlock: 0, toBlock: null }]);
    expect(blockRanges(300, 128)).toEqual([
      { fromBlock: 0, toBlock: 128 },
      { fromBlock: 128, toBlock: 256 },
      { fromBlock: 256, toBlock: null },
    ]);
    expect(blockRanges(3, 1)).toEqual([
      { fromBlock: 0, toBlock: 1 },
      { fromBlock: 1, toBlock: 2 },
      { fromBlock: 2, toBlock: null },
    ]);
  });
});

describe('flippedCriteria', () => {
  it('names the reasons gained and lost and the change in priority points', () => {
    expect(flippedCriteria({ before: ineligible(20, 'UNDER_MINIMUM_AGE', 'CURRENTLY_STUDENT'), after: ineligible(50, 'CURRENTLY_STUDENT', 'TEST_PROVINCE') })).toEqual({
      newlyFailing: ['TEST_PROVINCE'],
      noLongerFailing: ['UNDER_MINIMUM_AGE'],
      priorityChange: 30,
    });
  });

  it('counts everything as new when no version decided before', () => {
    expect(flippedCriteria({ before: null, after: ineligible(20, 'B', 'A') })).toEqual({ newlyFailing: ['A', 'B'], noLongerFailing: [], priorityChange: 20 });
    expect(flippedCriteria({ before: eligible(0), after: eligible(0) })).toEqual({ newlyFailing: [], noLongerFailing: [], priorityChange: 0 });
  });
});
