// A wave's program calendar as the API accepts it and as the API and the activities read it back
// from the database. Kept apart from program-calendar.ts so workflow code never bundles zod.
import { parse as parseIsoDuration } from 'tinyduration';
import { z } from 'zod';
import { toMilliseconds, type ProgramCalendar } from './program-calendar';

/** No step of the program lasts longer; a longer duration is a typo (and overflows timers). */
const LONGEST_CALENDAR_DURATION_MS = 5 * 365 * 86_400_000;

export const isoDurationSchema = z
  .string()
  .superRefine((value, ctx) => {
    let negative: boolean | undefined;
    try {
      negative = parseIsoDuration(value).negative;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 duration such as P30D, PT12H or PT10S' });
      return;
    }
    const milliseconds = toMilliseconds(value);
    if (negative || milliseconds <= 0) ctx.addIssue({ code: 'custom', message: 'must be longer than zero' });
    else if (milliseconds > LONGEST_CALENDAR_DURATION_MS) ctx.addIssue({ code: 'custom', message: 'must not be longer than five years' });
  })
  .meta({ description: 'ISO-8601 duration, longer than zero', example: 'P30D' });

/** Every calendar field, once: adding one to ProgramCalendar without listing it here fails to compile. */
export const programCalendarFields = {
  emailVerificationWindow: isoDurationSchema,
  identityCorrectionWindow: isoDurationSchema,
  trainingPurchaseDeadline: isoDurationSchema,
  firstIncentiveDelay: isoDurationSchema,
  incentiveInterval: isoDurationSchema,
  surveyInterval: isoDurationSchema,
  surveyWindow: isoDurationSchema,
  repaymentPeriod: isoDurationSchema,
  // Optional in what is stored: waves created before the limit existed have none (the default applies).
  maxDeadlineExtension: isoDurationSchema.optional(),
  purchaseReminderLead: isoDurationSchema.optional(),
  appealWindow: isoDurationSchema.optional(),
} satisfies Record<keyof ProgramCalendar, z.ZodType>;

export const programCalendarSchema = z.object(programCalendarFields).meta({ description: 'The program calendar of the participants of a wave' });

/**
 * A wave's stored calendar. Only the waves API writes it, complete and validated, so one that
 * does not parse is a bug, not a client error.
 */
export function storedCalendarOf(wave: { id: string; calendar: unknown }): ProgramCalendar {
  const calendar = programCalendarSchema.safeParse(wave.calendar);
  if (!calendar.success) throw new Error(`Wave ${wave.id} has a malformed stored calendar`);
  return calendar.data;
}
