// The Temporal Schedule that runs the personal-data retention sweep every
// PII_RETENTION_SWEEP_INTERVAL, with the configured retention period. Created by every worker at
// start, or brought up to date with the configuration when it exists: the schedule lives in
// Temporal, so no process's clock or crash decides whether a sweep happens.
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import {
  PERSONAL_DATA_RETENTION_SCHEDULE_ID,
  PERSONAL_DATA_RETENTION_WORKFLOW,
  PERSONAL_DATA_RETENTION_WORKFLOW_ID,
  type PersonalDataRetentionInput,
} from '../workflows/personal-data-retention.definitions';
import { toMilliseconds } from '../lib/program-calendar';

export function personalDataRetentionSchedule(config: Config) {
  const input: PersonalDataRetentionInput = { retentionPeriod: config.personalDataRetention.period, batchSize: config.personalDataRetention.batchSize };
  return {
    spec: { intervals: [{ every: toMilliseconds(config.personalDataRetention.sweepInterval) }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: PERSONAL_DATA_RETENTION_WORKFLOW,
      workflowId: PERSONAL_DATA_RETENTION_WORKFLOW_ID,
      taskQueue: config.temporal.taskQueue,
      args: [input],
    },
    // A sweep still running (a large backlog) is never doubled.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 3_600_000 },
  };
}

export async function ensurePersonalDataRetentionSchedule(client: Client, config: Config, logger: Logger): Promise<void> {
  const schedule = personalDataRetentionSchedule(config);
  try {
    await client.schedule.create({ scheduleId: PERSONAL_DATA_RETENTION_SCHEDULE_ID, ...schedule });
    logger.info({ scheduleId: PERSONAL_DATA_RETENTION_SCHEDULE_ID, ...config.personalDataRetention }, 'personal-data retention schedule created');
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(PERSONAL_DATA_RETENTION_SCHEDULE_ID).update((previous) => ({ ...previous, ...schedule, policies: { ...previous.policies, ...schedule.policies } }));
    logger.info({ scheduleId: PERSONAL_DATA_RETENTION_SCHEDULE_ID, ...config.personalDataRetention }, 'personal-data retention schedule up to date');
  }
}
