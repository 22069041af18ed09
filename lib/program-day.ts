// The program runs in Western Indonesian Time (WIB, UTC+7, no daylight saving): its calendar
// days, and so the date an eligibility decision is made on, are WIB days. Pure, so the API, the
// activities and the console count days the same way.
export const WIB_OFFSET_MS = 7 * 3_600_000;

/** The program's calendar date (YYYY-MM-DD) at an instant. */
export function programDateAt(instant: Date): string {
  return new Date(instant.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a program day (YYYY-MM-DD) begins: its midnight in WIB. */
export function startOfProgramDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - WIB_OFFSET_MS);
}
