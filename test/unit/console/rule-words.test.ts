// The table view's conditions in words, in both languages, for the default rules and for shapes a
// program manager may build (nested groups, negation, lists).
import { conditionInWords } from '../../../console/src/rules/rule-words';
import { DICTIONARIES } from '../../../console/src/shared/i18n';
import defaultRuleSet from '../../../rules/default-rule-set.json';

const { en, id } = { en: DICTIONARIES.en.ruleWords, id: DICTIONARIES.id.ruleWords };
const conditionsOf = (name: string) => defaultRuleSet.rules.find((rule) => rule.name === name)!.conditions;

describe('conditions in words', () => {
  it('reads every default rule as a sentence', () => {
    expect(defaultRuleSet.rules.map((rule) => [rule.name, conditionInWords(rule.conditions, en)])).toEqual([
      ['under-minimum-age', 'age on the evaluation date is less than 18'],
      ['currently-student', 'currently a student'],
      ['already-participated', 'earlier participations is more than 0'],
      ['priority-laid-off', 'any of: on the list of laid-off and sent-home workers; work situation is “LAID_OFF”'],
      ['priority-furloughed', 'all of: work situation is “FURLOUGHED”; not on the list of laid-off and sent-home workers'],
      ['priority-micro-business-lost-income', 'all of: work situation is “MICRO_BUSINESS”; owns a micro or small business that lost its income; not on the list of laid-off and sent-home workers'],
      ['priority-no-other-social-aid', 'the list of social-aid programs received is empty'],
    ]);
  });

  it('speaks Bahasa Indonesia too', () => {
    expect(conditionInWords(conditionsOf('under-minimum-age'), id)).toBe('usia pada tanggal penilaian kurang dari 18');
    expect(conditionInWords(conditionsOf('priority-furloughed'), id)).toBe('semua berikut: status pekerjaan adalah “FURLOUGHED”; tidak tercatat dalam daftar pekerja ter-PHK dan dirumahkan');
  });

  it('puts nested groups in parentheses, and says lists, negations and emptiness plainly', () => {
    const tree = {
      all: [
        { fact: 'age', operator: 'greaterThanInclusive', value: 21 },
        { not: { fact: 'province', operator: 'in', value: ['Aceh', 'Bali', 'Papua'] } },
        { any: [{ fact: 'isStudent', operator: 'equal', value: false }, { fact: 'socialAidPrograms', operator: 'isEmpty', value: false }] },
      ],
    };
    expect(conditionInWords(tree, en)).toBe(
      'all of: age on the evaluation date is at least 21; not (province of residence is one of “Aceh”, “Bali” or “Papua”); (any of: not currently a student; the list of social-aid programs received is not empty)',
    );
  });

  it('shows what it cannot read as it is, rather than guessing', () => {
    expect(conditionInWords({ fact: 'shoeSize', operator: 'largerThan', value: 42 }, en)).toBe('shoeSize largerThan 42');
    expect(conditionInWords({ something: 'else' }, en)).toBe('{"something":"else"}');
  });
});
