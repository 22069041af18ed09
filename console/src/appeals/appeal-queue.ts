// The appeals queue's arithmetic, apart from drawing so it is tested without a browser: the
// statuses to filter by, an appeal's age in days and hours, and the service level (an open appeal
// waits at most 14 days for its decision).
import type { AppealQueue } from '../../../api/appeals/appeal.schema';

export type AppealQueueEntry = AppealQueue['appeals'][number];
export type AppealStatus = AppealQueueEntry['status'];
export type AgeBand = keyof AppealQueue['openByAge'];

// Listed by type only (a value import would bundle the API's schemas): the compiler checks every one is here.
export const APPEAL_STATUSES = Object.keys({ OPEN: 1, UPHELD: 1, OVERTURNED: 1 } satisfies Record<AppealStatus, 1>) as AppealStatus[];
/** Youngest first, as the service level reads from left to right. */
export const AGE_BANDS = Object.keys({ underOneDay: 1, oneToSevenDays: 1, sevenToFourteenDays: 1, overFourteenDays: 1 } satisfies Record<AgeBand, 1>) as AgeBand[];

const HOURS_PER_DAY = 24;
/** An open appeal this old is past the program's service level (the API counts it as over 14 days). */
export const SERVICE_LEVEL_HOURS = 14 * HOURS_PER_DAY;

/** The queue's address for a filter: one status, or every one. */
export function appealQueuePath(status: AppealStatus | 'ALL', limit = 200): string {
  const query = new URLSearchParams({ limit: String(limit) });
  if (status !== 'ALL') query.set('status', status);
  return `/v1/appeals?${query.toString()}`;
}

/** Whole days and the hours left over: 50 hours → 2 days 2 hours. */
export function ageParts(ageHours: number): { days: number; hours: number } {
  const whole = Math.max(0, Math.floor(ageHours));
  return { days: Math.floor(whole / HOURS_PER_DAY), hours: whole % HOURS_PER_DAY };
}

/** Still open and waiting 14 days or more: in the API's overFourteenDays count. */
export function isPastServiceLevel(entry: Pick<AppealQueueEntry, 'status' | 'ageHours'>): boolean {
  return entry.status === 'OPEN' && entry.ageHours >= SERVICE_LEVEL_HOURS;
}
