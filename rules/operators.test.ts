import { Engine } from 'json-rules-engine';
import { customEngineOperators, OPERATOR_NAMES, operatorCatalog, operatorsForFactType, type OperatorName } from './operators';

/** What json-rules-engine itself decides for `fact <operator> value`, with our custom operators registered. */
async function engineDecides(factValue: unknown, operator: OperatorName, value: unknown): Promise<boolean> {
  const engine = new Engine([{ name: 'probe', conditions: { all: [{ fact: 'probe', operator, value }] }, event: { type: 'probe' } }], { allowUndefinedFacts: false });
  for (const customOperator of customEngineOperators()) engine.addOperator(customOperator);
  const { results } = await engine.run({ probe: factValue });
  return results.length === 1;
}

type Case = [factValue: unknown, value: unknown, expected: boolean];

const cases: Record<OperatorName, Case[]> = {
  equal: [[18, 18, true], [18, 17, false], ['MATCH', 'MATCH', true], [true, false, false], ['2020-04-11', '2020-04-11', true]],
  notEqual: [[18, 18, false], ['SELF', 'ASSISTED', true]],
  in: [['MATCH', ['MATCH', 'MISMATCH'], true], ['DECEASED', ['MATCH', 'MISMATCH'], false], [0, [0, 1], true]],
  notIn: [['DECEASED', ['MATCH', 'MISMATCH'], true], ['MATCH', ['MATCH'], false]],
  lessThan: [[17, 18, true], [18, 18, false], [19, 18, false]],
  lessThanInclusive: [[18, 18, true], [19, 18, false]],
  greaterThan: [[1, 0, true], [0, 0, false]],
  greaterThanInclusive: [[0, 0, true], [-1, 0, false]],
  contains: [[['PKH', 'BPNT'], 'PKH', true], [['PKH'], 'BST', false], [[], 'PKH', false]],
  doesNotContain: [[['PKH'], 'BST', true], [['PKH'], 'PKH', false]],
  containsAny: [
    [['PKH', 'BPNT'], ['BST', 'BPNT'], true],
    [['PKH'], ['BST', 'BPNT'], false],
    [[], ['PKH'], false],
    [['PKH'], [], false],
    ['PKH', ['PKH'], false], // a fact that is not a list never matches
  ],
  containsAll: [
    [['PKH', 'BPNT', 'BST'], ['PKH', 'BST'], true],
    [['PKH'], ['PKH', 'BST'], false],
    [[], ['PKH'], false],
    [['PKH'], [], true], // every one of no values
  ],
  containsNone: [
    [['PKH'], ['BST', 'BPNT'], true],
    [['PKH', 'BST'], ['BST'], false],
    [[], ['PKH'], true],
    ['PKH', ['BST'], false],
  ],
  isEmpty: [
    [[], true, true],
    [['PKH'], true, false],
    [[], false, false],
    [['PKH'], false, true],
    ['', true, false], // not a list
  ],
  dateBefore: [
    ['2002-04-10', '2002-04-11', true],
    ['2002-04-11', '2002-04-11', false],
    ['2002-04-12', '2002-04-11', false],
    ['1999-12-31', '2000-01-01', true],
    ['2002-4-10', '2002-04-11', false], // not YYYY-MM-DD
    ['2021-02-29', '2022-01-01', false], // not a calendar date
  ],
  dateOnOrBefore: [
    ['2002-04-11', '2002-04-11', true],
    ['2002-04-12', '2002-04-11', false],
  ],
  dateAfter: [
    ['2002-04-12', '2002-04-11', true],
    ['2002-04-11', '2002-04-11', false],
  ],
  dateOnOrAfter: [
    ['2002-04-11', '2002-04-11', true],
    ['2002-04-12', '2002-04-11', true],
    ['2002-04-10', '2002-04-11', false],
    [20020411, '2002-04-11', false],
  ],
};

describe.each(OPERATOR_NAMES)('operator %s', (operator) => {
  it.each(cases[operator])('fact %j, value %j → %s, in rules/operators.ts and in json-rules-engine', async (factValue, value, expected) => {
    expect(operatorCatalog[operator].evaluate(factValue, value)).toBe(expected);
    expect(await engineDecides(factValue, operator, value)).toBe(expected);
  });
});

describe('operator catalog', () => {
  it('registers exactly the custom operators on the engine', () => {
    const custom = OPERATOR_NAMES.filter((name) => operatorCatalog[name].origin === 'custom');
    expect(customEngineOperators().map((operator) => operator.name)).toEqual(custom);
    expect(custom).toEqual(['containsAny', 'containsAll', 'containsNone', 'isEmpty', 'dateBefore', 'dateOnOrBefore', 'dateAfter', 'dateOnOrAfter']);
  });

  it('lists the operators allowed for each fact type', () => {
    expect(operatorsForFactType('boolean')).toEqual(['equal', 'notEqual']);
    expect(operatorsForFactType('string')).toEqual(['equal', 'notEqual', 'in', 'notIn']);
    expect(operatorsForFactType('string-array')).toEqual(['contains', 'doesNotContain', 'containsAny', 'containsAll', 'containsNone', 'isEmpty']);
    expect(operatorsForFactType('date')).toEqual(['equal', 'notEqual', 'dateBefore', 'dateOnOrBefore', 'dateAfter', 'dateOnOrAfter']);
  });
});
