// The appeals screens' logic that is not drawing: the queue's address for a filter, an appeal's age
// and the service level, the reviewer's decision checked as the API checks it, and whether the
// signed-in reviewer took part in the decision appealed.
import { appealDecisionRequestSchema } from '../../../api/appeals/appeal.schema';
import { checkAppealDecision, documentFileName, EMPTY_DECISION_FORM, tookPartInDecision, type AppealDecisionForm } from '../../../console/src/appeals/appeal-decision';
import { ageParts, AGE_BANDS, APPEAL_STATUSES, appealQueuePath, isPastServiceLevel, SERVICE_LEVEL_HOURS } from '../../../console/src/appeals/appeal-queue';
import { DICTIONARIES } from '../../../console/src/shared/i18n';

describe('the appeals queue', () => {
  it('asks for one status, or every one', () => {
    expect(appealQueuePath('OPEN')).toBe('/v1/appeals?limit=200&status=OPEN');
    expect(appealQueuePath('ALL', 50)).toBe('/v1/appeals?limit=50');
    expect(APPEAL_STATUSES).toEqual(['OPEN', 'UPHELD', 'OVERTURNED']);
  });

  it('tells an appeal\'s age in whole days and hours', () => {
    expect(ageParts(0)).toEqual({ days: 0, hours: 0 });
    expect(ageParts(23)).toEqual({ days: 0, hours: 23 });
    expect(ageParts(50)).toEqual({ days: 2, hours: 2 });
    expect(ageParts(SERVICE_LEVEL_HOURS)).toEqual({ days: 14, hours: 0 });
  });

  it('marks an open appeal from 14 days on (where the API counts it over 14 days), never a decided one', () => {
    expect(isPastServiceLevel({ status: 'OPEN', ageHours: SERVICE_LEVEL_HOURS - 1 })).toBe(false);
    expect(isPastServiceLevel({ status: 'OPEN', ageHours: SERVICE_LEVEL_HOURS })).toBe(true);
    expect(isPastServiceLevel({ status: 'UPHELD', ageHours: 1_000 })).toBe(false);
  });

  it('shows the service level\'s bands youngest first, as the API counts them', () => {
    expect(AGE_BANDS).toEqual(['underOneDay', 'oneToSevenDays', 'sevenToFourteenDays', 'overFourteenDays']);
  });
});

describe('the reviewer\'s decision', () => {
  const form = (overrides: Partial<AppealDecisionForm>): AppealDecisionForm => ({ ...EMPTY_DECISION_FORM, ...overrides });

  it('asks for an outcome and a reason before anything is sent', () => {
    expect(checkAppealDecision(EMPTY_DECISION_FORM)).toEqual({ problems: { outcome: 'required', reason: 'required' } });
    expect(checkAppealDecision(form({ outcome: 'UPHELD', reason: '  ok  ' }))).toEqual({ problems: { reason: 'tooShort' } });
    expect(checkAppealDecision(form({ outcome: 'UPHELD', reason: 'x'.repeat(2001) }))).toEqual({ problems: { reason: 'tooLong' } });
  });

  it('needs the rules to decide again under when overturning', () => {
    expect(checkAppealDecision(form({ outcome: 'OVERTURNED', reason: 'The registry was wrong.' }))).toEqual({ problems: { rulesBasis: 'required' } });
    expect(checkAppealDecision(form({ outcome: 'OVERTURNED', reason: ' The registry was wrong. ', rulesBasis: 'TODAY' }))).toEqual({
      request: { outcome: 'OVERTURNED', reason: 'The registry was wrong.', rulesBasis: 'TODAY' },
    });
  });

  it('leaves out a rules basis chosen before switching to uphold', () => {
    expect(checkAppealDecision(form({ outcome: 'UPHELD', reason: 'The age rule applies.', rulesBasis: 'ORIGINAL_DECISION_DATE' }))).toEqual({
      request: { outcome: 'UPHELD', reason: 'The age rule applies.' },
    });
  });

  it('sends only what the API accepts, and refuses what the API refuses', () => {
    const cases: AppealDecisionForm[] = [
      form({ outcome: 'UPHELD', reason: 'The age rule applies.' }),
      form({ outcome: 'OVERTURNED', reason: 'Registry corrected.', rulesBasis: 'ORIGINAL_DECISION_DATE' }),
      form({ outcome: 'OVERTURNED', reason: 'Registry corrected.' }),
      form({ outcome: 'UPHELD', reason: 'no' }),
    ];
    for (const candidate of cases) {
      const checked = checkAppealDecision(candidate);
      const body = checked.request ?? { outcome: candidate.outcome, reason: candidate.reason, ...(candidate.rulesBasis ? { rulesBasis: candidate.rulesBasis } : {}) };
      expect(appealDecisionRequestSchema.safeParse(body).success).toBe(checked.request !== undefined);
    }
  });

  it('has words for every problem in both languages', () => {
    for (const t of Object.values(DICTIONARIES)) {
      for (const [field, problem] of [['outcome', 'required'], ['reason', 'required'], ['reason', 'tooShort'], ['reason', 'tooLong'], ['rulesBasis', 'required']] as const) {
        expect(t.decisionProblem(field, problem)).toEqual(expect.any(String));
      }
    }
    expect(DICTIONARIES.id.decisionProblem('reason', 'tooShort')).not.toBe(DICTIONARIES.en.decisionProblem('reason', 'tooShort'));
  });

  it('knows when the signed-in reviewer took part in the decision appealed', () => {
    const appeal = { decisionActors: ['dev-operator', 'dev-appeals-reviewer-2'] };
    expect(tookPartInDecision(appeal, 'dev-appeals-reviewer-2')).toBe(true);
    expect(tookPartInDecision(appeal, ' DEV-Appeals-Reviewer-2 ')).toBe(true);
    // As the API compares them: case and surrounding spaces on either side do not matter.
    expect(tookPartInDecision({ decisionActors: ['  Dev-Operator '] }, 'dev-operator')).toBe(true);
    expect(tookPartInDecision(appeal, 'dev-appeals-reviewer')).toBe(false);
    expect(tookPartInDecision(appeal, undefined)).toBe(false);
  });

  it('names a downloaded document by the appeal and its type', () => {
    expect(documentFileName('5b0c', 'application/pdf')).toBe('appeal-5b0c.pdf');
    expect(documentFileName('5b0c', 'image/jpeg')).toBe('appeal-5b0c.jpg');
    expect(documentFileName('5b0c', 'text/plain')).toBe('appeal-5b0c');
  });
});
