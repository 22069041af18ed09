// Monthly incentives after training, and the one payment routine that incentives and surveys share.
import { log } from '@temporalio/workflow';
import type { PayoutBlockedReason } from '../participant-journey.definitions';
import { deadlineAfter, type JourneyState } from './journey-state';
import { isBusinessRefusal } from './refusals';

/**
 * Pays one item, waiting for a usable payout account as long as it takes. A payment the provider
 * refuses for good (not the account: the ledger row's failureCode says what) waits too, visible as
 * PAYMENT_REFUSED, rather than failing the participant's whole journey; a new payout account, or
 * an operator once the cause is fixed, has it tried again under the same idempotency key.
 */
export async function pay(journey: JourneyState, kind: 'INCENTIVE' | 'SURVEY', sequence: number, amount: number) {
  const { state, participantId } = journey;
  for (;;) {
    journey.throwIfExitRequested();
    let blocked: PayoutBlockedReason;
    try {
      const result = await journey.outside.payments.payParticipant({ participantId, kind, sequence, amount });
      if (result.status === 'PAID') {
        state.payments.push({ kind, sequence, amount, idempotencyKey: result.idempotencyKey, paidAt: result.paidAt });
        const of = kind === 'INCENTIVE' ? journey.terms.incentiveCount : journey.terms.surveyCount;
        journey.notify({ kind: 'PAYMENT', payment: kind, sequence, of, amount });
        return;
      }
      blocked = result.status;
    } catch (error) {
      if (!isBusinessRefusal(error)) throw error;
      log.warn('Payment refused by the provider; waiting', { participantId, kind, sequence, type: error.cause.type });
      blocked = 'PAYMENT_REFUSED';
    }
    state.payoutBlocked = blocked;
    await journey.waitFor(() => state.payoutBlocked === undefined);
  }
}

/**
 * The monthly incentives from the first unpaid one: the first a delay after the training, each
 * next an interval after the one before. A participant reinstated by an appeal resumes here with
 * the incentives already paid kept, and waits an interval before the next.
 */
export async function payIncentives(journey: JourneyState) {
  const { state, terms } = journey;
  const paidBefore = state.payments.filter((payment) => payment.kind === 'INCENTIVE').length;
  if (paidBefore >= terms.incentiveCount) return;
  // Incentives only after training is completed (2020's anti-corruption review flagged the opposite).
  const firstWait = paidBefore === 0 ? state.calendar.firstIncentiveDelay : state.calendar.incentiveInterval;
  state.deadlines.nextIncentiveAt = deadlineAfter(firstWait);
  await journey.moveTo('RECEIVING_INCENTIVES');
  await journey.pause(firstWait);
  for (let sequence = paidBefore + 1; sequence <= terms.incentiveCount; sequence++) {
    await pay(journey, 'INCENTIVE', sequence, terms.incentiveAmount);
    if (sequence < terms.incentiveCount) {
      state.deadlines.nextIncentiveAt = deadlineAfter(state.calendar.incentiveInterval);
      await journey.pause(state.calendar.incentiveInterval);
    }
  }
  state.deadlines.nextIncentiveAt = undefined;
}
