// One day's payment reconciliation: fetch the provider's statement of the WIB day page by page,
// match it to the ledger, record the discrepancies and the day's totals. Started by the
// `daily-reconciliation` Temporal Schedule (for the day before) or by an operator for any day;
// either way the work runs under the day's own workflow id, so one day is never reconciled twice at once.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { programDateAt } from '../lib/program-day';
import { outsideSystemTaskQueue } from './outside-system-queues';
import { reconciliationWorkflowId, type DailyReconciliationInput, type ReconciliationTotals } from './daily-reconciliation.definitions';

type Activities = ReturnType<typeof createActivities>;

const DAY_MS = 86_400_000;

/** Set by the Schedule on the workflows it starts: the time the run was due, even when it started late. */
const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

const database = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});

// The statement comes from the payment provider: on its task queue, under its rate ceiling, with the payouts' patience.
const paymentProvider = () =>
  proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes', backoffCoefficient: 2 },
    taskQueue: outsideSystemTaskQueue(workflowInfo().taskQueue, 'payments'),
  });

export async function dailyReconciliation(input: DailyReconciliationInput): Promise<ReconciliationTotals> {
  if (input.day === undefined) {
    const info = workflowInfo();
    const dueAt = info.typedSearchAttributes.get(SCHEDULED_START_TIME) ?? info.startTime;
    const day = programDateAt(new Date(dueAt.getTime() - DAY_MS));
    return executeChild(dailyReconciliation, { workflowId: reconciliationWorkflowId(day), args: [{ day }] });
  }
  const { day } = input;
  await database.beginReconciliation({ day });
  const statement = paymentProvider();
  let cursor: string | undefined;
  do {
    const page = await statement.importStatementPage({ day, cursor });
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return database.recordDiscrepancies({ day });
}
