// The first eligibility decision, by the rule-set version in force. Re-evaluations under a later
// version arrive as a signal (JourneyState's handler); both gather facts in JourneyState.checkEligibility.
import { JourneyEnded, type JourneyState } from './journey-state';

export async function decideEligibility(journey: JourneyState) {
  await journey.moveTo('CHECKING_ELIGIBILITY');
  const decision = await journey.checkEligibility('INITIAL');
  journey.recordEligibility(decision);
  if (decision.outcome === 'INELIGIBLE') {
    throw new JourneyEnded('INELIGIBLE', decision.reasons.map((r) => r.code).join(', '), { summary: decision, reevaluation: false });
  }
  journey.notify({ kind: 'ELIGIBLE' });
}
