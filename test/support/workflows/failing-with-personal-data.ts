// A workflow whose activity fails with personal data in its message, and which then fails with a
// message of its own quoting it: the failure-encryption test reads what the Temporal server
// stores of both failures. The second is converted inside the workflow sandbox, by the failure
// converter bundled there.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';

export interface FailingActivities {
  refuseApplicant(input: { participantId: string }): Promise<void>;
}

const { refuseApplicant } = proxyActivities<FailingActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 2, initialInterval: '100 milliseconds' },
});

export async function failingWithPersonalData(input: { participantId: string }): Promise<void> {
  try {
    await refuseApplicant(input);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    throw ApplicationFailure.nonRetryable(`Journey stopped: ${error.cause?.message}`, 'APPLICANT_REFUSED');
  }
}
