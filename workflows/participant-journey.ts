// One participant's whole path, signup to last survey payment, as one durable workflow: the
// program's rulebook, step by step. Deterministic: every decision that needs the world (registry
// checks, rules, money, mail) is an activity inside a step (participant-journey/); the state and
// the message handlers that change it live in participant-journey/journey-state.ts.
import { allHandlersFinished, condition, isCancellation, log, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ParticipantJourneyInput, ParticipantState } from './participant-journey.definitions';
import { internal } from './participant-journey/activities';
import { verifyEmail } from './participant-journey/email-verification';
import { decideEligibility } from './participant-journey/eligibility';
import { verifyIdentity } from './participant-journey/identity';
import { JourneyEnded, JourneyState, now } from './participant-journey/journey-state';
import { leave } from './participant-journey/leaving';
import { payIncentives } from './participant-journey/payments';
import { takeSurveys } from './participant-journey/surveys';
import { train } from './participant-journey/training';
import { joinWaveUntilSelected } from './participant-journey/waves';
import { provinceAttribute } from './search-attributes';

export async function participantJourney(input: ParticipantJourneyInput): Promise<ParticipantState> {
  const { participantId } = input;
  const journey = new JourneyState(input);
  journey.handleMessages();
  upsertSearchAttributes([{ key: provinceAttribute, value: input.province }]);

  // Any step may end the journey early: a deadline missed, a check failed, or an exit asked for
  // (withdrawal, cancellation, a re-evaluation found ineligible) while the step waits.
  try {
    // The registrant confirms the email address within the calendar's window.
    await verifyEmail(journey);
    // Dukcapil confirms the NIK; a mismatch may be corrected a limited number of times.
    await verifyIdentity(journey);
    // The registries' facts, decided by the rule-set version in force.
    await decideEligibility(journey);
    // The participant applies to waves (or is carried over) until a lottery selects them.
    await joinWaveUntilSelected(journey);
    // The training balance is credited; a training is bought before the deadline and completed.
    await train(journey);
    // Monthly incentives, only after the training is completed.
    await payIncentives(journey);
    // Surveys, each paid when submitted in its window.
    await takeSurveys(journey);
    await journey.moveTo('COMPLETED');
    await internal.recordMilestone({ participantId, milestone: 'completedAt', at: now() });
  } catch (error) {
    if (isCancellation(error) || !(error instanceof JourneyEnded)) throw error;
    log.info('Journey ended early', { participantId, stage: error.stage });
    await leave(journey, error);
  }
  // Let update handlers that are still running (e.g. a payout account being stored) finish.
  await condition(allHandlersFinished);
  log.info('Journey finished', { participantId, stage: journey.state.stage, workflowId: workflowInfo().workflowId });
  return journey.state;
}
