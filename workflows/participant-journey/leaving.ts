// Every way out ends here: the balance lapses, and paid money becomes repayable on revocation.
import { internal } from './activities';
import { deadlineAfter, type JourneyEnded, type JourneyState, now } from './journey-state';

export async function leave(journey: JourneyState, ended: JourneyEnded) {
  const { state, participantId } = journey;
  state.exit = { ...state.exit, reason: ended.reason, at: state.exit?.at ?? now() };
  if (state.trainingBalance > 0) {
    await internal.recordLedgerEntry({ participantId, kind: 'TRAINING_LAPSE', amount: -state.trainingBalance, idempotencyKey: `${participantId}:training-lapse` });
    state.trainingBalance = 0;
  }
  const paidOut = state.payments.reduce((sum, payment) => sum + payment.amount, 0);
  if (ended.stage === 'REVOKED' && paidOut > 0) {
    const dueAt = deadlineAfter(state.calendar.repaymentPeriod);
    await internal.recordLedgerEntry({ participantId, kind: 'REPAYMENT_DUE', amount: paidOut, idempotencyKey: `${participantId}:repayment`, dueAt });
    state.exit.repayment = { amount: paidOut, dueAt };
  }
  state.deadlines = {};
  await journey.moveTo(ended.stage);
  await internal.recordExit({ participantId, stage: ended.stage, reason: ended.reason, at: state.exit.at });
}
