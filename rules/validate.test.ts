import fs from 'node:fs';
import path from 'node:path';
import defaultRuleSetJson from './default-rule-set.json';
import { RULE_SET_ERROR_CODES, validateRuleSet, type RuleSetError, type RuleSetErrorCode, type RuleSetValidationOptions } from './validate';

const INVALID_FIXTURES = path.join(__dirname, 'fixtures', 'invalid');

type ExpectedError = { code: RuleSetErrorCode; path: string; rule?: string; says: string };

/** One fixture file per problem; `says` is the part of the message that names the problem. */
const expectedErrors: Record<string, ExpectedError[]> = {
  'test-case-unknown-reason-code.json': [{ code: 'UNKNOWN_REASON_CODE', path: 'testCases[0].expect.reasons[0]', says: '"UNDER_MINIMUM_AGES" is not an ineligible reason code of this rule set; known: UNDER_MINIMUM_AGE' }],
  'test-case-priority-code-as-reason.json': [{ code: 'UNKNOWN_REASON_CODE', path: 'testCases[0].expect.reasons[0]', says: '"PRIORITY_NO_OTHER_SOCIAL_AID" is not an ineligible reason code' }],
  'test-case-duplicate-name.json': [{ code: 'DUPLICATE_TEST_CASE_NAME', path: 'testCases[1].name', says: 'test case name "adult" is already used by testCases[0]' }],
  'test-case-eligible-with-reason.json': [{ code: 'SCHEMA_VIOLATION', path: 'testCases[0].expect.reasons', says: 'an ELIGIBLE outcome has no ineligible reasons' }],
  'test-case-unknown-fact.json': [{ code: 'UNKNOWN_PROPERTY', path: 'testCases[0].facts.salary', says: 'unknown property "salary"' }],
  'unknown-fact.json': [{ code: 'UNKNOWN_FACT', path: 'rules[0].conditions.all[0].fact', rule: 'low-salary', says: 'unknown fact "salary"' }],
  'wrong-operator-for-type.json': [
    { code: 'OPERATOR_NOT_ALLOWED_FOR_FACT', path: 'rules[0].conditions.all[0].operator', rule: 'province-before-m', says: 'operator "lessThan" cannot be used on fact "province" of type string' },
  ],
  'set-operator-on-number.json': [
    { code: 'OPERATOR_NOT_ALLOWED_FOR_FACT', path: 'rules[0].conditions.all[0].operator', rule: 'age-set', says: 'operator "containsAny" cannot be used on fact "age" of type number' },
  ],
  'wrong-value-type.json': [{ code: 'VALUE_TYPE_MISMATCH', path: 'rules[0].conditions.all[0].value', says: 'must be a number, got string "18"' }],
  'enum-value-not-in-enum.json': [{ code: 'VALUE_NOT_IN_ENUM', path: 'rules[0].conditions.all[0].value', says: '"RETIRED" is not a value of fact "employmentStatus"' }],
  'list-item-not-in-enum.json': [{ code: 'VALUE_NOT_IN_ENUM', path: 'rules[0].conditions.all[0].value[1]', says: '"UNKNOWN" is not a value of fact "channel"' }],
  'retired-fact.json': [
    { code: 'RETIRED_FACT', path: 'rules[0].conditions.all[0].fact', rule: 'identity-deceased', says: 'fact "identityStatus" is retired: identity is verified with Dukcapil before the rules run' },
  ],
  'in-with-single-value.json': [{ code: 'VALUE_TYPE_MISMATCH', path: 'rules[0].conditions.all[0].value', says: 'operator "in" on fact "province" needs a list' }],
  'is-empty-with-string.json': [{ code: 'VALUE_TYPE_MISMATCH', path: 'rules[0].conditions.all[0].value', says: 'operator "isEmpty" on fact "socialAidPrograms" needs true or false' }],
  'fact-reference-value.json': [{ code: 'VALUE_TYPE_MISMATCH', path: 'rules[0].conditions.all[0].value', says: 'refers to another fact' }],
  'unknown-operator.json': [{ code: 'UNKNOWN_OPERATOR', path: 'rules[0].conditions.all[0].operator', says: 'unknown operator "lessThen"' }],
  'unknown-event-type.json': [{ code: 'UNKNOWN_EVENT_TYPE', path: 'rules[0].event.type', says: 'unknown event type "reject"' }],
  'malformed-json.json': [{ code: 'MALFORMED_JSON', path: '', says: 'malformed JSON at line 10, column 3 (position 341)' }],
  'empty-all.json': [{ code: 'EMPTY_CONDITIONS', path: 'rules[0].conditions.all', rule: 'always', says: '"all" needs at least one condition' }],
  'empty-any-nested.json': [{ code: 'EMPTY_CONDITIONS', path: 'rules[0].conditions.all[1].any', says: '"any" needs at least one condition' }],
  'no-rules.json': [{ code: 'NO_RULES', path: 'rules', says: 'needs at least one rule' }],
  'duplicate-rule-names.json': [{ code: 'DUPLICATE_RULE_NAME', path: 'rules[1].name', rule: 'under-minimum-age', says: 'rule name "under-minimum-age" is already used by rules[0]' }],
  'duplicate-event-code.json': [{ code: 'DUPLICATE_EVENT_CODE', path: 'rules[1].event.params.code', rule: 'too-young-again', says: 'event code "UNDER_MINIMUM_AGE" is already used by rules[0]' }],
  'missing-message.json': [{ code: 'MISSING_FIELD', path: 'rules[0].event.params.message', says: '"message" is required' }],
  'missing-code.json': [{ code: 'MISSING_FIELD', path: 'rules[0].event.params.code', says: '"code" is required' }],
  'missing-value.json': [{ code: 'MISSING_FIELD', path: 'rules[0].conditions.all[0].value', says: '"value" is required' }],
  'missing-conditions.json': [{ code: 'MISSING_FIELD', path: 'rules[0].conditions', says: '"conditions" is required' }],
  'code-not-upper-snake.json': [{ code: 'INVALID_EVENT_CODE', path: 'rules[0].event.params.code', says: 'event code "underMinimumAge" must be UPPER_SNAKE_CASE' }],
  'points-not-positive.json': [{ code: 'INVALID_POINTS', path: 'rules[0].event.params.points', says: 'points must be a whole number greater than 0, got number 0' }],
  'points-on-ineligible-event.json': [{ code: 'UNKNOWN_PROPERTY', path: 'rules[0].event.params.points', says: 'unknown property "points"' }],
  'path-on-non-object-fact.json': [{ code: 'PATH_ON_NON_OBJECT_FACT', path: 'rules[0].conditions.all[0].path', says: 'fact "age" is a number' }],
  'invalid-date-value.json': [{ code: 'INVALID_DATE_VALUE', path: 'rules[0].conditions.all[0].value', says: '"2002-02-30" is not a calendar date' }],
  'empty-value-list.json': [{ code: 'EMPTY_VALUE_LIST', path: 'rules[0].conditions.all[0].value', says: 'operator "in" needs a non-empty list' }],
  'leaf-at-root.json': [{ code: 'INVALID_CONDITION_ROOT', path: 'rules[0].conditions', says: 'must be "all", "any" or "not"' }],
  'mixed-condition-kinds.json': [{ code: 'INVALID_CONDITION', path: 'rules[0].conditions.all[0]', says: 'it mixes "all" and "any"' }],
  'condition-priority-not-supported.json': [{ code: 'UNKNOWN_PROPERTY', path: 'rules[0].conditions.all[0].priority', says: 'unknown property "priority"' }],
  'not-an-object.json': [{ code: 'INVALID_TYPE', path: '', says: 'must be an object' }],
  'multiple-problems.json': [
    { code: 'VALUE_TYPE_MISMATCH', path: 'rules[0].conditions.all[0].value', rule: 'under-minimum-age', says: 'must be a number' },
    { code: 'UNKNOWN_FACT', path: 'rules[0].conditions.all[1].fact', rule: 'under-minimum-age', says: 'unknown fact "salary"' },
    { code: 'OPERATOR_NOT_ALLOWED_FOR_FACT', path: 'rules[1].conditions.any[1].not.operator', rule: 'student', says: 'operator "greaterThan" cannot be used on fact "province"' },
    { code: 'MISSING_FIELD', path: 'rules[1].event.params.message', rule: 'student', says: '"message" is required' },
    { code: 'VALUE_NOT_IN_ENUM', path: 'rules[2].conditions.all[0].value[1]', rule: 'student', says: '"RETIRED" is not a value' },
    { code: 'UNKNOWN_EVENT_TYPE', path: 'rules[2].event.type', rule: 'student', says: 'unknown event type "bonus"' },
    { code: 'DUPLICATE_RULE_NAME', path: 'rules[2].name', rule: 'student', says: 'rule name "student" is already used by rules[1]' },
  ],
};

function validationErrors(input: unknown, options?: RuleSetValidationOptions): RuleSetError[] {
  const validation = validateRuleSet(input, options);
  if (validation.ok) throw new Error('expected the rule set to be rejected');
  return validation.errors;
}

describe('invalid rule-set fixtures', () => {
  const fixtureFiles = fs.readdirSync(INVALID_FIXTURES).filter((file) => file.endsWith('.json'));

  it('has an expectation for every fixture file and a file for every expectation', () => {
    expect(fixtureFiles.sort()).toEqual(Object.keys(expectedErrors).sort());
  });

  it.each(fixtureFiles)('%s is rejected, naming the problem and the path', (file) => {
    const errors = validationErrors(fs.readFileSync(path.join(INVALID_FIXTURES, file), 'utf8'));
    const expected = expectedErrors[file] ?? [];
    expect(errors.map((error) => ({ code: error.code, path: error.path }))).toEqual(expected.map(({ code, path: errorPath }) => ({ code, path: errorPath })));
    errors.forEach((error, index) => {
      const expectation = expected[index];
      expect(error.message).toContain(expectation?.says);
      if (error.path !== '') expect(error.message.startsWith(`${error.path}: `)).toBe(true);
      if (expectation?.rule !== undefined) expect(error.rule).toBe(expectation.rule);
    });
  });
});

describe('validateRuleSet', () => {
  it('accepts the default rule set as an object and as JSON text', () => {
    expect(validateRuleSet(defaultRuleSetJson).ok).toBe(true);
    expect(validateRuleSet(JSON.stringify(defaultRuleSetJson)).ok).toBe(true);
  });

  it('returns the rule set it validated', () => {
    const validation = validateRuleSet(JSON.stringify(defaultRuleSetJson));
    expect(validation.ok && validation.ruleSet).toEqual(defaultRuleSetJson);
  });

  it('gives malformed JSON text a position even when JSON.parse does not', () => {
    const [error] = validationErrors('{\n  "name": "x",\n  "rules": [ }\n}');
    expect(error).toEqual({ path: '', code: 'MALFORMED_JSON', message: 'malformed JSON at line 3, column 14 (position 30): expected a value, found "}"' });
  });

  it('accepts every operator on the fact types it is declared for', () => {
    const validation = validateRuleSet({
      name: 'all-operators',
      description: '',
      rules: [
        {
          name: 'everything',
          priority: 2,
          conditions: {
            any: [
              { fact: 'age', operator: 'greaterThanInclusive', value: 18 },
              { fact: 'previousParticipations', operator: 'in', value: [0, 1] },
              { fact: 'province', operator: 'notIn', value: ['Bali'] },
              { fact: 'channel', operator: 'notEqual', value: 'ASSISTED' },
              { fact: 'receivesSocialAid', operator: 'equal', value: false },
              { fact: 'socialAidPrograms', operator: 'contains', value: 'PKH' },
              { fact: 'socialAidPrograms', operator: 'containsAll', value: ['PKH', 'BPNT'] },
              { fact: 'socialAidPrograms', operator: 'containsNone', value: ['BST'] },
              { fact: 'socialAidPrograms', operator: 'isEmpty', value: false },
              { not: { fact: 'dateOfBirth', operator: 'dateOnOrAfter', value: '2002-04-11' } },
              { fact: 'evaluationDate', operator: 'dateBefore', value: '2021-01-01' },
            ],
          },
          event: { type: 'priority', params: { points: 5, code: 'EVERYTHING', message: 'Every operator at once.' } },
        },
      ],
    });
    expect(validation).toMatchObject({ ok: true });
  });

  it('accepts a retired fact in a stored version, which keeps deciding as it did when published', () => {
    const retired = fs.readFileSync(path.join(INVALID_FIXTURES, 'retired-fact.json'), 'utf8');
    expect(validateRuleSet(retired, { allowRetiredFacts: true })).toMatchObject({ ok: true });
  });

  it('still checks the rest of a condition on a retired fact in a stored version', () => {
    const validation = validateRuleSet(
      {
        name: 'stored',
        description: '',
        rules: [
          {
            name: 'identity',
            conditions: { all: [{ fact: 'identityStatus', operator: 'equal', value: 'VERIFIED' }] },
            event: { type: 'ineligible', params: { code: 'IDENTITY', message: 'Not verified.' } },
          },
        ],
      },
      { allowRetiredFacts: true },
    );
    expect(validation).toMatchObject({ ok: false, errors: [{ code: 'VALUE_NOT_IN_ENUM', path: 'rules[0].conditions.all[0].value' }] });
  });

  describe('for publication', () => {
    const ageRule = defaultRuleSetJson.rules[0]!;
    const withParams = (params: Record<string, unknown>) => ({ ...defaultRuleSetJson, rules: [{ ...ageRule, event: { type: 'ineligible', params } }], testCases: [] });

    it('accepts the default rule set: every rule names its legal basis and speaks to the person in both languages', () => {
      expect(validateRuleSet(defaultRuleSetJson, { forPublication: true })).toMatchObject({ ok: true });
      for (const rule of defaultRuleSetJson.rules) {
        expect(rule.event.params).toEqual(expect.objectContaining({ reference: expect.stringMatching(/Peraturan/), messages: { id: expect.any(String), en: expect.any(String) } }));
      }
    });

    it('lets a draft leave the legal basis out, and refuses it for publication at each missing path, naming the rule', () => {
      const draft = withParams({ code: 'UNDER_MINIMUM_AGE', message: 'Under 18.' });
      expect(validateRuleSet(draft)).toMatchObject({ ok: true });
      expect(validationErrors(draft, { forPublication: true })).toEqual([
        { code: 'MISSING_PARTICIPANT_MESSAGE', path: 'rules[0].event.params.messages', rule: 'under-minimum-age', message: expect.stringContaining('Bahasa Indonesia and English') },
        { code: 'MISSING_LEGAL_REFERENCE', path: 'rules[0].event.params.reference', rule: 'under-minimum-age', message: expect.stringContaining('names its legal basis') },
      ]);
    });

    it('refuses messages in one language only, or empty, as a draft too', () => {
      const oneLanguage = withParams({ code: 'UNDER_MINIMUM_AGE', message: 'Under 18.', reference: 'Perpres 36/2020, Pasal 3', messages: { id: 'Belum 18 tahun.' } });
      expect(validationErrors(oneLanguage)).toEqual([expect.objectContaining({ path: 'rules[0].event.params.messages.en' })]);
      const emptyReference = withParams({ code: 'UNDER_MINIMUM_AGE', message: 'Under 18.', reference: ' ', messages: { id: 'Belum 18 tahun.', en: 'Not yet 18.' } });
      expect(validationErrors(emptyReference)).toEqual([expect.objectContaining({ path: 'rules[0].event.params.reference' })]);
    });
  });

  it('uses only the documented error codes', () => {
    const codes = fs
      .readdirSync(INVALID_FIXTURES)
      .flatMap((file) => validationErrors(fs.readFileSync(path.join(INVALID_FIXTURES, file), 'utf8')))
      .map((error) => error.code);
    for (const code of codes) expect(RULE_SET_ERROR_CODES).toContain(code);
  });
});
