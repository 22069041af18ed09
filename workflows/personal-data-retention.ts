// One retention sweep, started by the `personal-data-retention` Temporal Schedule: erases the
// personal data of participants whose journey ended more than the retention period ago, a
// bounded batch per activity call, until none is left. Durable: a sweep interrupted by a worker
// restart carries on where it was; the schedule skips a new sweep while one still runs.
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { PersonalDataRetentionInput, PersonalDataRetentionResult } from './personal-data-retention.definitions';

type Activities = ReturnType<typeof createActivities>;

/** Two events per batch: a run stays far below the history limits. */
const BATCHES_PER_RUN = 200;

const retention = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});

export async function personalDataRetention(input: PersonalDataRetentionInput): Promise<PersonalDataRetentionResult> {
  let pseudonymised = input.pseudonymisedSoFar ?? 0;
  for (let batch = 0; batch < BATCHES_PER_RUN; batch++) {
    const erased = await retention.pseudonymiseEndedParticipants({ retentionPeriod: input.retentionPeriod, batchSize: input.batchSize });
    pseudonymised += erased.pseudonymised;
    if (erased.remaining === 0) return { pseudonymised };
  }
  return continueAsNew<typeof personalDataRetention>({ ...input, pseudonymisedSoFar: pseudonymised });
}
