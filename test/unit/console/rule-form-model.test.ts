// The structured editor's model: what the form offers always validates, its edits change only what
// they name, and the form and the JSON view are two views of one document (round trip).
import fc from 'fast-check';
import {
  documentText,
  duplicateRule,
  moveRule,
  newCondition,
  newRule,
  operatorsFor,
  SELECTABLE_FACTS,
  updateAt,
  valueInputFor,
  withFact,
  withGroupKind,
  withOperator,
} from '../../../console/src/rules/rule-form-model';
import defaultRuleSet from '../../../rules/default-rule-set.json';
import { validateRuleSet } from '../../../rules/validate';

const ruleSetWith = (conditions: unknown) => ({
  name: 'form-test',
  description: '',
  rules: [{ name: 'r', conditions, event: { type: 'ineligible', params: { code: 'R', message: 'r' } } }],
});
const valid = (document: unknown) => {
  const validation = validateRuleSet(document);
  return validation.ok ? true : validation.errors;
};

describe('the structured editor offers only what validates', () => {
  it('never offers a retired fact for a new condition', () => {
    expect(SELECTABLE_FACTS).not.toContain('identityStatus');
    expect(SELECTABLE_FACTS).toContain('age');
  });

  it('every fact with every operator its type allows, with the value the form puts in, is a valid condition', () => {
    for (const fact of SELECTABLE_FACTS) {
      for (const operator of operatorsFor(fact)) {
        const leaf = withOperator(newCondition(fact), operator);
        expect([fact, operator, valid(ruleSetWith({ all: [leaf] }))]).toEqual([fact, operator, true]);
      }
    }
  });

  it('asks for the value the fact and operator need', () => {
    expect(valueInputFor('age', 'lessThan')).toEqual({ kind: 'number' });
    expect(valueInputFor('employmentStatus', 'in')).toEqual({ kind: 'choices', options: expect.arrayContaining(['LAID_OFF', 'FURLOUGHED']) });
    expect(valueInputFor('employmentStatus', 'equal').kind).toBe('choice');
    expect(valueInputFor('dateOfBirth', 'dateBefore')).toEqual({ kind: 'date' });
    expect(valueInputFor('socialAidPrograms', 'isEmpty')).toEqual({ kind: 'boolean' });
    expect(valueInputFor('socialAidPrograms', 'contains')).toEqual({ kind: 'text' });
    expect(valueInputFor('province', 'notIn')).toEqual({ kind: 'texts' });
    expect(operatorsFor('isStudent')).toEqual(['equal', 'notEqual']);
    expect(operatorsFor('shoeSize')).toEqual([]);
  });

  it('keeps what still fits when the fact or the operator changes, and makes the rest fit', () => {
    expect(withFact({ fact: 'age', operator: 'lessThan', value: 18 }, 'previousParticipations')).toEqual({ fact: 'previousParticipations', operator: 'lessThan', value: 18 });
    expect(withFact({ fact: 'age', operator: 'lessThan', value: 18 }, 'province')).toEqual({ fact: 'province', operator: 'equal', value: '' });
    expect(withOperator({ fact: 'employmentStatus', operator: 'equal', value: 'LAID_OFF' }, 'in')).toEqual({ fact: 'employmentStatus', operator: 'in', value: ['LAID_OFF'] });
  });

  it('any sequence of fact and operator choices leaves a valid condition', () => {
    const choice = fc.tuple(fc.constantFrom(...SELECTABLE_FACTS), fc.nat());
    fc.assert(
      fc.property(fc.array(choice, { minLength: 1, maxLength: 8 }), (choices) => {
        let leaf = newCondition();
        for (const [fact, operatorIndex] of choices) {
          leaf = withFact(leaf, fact);
          const operators = operatorsFor(fact);
          leaf = withOperator(leaf, operators[operatorIndex % operators.length]!);
        }
        return valid(ruleSetWith({ any: [leaf] })) === true;
      }),
    );
  });
});

describe('the structured editor edits only what it names', () => {
  const rules = defaultRuleSet.rules;

  it('changes one value deep in a tree and shares the rest', () => {
    const document = structuredClone(defaultRuleSet);
    const changed = updateAt(document, ['rules', 0, 'conditions', 'all', 0, 'value'], () => 21) as typeof document;
    expect(changed.rules[0]!.conditions).toEqual({ all: [{ fact: 'age', operator: 'lessThan', value: 21 }] });
    expect(changed.rules[1]).toBe(document.rules[1]);
    expect(document.rules[0]!.conditions).toEqual({ all: [{ fact: 'age', operator: 'lessThan', value: 18 }] });
    expect(valid(changed)).toBe(true);
  });

  it('adds, duplicates and reorders rules into a valid rule set, names and codes kept unique', () => {
    const added = [...rules, newRule(rules.map((rule) => rule.name))];
    const duplicated = duplicateRule(added, 0);
    expect(duplicated).toHaveLength(rules.length + 2);
    expect(duplicated[1]).toMatchObject({ name: 'under-minimum-age-copy', event: { params: { code: 'UNDER_MINIMUM_AGE_COPY' } } });
    expect(valid({ ...defaultRuleSet, rules: duplicateRule(duplicated, 0), testCases: [] })).toBe(true);
    const moved = moveRule(duplicated, 0, 2);
    expect(moved.map((rule) => (rule as { name: string }).name).slice(0, 3)).toEqual(['under-minimum-age-copy', 'currently-student', 'under-minimum-age']);
    expect(moveRule(moved, 0, -1)).toEqual(moved);
  });

  it('switches a group between all, any and not without losing its conditions', () => {
    const group = { all: [newCondition('age'), newCondition('province')] };
    expect(withGroupKind(group, 'any')).toEqual({ any: group.all });
    expect(withGroupKind(group, 'not')).toEqual({ not: group.all[0] });
    expect(withGroupKind({ not: group.all[0] }, 'all')).toEqual({ all: [group.all[0]] });
  });
});

describe('the form and the JSON view are one document', () => {
  it('round-trips every stored shape exactly: the text the JSON view shows parses back to the document the form edits', () => {
    const json = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), json, { maxKeys: 4 }), (document) => {
        const text = documentText(document);
        expect(JSON.parse(text)).toEqual(document);
        expect(documentText(JSON.parse(text))).toBe(text);
      }),
    );
    expect(documentText(defaultRuleSet)).toBe(`${JSON.stringify(defaultRuleSet, null, 2)}\n`);
  });
});
