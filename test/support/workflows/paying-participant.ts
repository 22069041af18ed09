// One payout under the journey's payment retry profile (no maximum attempts), for the
// payment-refusals test: only a non-retryable failure can end it with a refusal.
import { proxyActivities } from '@temporalio/workflow';
import type { PayoutKind, PayoutResult } from '../../../activities/ledger';

export interface PayoutActivities {
  payParticipant(input: { participantId: string; kind: PayoutKind; sequence: number; amount: number }): Promise<PayoutResult>;
}

const { payParticipant } = proxyActivities<PayoutActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes', backoffCoefficient: 2 },
});

export async function payingParticipant(input: { participantId: string; kind: PayoutKind; sequence: number; amount: number }): Promise<PayoutResult> {
  return payParticipant(input);
}
