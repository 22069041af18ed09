// Wave requests and answers. A wave carries its program calendar as ISO-8601 durations; a
// request may give any of them and the 2020 defaults fill in the rest.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { parse as parseIsoDuration } from 'tinyduration';
import { z } from 'zod';
import { DEFAULT_PROGRAM_CALENDAR, toMilliseconds, type ProgramCalendar } from '../../workflows/program-calendar';
import { errorResponses, jsonContent } from '../openapi-shared';

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
const calendarFields = {
  emailVerificationWindow: isoDurationSchema,
  identityCorrectionWindow: isoDurationSchema,
  trainingPurchaseDeadline: isoDurationSchema,
  firstIncentiveDelay: isoDurationSchema,
  incentiveInterval: isoDurationSchema,
  surveyInterval: isoDurationSchema,
  surveyWindow: isoDurationSchema,
  repaymentPeriod: isoDurationSchema,
} satisfies Record<keyof ProgramCalendar, z.ZodType>;

export const programCalendarSchema = z.object(calendarFields).meta({ description: 'The program calendar of the participants of a wave' });

// Strict: a misspelt duration name silently falling back to its default would be a nasty surprise.
const calendarOverridesSchema = z
  .strictObject(calendarFields)
  .partial()
  .meta({ description: `Any of the calendar durations; defaults: ${JSON.stringify(DEFAULT_PROGRAM_CALENDAR)}` });

const dateTimeWithOffset = z.iso.datetime({ offset: true }).meta({ description: 'ISO-8601 date-time with an explicit offset', example: '2020-04-11T00:00:00+07:00' });

export const createWaveRequestSchema = z
  .object({
    number: z.int().positive().meta({ example: 1 }),
    opensAt: dateTimeWithOffset,
    closesAt: dateTimeWithOffset.meta({ example: '2020-04-16T16:00:00+07:00' }),
    quota: z.int().positive().meta({ example: 164_000 }),
    calendar: calendarOverridesSchema.optional(),
  })
  .refine((wave) => Date.parse(wave.closesAt) > Date.parse(wave.opensAt), { path: ['closesAt'], message: 'must be later than opensAt' })
  .meta({ id: 'CreateWaveRequest' });

export type CreateWaveRequest = z.output<typeof createWaveRequestSchema>;


export const waveStateSchema = z.enum(['SCHEDULED', 'OPEN', 'CLOSED', 'SELECTING', 'SELECTED']);

export const waveSchema = z.object({
  id: z.uuid(),
  number: z.int(),
  state: waveStateSchema.meta({ description: 'Effective state: SCHEDULED and OPEN follow from the clock' }),
  opensAt: z.iso.datetime(),
  closesAt: z.iso.datetime(),
  timeZone: z.string(),
  quota: z.int(),
  calendar: programCalendarSchema,
  createdAt: z.iso.datetime(),
}).meta({ id: 'Wave' });
export type WaveView = z.output<typeof waveSchema>;

export const waveCloseSummarySchema = z.object({
  waveId: z.uuid(),
  state: waveStateSchema,
  selected: z.int(),
  notSelected: z.int(),
});
export type WaveCloseSummary = z.output<typeof waveCloseSummarySchema>;

export function describeWaveRoutes(registry: OpenAPIRegistry): void {
  const idParams = z.object({ id: z.uuid() });
  registry.registerPath({
    method: 'post',
    path: '/v1/waves',
    summary: 'Create a wave (program-manager)',
    security: [{ apiKey: [] }],
    request: { body: jsonContent(createWaveRequestSchema) },
    responses: { 201: { description: 'The wave, its calendar filled with defaults', ...jsonContent(waveSchema) }, ...errorResponses(400, 401, 403, 409) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/waves',
    summary: 'List waves (program-manager, operator)',
    security: [{ apiKey: [] }],
    responses: { 200: { description: 'Every wave by number', ...jsonContent(z.object({ waves: z.array(waveSchema) })) }, ...errorResponses(401, 403) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/waves/{id}',
    summary: 'Read a wave (program-manager, operator)',
    security: [{ apiKey: [] }],
    request: { params: idParams },
    responses: { 200: { description: 'The wave', ...jsonContent(waveSchema) }, ...errorResponses(401, 403, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/waves/{id}/close',
    summary: 'Close a wave and select its applicants (program-manager). Until the selection work lands, every applicant is selected.',
    security: [{ apiKey: [] }],
    request: { params: idParams },
    responses: { 200: { description: 'Selection summary', ...jsonContent(waveCloseSummarySchema) }, ...errorResponses(401, 403, 404, 409) },
  });
}
