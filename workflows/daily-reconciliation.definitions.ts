// The daily payment reconciliation's contract: its schedule, workflow type, ids and result. The
// worker creates the schedule; the API starts a day on demand under the same per-day id, so two
// runs of one day never overlap.

export const DAILY_RECONCILIATION_WORKFLOW = 'dailyReconciliation';
export const DAILY_RECONCILIATION_SCHEDULE_ID = 'daily-reconciliation';

/** One workflow id per WIB day: a day already being reconciled is joined, not run twice at once. */
export const reconciliationWorkflowId = (day: string) => `reconciliation-${day}`;

export interface DailyReconciliationInput {
  /** The WIB day (YYYY-MM-DD). Absent when the schedule starts it: the day before the scheduled time. */
  day?: string;
}

export interface ReconciliationTotals {
  day: string;
  statementLines: number;
  matched: { count: number; rupiah: number };
  unmatched: { count: number; rupiah: number };
}
