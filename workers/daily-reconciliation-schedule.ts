// The Temporal Schedule that reconciles the payment provider's statement every day at 01:00 WIB,
// for the day that just ended. Created by every worker at start, or brought up to date when it
// exists: the schedule lives in Temporal, so no process's clock or crash decides whether a day is reconciled.
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import {
  DAILY_RECONCILIATION_SCHEDULE_ID,
  DAILY_RECONCILIATION_WORKFLOW,
  type DailyReconciliationInput,
} from '../workflows/daily-reconciliation.definitions';

export function dailyReconciliationSchedule(config: Config) {
  const input: DailyReconciliationInput = {};
  return {
    spec: { calendars: [{ hour: 1, minute: 0 }], timezone: 'Asia/Jakarta' },
    action: {
      type: 'startWorkflow' as const,
      workflowType: DAILY_RECONCILIATION_WORKFLOW,
      workflowId: DAILY_RECONCILIATION_SCHEDULE_ID,
      taskQueue: config.temporal.taskQueue,
      args: [input],
    },
    // A day missed while Temporal was down is still reconciled when it comes back (each run knows its day from its due time).
    policies: { overlap: ScheduleOverlapPolicy.BUFFER_ALL, catchupWindow: 7 * 86_400_000 },
  };
}

export async function ensureDailyReconciliationSchedule(client: Client, config: Config, logger: Logger): Promise<void> {
  const schedule = dailyReconciliationSchedule(config);
  try {
    await client.schedule.create({ scheduleId: DAILY_RECONCILIATION_SCHEDULE_ID, ...schedule });
    logger.info({ scheduleId: DAILY_RECONCILIATION_SCHEDULE_ID }, 'daily reconciliation schedule created');
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(DAILY_RECONCILIATION_SCHEDULE_ID).update((previous) => ({ ...previous, ...schedule, policies: { ...previous.policies, ...schedule.policies } }));
    logger.info({ scheduleId: DAILY_RECONCILIATION_SCHEDULE_ID }, 'daily reconciliation schedule up to date');
  }
}
