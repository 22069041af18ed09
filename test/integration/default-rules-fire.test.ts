// Every rule of the default rule set can fire in a real journey: for each rule in
// rules/default-rule-set.json, a participant whose registry records and registration make that
// rule fire goes through registration, email, Dukcapil and the registries to the recorded
// decision. A rule that no journey can reach would be one a program manager edits for nothing.
import defaultRuleSet from '../../rules/default-rule-set.json';
import { api, KEYS, sim, type TestResident } from '../support/http';
import { register, verifyEmail, waitForState } from '../support/journeys';

jest.setTimeout(180_000);

interface RuleFiringParticipant {
  /** The resident as Dukcapil, DTKS, Dapodik and Kemnaker know them. */
  resident?: Partial<TestResident>;
  /** What the registrant declares. */
  registration?: Record<string, unknown>;
  /** Records in the participation registry. */
  pastParticipations?: Array<{ program: string; year: number; wave: number }>;
}

/** A date of birth that makes the person `years` old today (and on the program's date, a few hours away). */
function bornYearsAgo(years: number): string {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  return date.toISOString().slice(0, 10);
}

/** Who makes each rule fire. A rule added to the file without a participant here fails the test. */
const PARTICIPANT_FOR_RULE: Record<string, RuleFiringParticipant> = {
  'under-minimum-age': { resident: { dateOfBirth: bornYearsAgo(17) } },
  'currently-student': { resident: { isStudent: true } },
  'already-participated': { pastParticipations: [{ program: 'PRAKERJA_SEMI_BANSOS', year: 2021, wave: 17 }] },
  'priority-laid-off': { resident: { onLaidOffList: true }, registration: { employmentStatus: 'LAID_OFF' } },
  'priority-furloughed': { resident: { onLaidOffList: false }, registration: { employmentStatus: 'FURLOUGHED' } },
  'priority-micro-business-lost-income': { resident: { onLaidOffList: false }, registration: { employmentStatus: 'MICRO_BUSINESS', microBusinessLostIncome: true } },
  'priority-no-other-social-aid': { resident: { socialAid: [] } },
};

interface RuleInExplanation {
  name: string;
  fired: boolean;
  event: { type: string; params: { code: string } };
}

describe('the default rule set in real journeys', () => {
  it('describes a participant for every rule in the file, and for no other', () => {
    expect(Object.keys(PARTICIPANT_FOR_RULE).sort()).toEqual(defaultRuleSet.rules.map((rule) => rule.name).sort());
  });

  it.each(defaultRuleSet.rules.map((rule) => [rule.name, rule] as const))('fires %s', async (name, rule) => {
    const firing = PARTICIPANT_FOR_RULE[name];
    if (!firing) throw new Error(`no participant makes rule "${name}" fire: describe one in PARTICIPANT_FOR_RULE`);

    const registered = await register(firing.resident, firing.registration);
    // Recorded before the email is verified: the journey checks nothing until then.
    for (const past of firing.pastParticipations ?? []) {
      const recorded = await sim('POST', '/sim/participations', { nik: registered.resident.nik, ...past });
      expect(recorded.status).toBe(201);
    }
    await verifyEmail(registered);
    const { participantId } = registered;
    const decided = await waitForState(participantId, 'the eligibility decision', (state) => state.stage === 'ELIGIBLE' || state.stage === 'INELIGIBLE', 90_000);

    // Decided by the default rules, not by a version another test left in force.
    const ruleSet = await api('GET', `/v1/rule-sets/${decided.eligibility.ruleSetId}`, { key: KEYS.operator });
    expect(ruleSet.body.rules).toEqual(defaultRuleSet.rules);

    const exported = await api('POST', `/v1/participants/${participantId}/data-export`, { body: { reason: `Test that rule ${name} fires in a journey` } });
    expect(exported.status).toBe(200);
    const [decision] = exported.body.eligibilityDecisions;
    const explained = (decision.explanation.rules as RuleInExplanation[]).find((candidate) => candidate.name === name);
    expect(explained).toMatchObject({ fired: true, event: { type: rule.event.type, params: { code: rule.event.params.code } } });
    if (rule.event.type === 'ineligible') {
      expect(decided.stage).toBe('INELIGIBLE');
      expect(decided.eligibility.reasons.map((reason: { code: string }) => reason.code)).toContain(rule.event.params.code);
    }
  });
});
