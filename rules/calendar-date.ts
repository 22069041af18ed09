/** Calendar dates as ISO `YYYY-MM-DD` strings, the only date form facts and rules use. */

const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for a real calendar date in `YYYY-MM-DD` form (rejects 2021-02-29, 2020-13-01, 2020-1-1). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE_PATTERN.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Whole years of age on `onDate` for someone born on `dateOfBirth`, both valid calendar dates.
 * Compared as (month, day) so there is no time zone or clock involved. Someone born on 29 February
 * completes a year on 1 March in common years: on 28 February the full year is not yet over.
 */
export function ageOnDate(dateOfBirth: string, onDate: string): number {
  // Fixed-position slices rather than split(): bulk simulations compute this for every participant.
  const birthYear = Number(dateOfBirth.slice(0, 4));
  const birthMonthDay = Number(dateOfBirth.slice(5, 7)) * 100 + Number(dateOfBirth.slice(8, 10));
  const year = Number(onDate.slice(0, 4));
  const monthDay = Number(onDate.slice(5, 7)) * 100 + Number(onDate.slice(8, 10));
  const age = year - birthYear - (monthDay < birthMonthDay ? 1 : 0);
  if (Number.isNaN(age)) throw new Error(`ageOnDate needs YYYY-MM-DD dates, got "${dateOfBirth}" and "${onDate}"`);
  return age;
}
