// Selected participants get the training balance and must buy a first training before the
// calendar's deadline, or the card is revoked; training purchases and completions arrive as updates.
import { purchaseReminderLeadOf, toMilliseconds } from '../../lib/program-calendar';
import { internal } from './activities';
import { deadlineAfter, JourneyEnded, type JourneyState } from './journey-state';

/** The selection's consequence: the wave's training balance, credited once. */
export async function creditTrainingBalance(journey: JourneyState) {
  const { state, participantId, terms } = journey;
  await internal.recordLedgerEntry({ participantId, kind: 'TRAINING_CREDIT', amount: terms.trainingBalance, idempotencyKey: `${participantId}:training-credit` });
  state.trainingBalance = terms.trainingBalance;
}

export async function buyFirstTraining(journey: JourneyState) {
  const { state } = journey;
  journey.openDeadline('TRAINING_PURCHASE', deadlineAfter(state.calendar.trainingPurchaseDeadline));
  await journey.moveTo('SELECTED');
  const purchaseBy = state.deadlines.trainingPurchaseBy!;
  if (state.wave) journey.notify({ kind: 'SELECTED', waveId: state.wave.waveId, waveNumber: state.wave.number, trainingBalance: state.trainingBalance, purchaseBy });
  const purchased = () => state.training !== undefined;
  await remindBeforePurchaseDeadline(journey, purchased);
  if (!(await journey.waitBeforeDeadline('TRAINING_PURCHASE', purchased, state.calendar.trainingPurchaseDeadline))) {
    throw new JourneyEnded('REVOKED', 'TRAINING_NOT_PURCHASED_IN_TIME');
  }
  state.deadlines.trainingPurchaseBy = undefined;
}

export async function completeTraining(journey: JourneyState) {
  const { state, participantId } = journey;
  await journey.moveTo('IN_TRAINING');
  await internal.recordMilestone({ participantId, milestone: 'trainingPurchasedAt', at: state.training!.purchasedAt });
  await journey.waitFor(() => state.training?.completedAt !== undefined);
  await internal.recordMilestone({ participantId, milestone: 'trainingCompletedAt', at: state.training!.completedAt! });
  journey.notify({ kind: 'TRAINING_COMPLETED' });
}

/**
 * Reminds a participant who has bought nothing, once, the calendar's lead before the purchase
 * deadline (an extension moves the reminder with it). None when the window is not longer than the
 * lead: the selection notice names the deadline.
 */
async function remindBeforePurchaseDeadline(journey: JourneyState, purchased: () => boolean) {
  const { state } = journey;
  const leadMs = toMilliseconds(purchaseReminderLeadOf(state.calendar));
  if (!journey.notifies() || toMilliseconds(state.calendar.trainingPurchaseDeadline) <= leadMs) return;
  if (await journey.waitUntilBeforeDeadline('TRAINING_PURCHASE', purchased, leadMs)) return;
  journey.notify({ kind: 'PURCHASE_REMINDER', purchaseBy: state.deadlines.trainingPurchaseBy!, trainingBalance: state.trainingBalance });
}
