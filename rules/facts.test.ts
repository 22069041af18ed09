import fc from 'fast-check';
import { ageOnDate, isCalendarDate } from './calendar-date';
import { deriveEligibilityFacts, eligibilityInputSchema, FACT_NAMES, factCatalog, type EligibilityInput } from './facts';

const applicant: EligibilityInput = {
  dateOfBirth: '1990-06-15',
  isStudent: false,
  socialAidPrograms: ['PKH'],
  onLaidOffList: false,
  employmentStatus: 'EMPLOYED',
  province: 'Jawa Barat',
  previousParticipations: 0,
  identityStatus: 'MATCH',
  channel: 'SELF',
  evaluationDate: '2020-04-11',
};

describe('ageOnDate', () => {
  it.each([
    ['2002-04-12', '2020-04-11', 17, '17 years and 364 days'],
    ['2002-04-11', '2020-04-11', 18, '18th birthday'],
    ['2002-04-10', '2020-04-11', 18, 'the day after the 18th birthday'],
    ['2001-12-31', '2019-12-30', 17, 'the day before an end-of-year birthday'],
    ['2001-12-31', '2019-12-31', 18, 'an end-of-year birthday'],
    ['2000-02-29', '2018-02-28', 17, 'born 29 February, 28 February of a common year'],
    ['2000-02-29', '2018-03-01', 18, 'born 29 February, 1 March of a common year'],
    ['2000-02-29', '2020-02-28', 19, 'born 29 February, the day before a leap-year birthday'],
    ['2000-02-29', '2020-02-29', 20, 'born 29 February, a leap-year birthday'],
    ['2020-04-11', '2020-04-11', 0, 'born on the evaluation date'],
  ])('born %s, on %s → %i (%s)', (dateOfBirth, onDate, age) => {
    expect(ageOnDate(dateOfBirth, onDate)).toBe(age);
  });

  it('agrees with counting birthdays on the UTC calendar (which moves 29 February to 1 March in common years)', () => {
    const calendarDate = fc
      .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10));
    fc.assert(
      fc.property(calendarDate, calendarDate, (first, second) => {
        const [dateOfBirth, onDate] = first <= second ? [first, second] : [second, first];
        const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
        let birthdays = 0;
        while (new Date(Date.UTC(year + birthdays + 1, month - 1, day)).toISOString().slice(0, 10) <= onDate) birthdays += 1;
        expect(ageOnDate(dateOfBirth, onDate)).toBe(birthdays);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('isCalendarDate', () => {
  it.each(['2020-02-29', '2000-02-29', '1999-12-31', '2020-04-11'])('accepts %s', (date) => expect(isCalendarDate(date)).toBe(true));
  it.each(['2021-02-29', '1900-02-29', '2020-13-01', '2020-04-31', '2020-4-11', '2020-04-11T00:00:00Z', '', 20200411])('rejects %j', (date) =>
    expect(isCalendarDate(date)).toBe(false),
  );
});

describe('eligibility input and facts', () => {
  it('derives age and receivesSocialAid, and defaults microBusinessLostIncome to false', () => {
    const facts = deriveEligibilityFacts(eligibilityInputSchema.parse(applicant));
    expect(facts).toEqual({ ...applicant, age: 29, receivesSocialAid: true, microBusinessLostIncome: false });
    expect(deriveEligibilityFacts({ ...applicant, socialAidPrograms: [] }).receivesSocialAid).toBe(false);
  });

  it('supplies the retired identityStatus as MATCH when the caller leaves it out', () => {
    const { identityStatus: _left, ...withoutIdentity } = applicant;
    expect(deriveEligibilityFacts(eligibilityInputSchema.parse(withoutIdentity)).identityStatus).toBe('MATCH');
    expect(deriveEligibilityFacts(withoutIdentity).identityStatus).toBe('MATCH');
  });

  it('copies the list facts instead of sharing them with the caller', () => {
    const facts = deriveEligibilityFacts(applicant);
    expect(facts.socialAidPrograms).not.toBe(applicant.socialAidPrograms);
  });

  it.each([
    ['a birth after the evaluation date', { dateOfBirth: '2020-04-12' }],
    ['an impossible date', { evaluationDate: '2021-02-29' }],
    ['an unknown status', { identityStatus: 'VERIFIED' }],
    ['a misspelt optional fact', { microBusinesLostIncome: true }],
    ['a fractional participation count', { previousParticipations: 0.5 }],
  ])('rejects %s', (_problem, change) => {
    expect(eligibilityInputSchema.safeParse({ ...applicant, ...change }).success).toBe(false);
  });

  it('describes every fact the evaluation builds, and nothing else', () => {
    expect([...FACT_NAMES].sort()).toEqual(Object.keys(factCatalog).sort());
    expect(Object.keys(deriveEligibilityFacts(applicant)).sort()).toEqual([...FACT_NAMES].sort());
  });
});
