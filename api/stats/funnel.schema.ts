// The program's funnel as the minister reported it (DOMAIN.md): people at each step, with the
// share of those registered.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorResponses, jsonContent } from '../openapi-shared';

export const FUNNEL_STEPS = [
  'registered',
  'emailVerified',
  'nikVerified',
  'eligible',
  'applied',
  'selected',
  'trainingPurchased',
  'trainingCompleted',
  'incentivesPaid',
  'surveysDone',
  'completed',
] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export const funnelQuerySchema = z.object({
  wave: z.coerce.number().int().positive().optional().meta({ description: 'Wave number', example: 1 }),
  province: z.string().trim().min(2).max(64).optional().meta({ example: 'DKI Jakarta' }),
});
export type FunnelQuery = z.output<typeof funnelQuerySchema>;

const stepSchema = z.object({
  step: z.enum(FUNNEL_STEPS),
  people: z.int(),
  shareOfRegistered: z.number().nullable().meta({ description: 'Percent of registered, two decimals; null when nobody registered', example: 43.58 }),
  payments: z.int().optional().meta({ description: 'incentivesPaid: incentive payments settled; surveysDone: surveys paid' }),
  rupiah: z.int().optional().meta({ description: 'Rupiah settled for those payments' }),
});

export const appealCountsSchema = z
  .object({
    opened: z.int().meta({ description: 'Appeals filed' }),
    open: z.int().meta({ description: 'Waiting for a reviewer' }),
    upheld: z.int(),
    overturned: z.int(),
    reinstated: z.int().meta({ description: 'Overturned and, decided again, back in the program' }),
  })
  .meta({ id: 'FunnelAppeals' });
export type AppealCounts = z.output<typeof appealCountsSchema>;

export const funnelSchema = z
  .object({
    wave: z.object({ id: z.uuid(), number: z.int() }).nullable(),
    province: z.string().nullable(),
    asOf: z.iso.datetime(),
    steps: z.array(stepSchema),
    appeals: appealCountsSchema,
  })
  .meta({ id: 'Funnel' });
export type FunnelView = z.output<typeof funnelSchema>;

export const FUNNEL_COHORT_DESCRIPTION = [
  'Without `wave`: every participant; a step counts the people who reached it (their milestone is recorded), whatever happened later.',
  'With `wave`: registered to eligible count the people who registered while that wave was open (opensAt to its close), as the minister reported wave 1;',
  'applied and selected count that wave\'s applications; training, incentives, surveys and completion count the people that wave selected.',
  'incentivesPaid and surveysDone count people with at least one settled payment, with the payments and rupiah settled.',
  '`province` narrows any of these to participants registered with that province.',
  '`appeals` counts the appeals of the same people (with `wave`: those who registered while it was open or applied to it): filed, open, upheld, overturned, and overturned ones that reinstated the participant.',
].join(' ');

export function describeStatsRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/v1/stats/funnel',
    summary: 'The funnel, overall or per wave and per province (program-manager, operator)',
    description: FUNNEL_COHORT_DESCRIPTION,
    security: [{ apiKey: [] }],
    request: { query: funnelQuerySchema },
    responses: { 200: { description: 'The funnel', ...jsonContent(funnelSchema) }, ...errorResponses(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics: the funnel by province and by wave, the API process, its dependencies (program-manager, operator)',
    security: [{ apiKey: [] }],
    responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } }, ...errorResponses(401, 403) },
  });
}
