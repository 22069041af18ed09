// One participant's whole path, signup to last survey payment, as one durable workflow: the
// program's rulebook, step by step. Deterministic: every decision that needs the world (registry
// checks, rules, money, mail) is an activity inside a step (participant-journey/); the state and
// the message handlers that change it live in participant-journey/journey-state.ts.
import { allHandlersFinished, condition, isCancellation, log, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ParticipantJourneyInput, ParticipantState } from './participant-journey.definitions';
import { internal } from './participant-journey/activities';
import { hearAppeal } from './participant-journey/appeals';
import { JourneyEnded, JourneyState, now } from './participant-journey/journey-state';
import { leave } from './participant-journey/leaving';
import { type JourneyStep, walkFrom } from './participant-journey/steps';
import { provinceAttribute } from './search-attributes';

export async function participantJourney(input: ParticipantJourneyInput): Promise<ParticipantState> {
  const { participantId } = input;
  const journey = new JourneyState(input);
  journey.handleMessages();
  upsertSearchAttributes([{ key: provinceAttribute, value: input.province }]);

  let from: JourneyStep = 'EMAIL';
  for (;;) {
    // Any step may end the journey early: a deadline missed, a check failed, or an exit asked for
    // (withdrawal, cancellation, a re-evaluation found ineligible) while the step waits.
    try {
      await walkFrom(journey, from);
      await journey.moveTo('COMPLETED');
      await internal.recordMilestone({ participantId, milestone: 'completedAt', at: now() });
      journey.notify({ kind: 'COMPLETED', totalPaid: journey.state.payments.reduce((sum, payment) => sum + payment.amount, 0) });
      break;
    } catch (error) {
      if (isCancellation(error) || !(error instanceof JourneyEnded)) throw error;
      log.info('Journey ended early', { participantId, stage: error.stage });
      await leave(journey, error);
      // An appealable exit waits for an appeal; overturned, the participant resumes where they belong.
      const resumeAt = await hearAppeal(journey, error);
      if (resumeAt === undefined) break;
      log.info('Journey resumed after an appeal', { participantId, step: resumeAt });
      from = resumeAt;
    }
  }
  // Let update handlers that are still running (e.g. a payout account being stored) finish, and
  // the last notices go out.
  await condition(allHandlersFinished);
  await journey.noticesSent();
  log.info('Journey finished', { participantId, stage: journey.state.stage, workflowId: workflowInfo().workflowId });
  return journey.state;
}
