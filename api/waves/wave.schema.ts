// Wave requests and answers. A wave carries its program calendar as ISO-8601 durations and its
// program terms (rupiah and counts); a request may give any of either and the 2020 defaults fill
// in the rest. Times travel with an
// explicit offset; each wave also names its time zone (WIB, Asia/Jakarta, by default) and
// answers carry its times in that zone too.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { DEFAULT_PROGRAM_CALENDAR } from '../../lib/program-calendar';
import { programCalendarFields, programCalendarSchema } from '../../lib/program-calendar.schema';
import { DEFAULT_PROGRAM_TERMS } from '../../lib/program-terms';
import { programTermsFields, programTermsSchema } from '../../lib/program-terms.schema';
import { WAVE_STATES } from '../../lib/wave-state';
import { LOTTERY_RULE } from '../../lib/wave-lottery';
import { errorResponses, jsonContent } from '../openapi-shared';

// Strict: a misspelt duration name silently falling back to its default would be a nasty surprise.
const calendarOverridesSchema = z
  .strictObject(programCalendarFields)
  .partial()
  .meta({ description: `Any of the calendar durations; defaults: ${JSON.stringify(DEFAULT_PROGRAM_CALENDAR)}` });

const termsOverridesSchema = z
  .strictObject(programTermsFields)
  .partial()
  .meta({ description: `Any of the program terms; defaults (the 2020 terms): ${JSON.stringify(DEFAULT_PROGRAM_TERMS)}` });

const dateTimeWithOffset = z.iso.datetime({ offset: true }).meta({ description: 'ISO-8601 date-time with an explicit offset', example: '2020-04-11T00:00:00+07:00' });

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const timeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: 'must be an IANA time zone such as Asia/Jakarta' })
  .meta({ description: 'IANA time zone of the wave; WIB (Asia/Jakarta, UTC+7) by default', example: 'Asia/Jakarta' });

export const createWaveRequestSchema = z
  .object({
    number: z.int().positive().meta({ example: 1 }),
    opensAt: dateTimeWithOffset,
    closesAt: dateTimeWithOffset.meta({ example: '2020-04-16T16:00:00+07:00' }),
    timeZone: timeZoneSchema.optional(),
    quota: z.int().positive().meta({ example: 164_000 }),
    calendar: calendarOverridesSchema.optional(),
    terms: termsOverridesSchema.optional(),
  })
  .refine((wave) => Date.parse(wave.closesAt) > Date.parse(wave.opensAt), { path: ['closesAt'], message: 'must be later than opensAt' })
  .meta({ id: 'CreateWaveRequest' });

export type CreateWaveRequest = z.output<typeof createWaveRequestSchema>;

/** A program manager's adjustment: everything before the wave opens; quota, closesAt and terms while open. */
export const updateWaveRequestSchema = z
  .strictObject({
    opensAt: dateTimeWithOffset.optional(),
    closesAt: dateTimeWithOffset.optional(),
    timeZone: timeZoneSchema.optional(),
    quota: z.int().positive().optional(),
    calendar: calendarOverridesSchema.optional(),
    terms: termsOverridesSchema.optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), { message: 'must change at least one of opensAt, closesAt, timeZone, quota, calendar, terms' })
  .refine((changes) => !changes.opensAt || !changes.closesAt || Date.parse(changes.closesAt) > Date.parse(changes.opensAt), { path: ['closesAt'], message: 'must be later than opensAt' })
  .meta({ id: 'UpdateWaveRequest' });

export type UpdateWaveRequest = z.output<typeof updateWaveRequestSchema>;

export const waveStateSchema = z.enum(WAVE_STATES);

export const waveSchema = z.object({
  id: z.uuid(),
  number: z.int(),
  state: waveStateSchema.meta({ description: 'Effective state: SCHEDULED and OPEN follow from the clock' }),
  opensAt: z.iso.datetime(),
  closesAt: z.iso.datetime(),
  timeZone: z.string(),
  opensAtLocal: z.string().meta({ description: 'opensAt in the wave\'s time zone', example: '2020-04-11T00:00:00+07:00' }),
  closesAtLocal: z.string().meta({ example: '2020-04-16T16:00:00+07:00' }),
  quota: z.int(),
  calendar: programCalendarSchema,
  terms: programTermsSchema.meta({ description: 'What participants selected in this wave get; fixed once the wave has closed' }),
  createdAt: z.iso.datetime(),
}).meta({ id: 'Wave' });
export type WaveView = z.output<typeof waveSchema>;

export const waveSelectionSchema = z
  .object({
    waveId: z.uuid(),
    number: z.int(),
    state: waveStateSchema,
    quota: z.int(),
    closedAt: z.iso.datetime().nullable(),
    closedBy: z.string().nullable().meta({ description: '`schedule`, or the program manager\'s key name for an early close' }),
    applicants: z.int().meta({ description: 'Applications that take part in the selection (ranked, once ranked)' }),
    selected: z.int(),
    notSelected: z.int(),
    withdrawn: z.int().meta({ description: 'Applicants whose journey had ended before the ranking' }),
    cutoffPriority: z.int().nullable().meta({ description: 'Priority points of the last selected applicant' }),
    seed: z.string().nullable().meta({ description: 'The lottery seed, recorded when the selection starts (state SELECTING)' }),
    lotteryRule: z.string().meta({ example: LOTTERY_RULE }),
    rankedAt: z.iso.datetime().nullable(),
    signalled: z.int().meta({ description: 'Applicants told their outcome so far (in rank order)' }),
    journeysEnded: z.int().meta({ description: 'Applicants whose journey had ended when their outcome was sent' }),
    selectionCompletedAt: z.iso.datetime().nullable(),
    transitions: z.array(z.object({ from: waveStateSchema, to: waveStateSchema, at: z.iso.datetime(), actor: z.string() })),
  })
  .meta({ id: 'WaveSelection' });
export type WaveSelectionView = z.output<typeof waveSelectionSchema>;

export const applicationStatusSchema = z.enum(['APPLIED', 'SELECTED', 'NOT_SELECTED', 'WITHDRAWN']);

export const applicantsQuerySchema = z.object({
  status: applicationStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  cursor: z.string().max(200).optional().meta({ description: 'nextCursor of the previous page' }),
});
export type ApplicantsQuery = z.output<typeof applicantsQuerySchema>;

/** What an operator needs to explain a decision; names, NIKs and contacts stay out. */
export const applicantSchema = z.object({
  participantId: z.uuid(),
  status: applicationStatusSchema,
  rank: z.int().nullable(),
  priorityPoints: z.int(),
  lotteryTicket: z.string().nullable(),
  province: z.string(),
  appliedAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().nullable(),
  carriedOverFromWaveId: z.uuid().nullable(),
});
export type ApplicantView = z.output<typeof applicantSchema>;

export const applicantsPageSchema = z
  .object({ applicants: z.array(applicantSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'WaveApplicantsPage', description: 'In rank order (unranked last), then by application id' });
export type ApplicantsPage = z.output<typeof applicantsPageSchema>;

export function describeWaveRoutes(registry: OpenAPIRegistry): void {
  const idParams = z.object({ id: z.uuid() });
  registry.registerPath({
    method: 'post',
    path: '/v1/waves',
    summary: 'Create a wave (program-manager)',
    security: [{ apiKey: [] }],
    request: { body: jsonContent(createWaveRequestSchema) },
    responses: { 201: { description: 'The wave, its calendar and terms filled with defaults', ...jsonContent(waveSchema) }, ...errorResponses(400, 401, 403, 409) },
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
    method: 'patch',
    path: '/v1/waves/{id}',
    summary: 'Adjust a wave (program-manager): anything before it opens; quota, closesAt and terms while open; never after it closes',
    description:
      'Errors: 409 WAVE_ALREADY_OPEN (opensAt, timeZone or calendar of an open wave), 409 WAVE_TERMS_FIXED (terms of a wave whose selection has started), 409 WAVE_CLOSED, 422 CLOSES_IN_THE_PAST, 422 QUOTA_BELOW_SELECTED.',
    security: [{ apiKey: [] }],
    request: { params: idParams, body: jsonContent(updateWaveRequestSchema) },
    responses: { 200: { description: 'The wave as changed', ...jsonContent(waveSchema) }, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/waves/{id}/close',
    summary: 'Close an open wave now (program-manager). Its selection workflow then ranks and tells the applicants; repeat calls are harmless.',
    security: [{ apiKey: [] }],
    request: { params: idParams },
    responses: { 200: { description: 'The selection as it stands', ...jsonContent(waveSelectionSchema) }, ...errorResponses(401, 403, 404, 409, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/waves/{id}/selection',
    summary: 'The selection of a wave: counts, cut-off priority, lottery seed and rule, progress (program-manager, operator)',
    security: [{ apiKey: [] }],
    request: { params: idParams },
    responses: { 200: { description: 'The selection', ...jsonContent(waveSelectionSchema) }, ...errorResponses(401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/waves/{id}/applicants',
    summary: 'A wave\'s applicants, paged (program-manager, operator)',
    security: [{ apiKey: [] }],
    request: { params: idParams, query: applicantsQuerySchema },
    responses: { 200: { description: 'One page', ...jsonContent(applicantsPageSchema) }, ...errorResponses(400, 401, 403, 404) },
  });
}
