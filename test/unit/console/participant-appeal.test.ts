// A participant's appeal in the console: whether they have left, until when they may appeal or
// how their appeal stands, a reinstated participant back on the timeline with the appeal as an
// event, and the audit trail with the appeal's steps among the operator actions, in words.
import type { AppealStepView, OperatorActionView, ParticipantView } from '../../../api/participants/participant.schema';
import { auditTrailEntries, describeAppealStep } from '../../../console/src/program/audit-trail-entries';
import { appealStanding, hasLeftProgram, type ParticipantAppeal } from '../../../console/src/program/participant-appeal';
import { appealOnTimeline, stageTimeline } from '../../../console/src/program/stage-timeline';
import { DICTIONARIES } from '../../../console/src/shared/i18n';
import { participant } from './participant-view';

const APPEAL_ID = '5b0c1d2e-3f40-4a51-8b62-7c8d9e0f1a2b';
const NOW = new Date('2020-04-20T00:00:00.000Z');
const ineligibility = { ...participant({}).eligibility!, outcome: 'INELIGIBLE' as const, evaluatedAt: '2020-04-11T03:00:00.000Z' };
const exit = { reason: 'Ineligible: AGE_BELOW_MINIMUM', at: '2020-04-11T03:00:00.000Z', by: null, repayment: null };

function appeal(overrides: Partial<ParticipantAppeal>): ParticipantAppeal {
  return { appealId: APPEAL_ID, appealedStage: 'INELIGIBLE', status: 'OPEN', filedAt: '2020-04-12T00:00:00.000Z', decidedAt: null, decidedBy: null, rulesBasis: null, result: null, ...overrides };
}

/** Found ineligible on 11 April, with two weeks to appeal. */
const ineligible = (overrides: Partial<ParticipantView> = {}) =>
  participant({ stage: 'INELIGIBLE', eligibility: ineligibility, exit, appealableUntil: '2020-04-25T03:00:00.000Z', ...overrides });

/** Overturned on 14 April and eligible on the recheck: the exit cleared, waiting to apply to a wave again. */
const reinstated = (overrides: Partial<ParticipantView> = {}) =>
  participant({
    stage: 'ELIGIBLE',
    stageChangedAt: '2020-04-14T00:05:00.000Z',
    eligibility: { ...ineligibility, outcome: 'ELIGIBLE', evaluatedAt: '2020-04-14T00:04:00.000Z' },
    appeal: appeal({ status: 'OVERTURNED', decidedAt: '2020-04-14T00:00:00.000Z', decidedBy: 'dev-appeals-reviewer', rulesBasis: 'TODAY', result: 'REINSTATED' }),
    ...overrides,
  });

describe('where a participant stands on appealing', () => {
  it('says until when someone who left by an appealable way out may appeal, and when the window has closed', () => {
    expect(appealStanding(ineligible(), NOW)).toEqual({ kind: 'appealable', until: '2020-04-25T03:00:00.000Z', windowOpen: true });
    expect(appealStanding(ineligible(), new Date('2020-04-26T00:00:00.000Z'))).toMatchObject({ kind: 'appealable', windowOpen: false });
  });

  it('has nothing to say on the path, or after a way out that is not appealed', () => {
    expect(appealStanding(participant({}), NOW)).toEqual({ kind: 'none' });
    expect(appealStanding(participant({ stage: 'WITHDRAWN', exit: { ...exit, reason: 'Withdrew' } }), NOW)).toEqual({ kind: 'none' });
  });

  it('shows the appeal once there is one, and the one that brought a participant back', () => {
    const open = appeal({});
    expect(appealStanding(ineligible({ appeal: open }), NOW)).toEqual({ kind: 'appealed', appeal: open });
    expect(appealStanding(reinstated(), NOW)).toMatchObject({ kind: 'appealed', appeal: { result: 'REINSTATED' } });
  });

  it('does not take an appeal of an earlier exit for one of the exit the participant is in now', () => {
    const leftAgain = reinstated({ stage: 'INELIGIBLE', exit: { ...exit, at: '2020-05-01T00:00:00.000Z' }, appealableUntil: '2020-05-15T00:00:00.000Z' });
    expect(appealStanding(leftAgain, NOW)).toEqual({ kind: 'appealable', until: '2020-05-15T00:00:00.000Z', windowOpen: true });
    expect(hasLeftProgram(leftAgain)).toBe(true);
  });
});

const states = (view: ParticipantView) => Object.fromEntries(stageTimeline(view).map((step) => [step.key, step.state]));

describe('the appeal on the stage timeline', () => {
  it('puts a reinstated participant on the path again, even while the stage still names the way out', () => {
    expect(hasLeftProgram(reinstated())).toBe(false);
    expect(states(reinstated()).appliedToWave).toBe('current');
    // The journey cleared the exit and has not moved on yet.
    const resuming = reinstated({ stage: 'INELIGIBLE' });
    expect(hasLeftProgram(resuming)).toBe(false);
    expect(states(resuming)).toMatchObject({ eligibilityDecided: 'done', appliedToWave: 'current', selected: 'upcoming' });
    expect(Object.values(states(resuming))).not.toContain('skipped');
  });

  it('shows the appeal after the exit it appeals', () => {
    expect(appealOnTimeline(ineligible())).toBeNull();
    expect(appealOnTimeline(ineligible({ appeal: appeal({}) }))).toMatchObject({ at: '2020-04-12T00:00:00.000Z', beforeStep: null });
    const upheld = appeal({ status: 'UPHELD', decidedAt: '2020-04-13T00:00:00.000Z', decidedBy: 'dev-appeals-reviewer' });
    expect(appealOnTimeline(ineligible({ appeal: upheld }))).toMatchObject({ at: '2020-04-13T00:00:00.000Z', beforeStep: null });
  });

  it('shows the appeal that brought a participant back where their path went on', () => {
    // Decided again after the appeal's decision: the eligibility decision follows it.
    expect(appealOnTimeline(reinstated())).toMatchObject({ at: '2020-04-14T00:00:00.000Z', beforeStep: 'eligibilityDecided' });
    const decidedUnderOldRules = reinstated({ eligibility: { ...ineligibility, outcome: 'ELIGIBLE', evaluatedAt: '2020-04-11T03:00:00.000Z' } });
    expect(appealOnTimeline(decidedUnderOldRules)).toMatchObject({ beforeStep: 'appliedToWave' });
  });
});

const action = (requestedAt: string): OperatorActionView => ({
  actionId: `0372c6b0-df13-4130-a098-${requestedAt.slice(8, 10)}0000000000`,
  batchId: null,
  kind: 'RESEND_VERIFICATION_EMAIL',
  actor: 'dev-operator',
  actorRole: 'operator',
  reason: 'mail never came',
  requestedAt,
  outcome: 'DONE',
  refusalCode: null,
  before: null,
  after: null,
  completedAt: requestedAt,
});

const step = (overrides: Partial<AppealStepView> & Pick<AppealStepView, 'step' | 'at'>): AppealStepView => ({
  appealId: APPEAL_ID,
  appealedStage: 'INELIGIBLE',
  actor: null,
  actorRole: null,
  outcome: null,
  reason: null,
  rulesBasis: null,
  result: null,
  ...overrides,
});

describe('the audit trail with the appeal\'s steps', () => {
  const filed = step({ step: 'FILED', at: '2020-04-12T00:00:00.000Z', actorRole: 'participant', withDocument: true, identityCorrected: false });
  const overturned = step({ step: 'DECIDED', at: '2020-04-14T00:00:00.000Z', actor: 'dev-appeals-reviewer', actorRole: 'reviewer', outcome: 'OVERTURNED', reason: 'The registry was wrong.', rulesBasis: 'TODAY' });
  const result = step({ step: 'RESULT', at: '2020-04-14T00:04:00.000Z', result: 'REINSTATED' });

  it('lists the appeal\'s steps among the operator actions, oldest first', () => {
    const entries = auditTrailEntries({ actions: [action('2020-04-10T00:00:00.000Z'), action('2020-04-13T00:00:00.000Z'), action('2020-04-14T00:00:00.000Z')], appealSteps: [filed, overturned, result] });
    expect(entries.map((entry) => (entry.kind === 'action' ? `action ${entry.at.slice(8, 10)}` : entry.step.step))).toEqual([
      'action 10',
      'FILED',
      'action 13',
      // At the same moment, the action first.
      'action 14',
      'DECIDED',
      'RESULT',
    ]);
  });

  it('tells each step in words: filed, upheld or overturned by whom and why, the result', () => {
    const t = DICTIONARIES.en;
    expect(describeAppealStep(filed, t)).toBe('The participant appealed leaving the program (Ineligible), with a document.');
    expect(describeAppealStep({ ...filed, withDocument: false }, t)).toBe('The participant appealed leaving the program (Ineligible).');
    expect(describeAppealStep(overturned, t)).toBe('Overturned by dev-appeals-reviewer, decided again under the rules in force today. Reason: “The registry was wrong.”');
    expect(describeAppealStep({ ...overturned, outcome: 'UPHELD', rulesBasis: null, reason: 'The age rule applies.' }, t)).toBe(
      'Upheld by dev-appeals-reviewer: the exit stands. Reason: “The age rule applies.”',
    );
    expect(describeAppealStep(result, t)).toBe('Eligible on the recheck: reinstated, back on the path.');
  });

  it('has the words in both languages', () => {
    for (const candidate of [filed, { ...filed, withDocument: false, identityCorrected: true }, overturned, { ...overturned, outcome: 'UPHELD' as const }, result]) {
      expect(describeAppealStep(candidate, DICTIONARIES.id)).not.toBe(describeAppealStep(candidate, DICTIONARIES.en));
    }
    expect(describeAppealStep(overturned, DICTIONARIES.id)).toBe('Dibatalkan oleh dev-appeals-reviewer, diputus ulang dengan aturan yang berlaku hari ini. Alasan: “The registry was wrong.”');
    for (const outcome of ['REINSTATED', 'NOT_ELIGIBLE_ON_RECHECK', 'IDENTITY_NOT_CONFIRMED'] as const) {
      expect(describeAppealStep({ ...result, result: outcome }, DICTIONARIES.id)).toEqual(expect.any(String));
    }
  });
});
