// A workflow whose activity fails with personal data in its message, and which fails with it in
// turn: the failure-encryption test reads what the Temporal server stores of both failures.
import { proxyActivities } from '@temporalio/workflow';

export interface FailingActivities {
  refuseApplicant(input: { participantId: string }): Promise<void>;
}

const { refuseApplicant } = proxyActivities<FailingActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 2, initialInterval: '100 milliseconds' },
});

export async function failingWithPersonalData(input: { participantId: string }): Promise<void> {
  await refuseApplicant(input);
}
