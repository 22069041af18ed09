// Selected participants get the training balance and must buy a first training before the
// calendar's deadline, or the card is revoked; training purchases and completions arrive as updates.
import { internal } from './activities';
import { deadlineAfter, JourneyEnded, type JourneyState } from './journey-state';

export async function train(journey: JourneyState) {
  const { state, participantId, terms } = journey;
  await internal.recordLedgerEntry({ participantId, kind: 'TRAINING_CREDIT', amount: terms.trainingBalance, idempotencyKey: `${participantId}:training-credit` });
  state.trainingBalance = terms.trainingBalance;
  journey.openDeadline('TRAINING_PURCHASE', deadlineAfter(state.calendar.trainingPurchaseDeadline));
  await journey.moveTo('SELECTED');
  if (!(await journey.waitBeforeDeadline('TRAINING_PURCHASE', () => state.training !== undefined, state.calendar.trainingPurchaseDeadline))) {
    throw new JourneyEnded('REVOKED', 'TRAINING_NOT_PURCHASED_IN_TIME');
  }
  state.deadlines.trainingPurchaseBy = undefined;
  await journey.moveTo('IN_TRAINING');
  await internal.recordMilestone({ participantId, milestone: 'trainingPurchasedAt', at: state.training!.purchasedAt });
  await journey.waitFor(() => state.training?.completedAt !== undefined);
  await internal.recordMilestone({ participantId, milestone: 'trainingCompletedAt', at: state.training!.completedAt! });
}
