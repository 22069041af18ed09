// The journey's own payment step on a journey state of its own, for the payment-refusals test:
// what the participant's journey does when the provider refuses a payment for good.
import type { ParticipantJourneyInput, ParticipantState } from '../../../workflows/participant-journey.definitions';
import { JourneyState } from '../../../workflows/participant-journey/journey-state';
import { pay } from '../../../workflows/participant-journey/payments';

export async function payingJourney(input: ParticipantJourneyInput): Promise<ParticipantState> {
  const journey = new JourneyState(input);
  journey.handleMessages();
  await pay(journey, 'INCENTIVE', 1, 600_000);
  return journey.state;
}
