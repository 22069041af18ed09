// Calendar dates as the program counts them (WIB days, lib/program-day.ts), and the browser's
// datetime-local values.
import { programDateAt } from '../../../lib/program-day';

/** An instant as the API writes it, e.g. 2020-04-11T00:00:00.000Z. */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Today's date in WIB, YYYY-MM-DD. */
export function todayInWib(now: Date = new Date()): string {
  return programDateAt(now);
}

/** The date `years` years and `days` days before `date` (YYYY-MM-DD), by the calendar. */
export function dateBefore(date: string, { years = 0, days = 0 }: { years?: number; days?: number }): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(year - years, month - 1, day - days));
  return shifted.toISOString().slice(0, 10);
}

/** A `datetime-local` input's value (the browser's own time zone) as an instant. */
export function localDateTimeToIso(value: string): string | undefined {
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

/** An instant as a `datetime-local` value in the browser's time zone, to the second. */
export function isoToLocalDateTime(instant: Date): string {
  const local = new Date(instant.getTime() - instant.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}
