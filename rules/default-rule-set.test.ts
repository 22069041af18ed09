/** The 2020 program's rules, one changed fixture field per case, through json-rules-engine and the compiled evaluator. */
import { compileRuleSet } from './compile';
import { loadDefaultRuleSet } from './default-rule-set';
import { evaluateRuleSet } from './evaluate';
import type { EligibilityInput } from './facts';

const ruleSet = loadDefaultRuleSet();
const compiledRuleSet = compileRuleSet(ruleSet);

/** Wave 1 opened on 11 April 2020. An eligible applicant in no priority group (employed, already receives PKH). */
const eligibleApplicant: EligibilityInput = {
  dateOfBirth: '1990-06-15',
  isStudent: false,
  socialAidPrograms: ['PKH'],
  onLaidOffList: false,
  employmentStatus: 'EMPLOYED',
  microBusinessLostIncome: false,
  province: 'Jawa Barat',
  previousParticipations: 0,
  identityStatus: 'MATCH',
  channel: 'SELF',
  evaluationDate: '2020-04-11',
};

type Expected = { outcome: 'ELIGIBLE' | 'INELIGIBLE'; reasons: string[]; priority: number; priorityReasons: string[] };

async function decide(change: Partial<EligibilityInput>) {
  const input = { ...eligibleApplicant, ...change };
  const decision = await evaluateRuleSet(ruleSet, input);
  const compiled = compiledRuleSet(input);
  const result: Expected = {
    outcome: decision.outcome,
    reasons: decision.reasons.map((reason) => reason.code),
    priority: decision.priority,
    priorityReasons: decision.priorityReasons.map((reason) => reason.code),
  };
  expect(compiled).toEqual({ outcome: result.outcome, priority: result.priority, reasonCodes: result.reasons });
  return result;
}

const eligible = (priority = 0, priorityReasons: string[] = []): Expected => ({ outcome: 'ELIGIBLE', reasons: [], priority, priorityReasons });
const ineligible = (reasons: string[], priority = 0, priorityReasons: string[] = []): Expected => ({ outcome: 'INELIGIBLE', reasons, priority, priorityReasons });

describe('default rule set: who may join', () => {
  it.each<[string, Partial<EligibilityInput>, Expected]>([
    ['the base applicant', {}, eligible()],
    ['17 years and 364 days old', { dateOfBirth: '2002-04-12' }, ineligible(['UNDER_MINIMUM_AGE'])],
    ['exactly 18 today', { dateOfBirth: '2002-04-11' }, eligible()],
    ['18 and one day', { dateOfBirth: '2002-04-10' }, eligible()],
    ['born 29 February 2000, on 28 February 2018', { dateOfBirth: '2000-02-29', evaluationDate: '2018-02-28' }, ineligible(['UNDER_MINIMUM_AGE'])],
    ['born 29 February 2000, on 1 March 2018', { dateOfBirth: '2000-02-29', evaluationDate: '2018-03-01' }, eligible()],
    ['a student', { isStudent: true }, ineligible(['CURRENTLY_STUDENT'])],
    ['already a participant', { previousParticipations: 1 }, ineligible(['ALREADY_PARTICIPATED'])],
    ['a participant three times over', { previousParticipations: 3 }, ineligible(['ALREADY_PARTICIPATED'])],
    ['registered with assistance', { channel: 'ASSISTED' }, eligible()],
    // Identity is decided before the rules run; the retired fact never changes a decision.
    ['an identity status other than MATCH', { identityStatus: 'DECEASED' }, eligible()],
    ['from another province', { province: 'Papua' }, eligible()],
  ])('%s', async (_case, change, expected) => {
    expect(await decide(change)).toEqual(expected);
  });

  it('reports every failed criterion at once, in rule-set order', async () => {
    expect(await decide({ dateOfBirth: '2002-04-12', isStudent: true, previousParticipations: 1 })).toEqual(
      ineligible(['UNDER_MINIMUM_AGE', 'CURRENTLY_STUDENT', 'ALREADY_PARTICIPATED']),
    );
    expect(await decide({ isStudent: true, previousParticipations: 2 })).toEqual(ineligible(['CURRENTLY_STUDENT', 'ALREADY_PARTICIPATED']));
  });
});

describe('default rule set: who goes first', () => {
  it.each<[string, Partial<EligibilityInput>, Expected]>([
    ['on the laid-off list', { onLaidOffList: true }, eligible(30, ['PRIORITY_LAID_OFF'])],
    ['declared laid off', { employmentStatus: 'LAID_OFF' }, eligible(30, ['PRIORITY_LAID_OFF'])],
    ['declared laid off and on the list (counted once)', { employmentStatus: 'LAID_OFF', onLaidOffList: true }, eligible(30, ['PRIORITY_LAID_OFF'])],
    ['sent home', { employmentStatus: 'FURLOUGHED' }, eligible(30, ['PRIORITY_FURLOUGHED'])],
    ['sent home and on the list (counted once, as listed)', { employmentStatus: 'FURLOUGHED', onLaidOffList: true }, eligible(30, ['PRIORITY_LAID_OFF'])],
    ['a micro business that lost its income', { employmentStatus: 'MICRO_BUSINESS', microBusinessLostIncome: true }, eligible(30, ['PRIORITY_MICRO_BUSINESS_LOST_INCOME'])],
    ['a micro business that kept its income', { employmentStatus: 'MICRO_BUSINESS', microBusinessLostIncome: false }, eligible()],
    ['a micro business that did not say', { employmentStatus: 'MICRO_BUSINESS', microBusinessLostIncome: undefined }, eligible()],
    ['lost income but not a micro business', { employmentStatus: 'JOB_SEEKER', microBusinessLostIncome: true }, eligible()],
    ['a job seeker', { employmentStatus: 'JOB_SEEKER' }, eligible()],
    ['no other social aid', { socialAidPrograms: [] }, eligible(20, ['PRIORITY_NO_OTHER_SOCIAL_AID'])],
    ['two other programs', { socialAidPrograms: ['PKH', 'BPNT'] }, eligible()],
  ])('%s', async (_case, change, expected) => {
    expect(await decide(change)).toEqual(expected);
  });

  it.each<[string, Partial<EligibilityInput>]>([
    ['laid off', { employmentStatus: 'LAID_OFF' }],
    ['sent home', { employmentStatus: 'FURLOUGHED' }],
    ['a micro business that lost its income', { employmentStatus: 'MICRO_BUSINESS', microBusinessLostIncome: true }],
  ])('%s and receiving no other aid adds up to 50', async (_group, change) => {
    expect((await decide({ ...change, socialAidPrograms: [] })).priority).toBe(50);
  });

  it('ranks hit and unaided first, then hit, then unaided, then neither', async () => {
    const hitAndUnaided = await decide({ employmentStatus: 'LAID_OFF', socialAidPrograms: [] });
    const hit = await decide({ employmentStatus: 'FURLOUGHED' });
    const unaided = await decide({ socialAidPrograms: [] });
    const neither = await decide({});
    expect([hitAndUnaided, hit, unaided, neither].map((decision) => decision.priority)).toEqual([50, 30, 20, 0]);
  });

  it('still computes priority for an ineligible applicant', async () => {
    expect(await decide({ isStudent: true, onLaidOffList: true })).toEqual(ineligible(['CURRENTLY_STUDENT'], 30, ['PRIORITY_LAID_OFF']));
  });
});
