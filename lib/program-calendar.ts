// The program calendar is data: every wave carries one, as ISO-8601 durations. The 2020
// defaults below; a wave created with second-long durations runs the whole path in seconds.
// Workflow-safe (no I/O): the workflow turns durations into timers with toMilliseconds.
import { parse } from 'tinyduration';

export interface ProgramCalendar {
  /** How long a registrant has to click the verification mail before the registration expires. */
  emailVerificationWindow: string;
  /** How long a participant whose identity did not match Dukcapil has to correct it, per attempt. */
  identityCorrectionWindow: string;
  /** After selection: the first training must be bought within this, or the card is revoked. */
  trainingPurchaseDeadline: string;
  /** From training completion to the first monthly incentive. */
  firstIncentiveDelay: string;
  /** Between monthly incentives (four in all). */
  incentiveInterval: string;
  /** From the last incentive to the first survey, and between surveys (three in all). */
  surveyInterval: string;
  /** How long each survey stays open. */
  surveyWindow: string;
  /** Time to repay after a revocation that follows payments (2020 regulation: 60 days). */
  repaymentPeriod: string;
  /**
   * How far operators may move one open deadline (email verification, identity correction,
   * training purchase, a survey's window), all extensions together. Optional: calendars stored
   * and recorded in histories before it existed have none, and the program default applies.
   */
  maxDeadlineExtension?: string;
  /**
   * How long before the training-purchase deadline a participant who has bought nothing is
   * reminded. Optional, like maxDeadlineExtension: the program default applies. No reminder when
   * the whole purchase window is not longer than this (the selection notice names the deadline).
   */
  purchaseReminderLead?: string;
  /** How long after an appealable exit (ineligible, rejected on identity, revoked) an appeal may be filed. Optional: the program default applies. */
  appealWindow?: string;
}

export const DEFAULT_PROGRAM_CALENDAR: Required<ProgramCalendar> = Object.freeze({
  emailVerificationWindow: 'P3D',
  identityCorrectionWindow: 'P14D',
  trainingPurchaseDeadline: 'P30D',
  firstIncentiveDelay: 'P5D',
  incentiveInterval: 'P1M',
  surveyInterval: 'P1M',
  surveyWindow: 'P14D',
  repaymentPeriod: 'P60D',
  maxDeadlineExtension: 'P14D',
  purchaseReminderLead: 'P3D',
  appealWindow: 'P30D',
});

/** The extension limit of a calendar, the program default for one stored before the limit existed. */
export function maxDeadlineExtensionOf(calendar: ProgramCalendar): string {
  return calendar.maxDeadlineExtension ?? DEFAULT_PROGRAM_CALENDAR.maxDeadlineExtension;
}

/** The purchase reminder's lead of a calendar, the program default for one stored without it. */
export function purchaseReminderLeadOf(calendar: ProgramCalendar): string {
  return calendar.purchaseReminderLead ?? DEFAULT_PROGRAM_CALENDAR.purchaseReminderLead;
}

/** The appeal window of a calendar, the program default for one stored without it. */
export function appealWindowOf(calendar: ProgramCalendar): string {
  return calendar.appealWindow ?? DEFAULT_PROGRAM_CALENDAR.appealWindow;
}

export const PROGRAM_CALENDAR_FIELDS = Object.keys(DEFAULT_PROGRAM_CALENDAR) as Array<keyof ProgramCalendar>;

const MS = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * ISO-8601 duration to milliseconds. Months count as 30 days and years as 365: the program
 * pays "monthly", and a timer needs a fixed length.
 */
export function toMilliseconds(isoDuration: string): number {
  const d = parse(isoDuration);
  const days = (d.years ?? 0) * 365 + (d.months ?? 0) * 30 + (d.weeks ?? 0) * 7 + (d.days ?? 0);
  return Math.round(days * MS.day + (d.hours ?? 0) * MS.hour + (d.minutes ?? 0) * MS.minute + (d.seconds ?? 0) * MS.second);
}
