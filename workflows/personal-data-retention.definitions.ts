// The personal-data retention sweep's contract: its schedule, workflow type and input. The worker
// creates the schedule; tests start a sweep directly with their own retention period.

export const PERSONAL_DATA_RETENTION_WORKFLOW = 'personalDataRetention';
export const PERSONAL_DATA_RETENTION_SCHEDULE_ID = 'personal-data-retention';
export const PERSONAL_DATA_RETENTION_WORKFLOW_ID = 'personal-data-retention';

export interface PersonalDataRetentionInput {
  /** ISO-8601 duration after the journey ended (PII_RETENTION_PERIOD). */
  retentionPeriod: string;
  /** Participants per activity call, each erased in its own transaction. */
  batchSize: number;
  /** Participants erased by earlier runs of this sweep (continue-as-new). */
  pseudonymisedSoFar?: number;
}

export interface PersonalDataRetentionResult {
  pseudonymised: number;
}
