// Payment reconciliation requests and answers: a day's totals, its discrepancies as cases, and
// how an operator closes one. Days are WIB days (YYYY-MM-DD); amounts are whole rupiah.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorResponses, jsonContent } from '../openapi-shared';

export const DISCREPANCY_KINDS = ['MISSING_AT_PROVIDER', 'DUPLICATE', 'AMOUNT_MISMATCH', 'REVERSED', 'UNKNOWN_TO_LEDGER'] as const;
export const DISCREPANCY_STATUSES = ['OPEN', 'RESOLVED', 'OVERRIDDEN'] as const;

export const reconciliationDayParamsSchema = z.object({ day: z.iso.date().meta({ description: 'WIB day', example: '2020-04-20' }) });

const countAndRupiah = z.object({ count: z.int(), rupiah: z.int() });

export const reconciliationDaySchema = z
  .object({
    day: z.iso.date(),
    status: z.enum(['RUNNING', 'COMPLETED']),
    statementLines: z.int(),
    matched: countAndRupiah.meta({ description: 'Statement lines paid once, as the ledger says' }),
    unmatched: countAndRupiah.meta({ description: 'Every discrepancy the day\'s latest run found, open or closed by an operator (a case it no longer finds is closed by the system and not counted)' }),
    open: z.int().meta({ description: 'Discrepancies still open' }),
    startedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ReconciliationDay' });
export type ReconciliationDayView = z.output<typeof reconciliationDaySchema>;

export const reconciliationRunSchema = z
  .object({ day: z.iso.date(), workflowId: z.string() })
  .meta({ id: 'ReconciliationRunStarted', description: 'The day\'s reconciliation workflow; a run already going is joined' });

export const discrepanciesQuerySchema = z.object({
  kind: z.enum(DISCREPANCY_KINDS).optional(),
  status: z.enum(DISCREPANCY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  cursor: z.uuid().optional().meta({ description: 'nextCursor of the previous page' }),
});
export type DiscrepanciesQuery = z.output<typeof discrepanciesQuerySchema>;

/**
 * RESOLVE and OVERRIDE are an operator's; AUTO_CLOSE and REOPEN the system's (actor "system"),
 * when a re-run of the day no longer finds a case, or finds again one it had closed.
 */
export const resolutionActionSchema = z.enum(['RESOLVE', 'OVERRIDE', 'AUTO_CLOSE', 'REOPEN']);

const resolutionSchema = z.object({
  action: resolutionActionSchema,
  actor: z.string(),
  reason: z.string(),
  statusBefore: z.enum(DISCREPANCY_STATUSES),
  statusAfter: z.enum(DISCREPANCY_STATUSES),
  at: z.iso.datetime(),
});

export const discrepancySchema = z
  .object({
    id: z.uuid(),
    day: z.iso.date(),
    kind: z.enum(DISCREPANCY_KINDS),
    idempotencyKey: z.string(),
    occurrence: z.int().meta({ description: '2, 3, ... for the extra lines of a duplicate; 1 otherwise' }),
    ledgerAmount: z.int().nullable(),
    statementAmount: z.int().nullable(),
    disbursementId: z.string().nullable(),
    status: z.enum(DISCREPANCY_STATUSES),
    createdAt: z.iso.datetime(),
    resolutions: z.array(resolutionSchema).meta({ description: 'Append-only, oldest first' }),
  })
  .meta({ id: 'ReconciliationDiscrepancy' });
export type DiscrepancyView = z.output<typeof discrepancySchema>;

export const discrepanciesPageSchema = z
  .object({ discrepancies: z.array(discrepancySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ReconciliationDiscrepanciesPage', description: 'By id' });
export type DiscrepanciesPage = z.output<typeof discrepanciesPageSchema>;

export const resolveDiscrepancyRequestSchema = z
  .strictObject({ reason: z.string({ error: 'a reason is required' }).trim().min(5, 'at least 5 characters').max(1000) })
  .meta({ id: 'ResolveDiscrepancyRequest' });
export type ResolveDiscrepancyRequest = z.output<typeof resolveDiscrepancyRequestSchema>;

export function describeReconciliationRoutes(registry: OpenAPIRegistry): void {
  const idParams = z.object({ id: z.uuid() });
  registry.registerPath({
    method: 'get',
    path: '/v1/reconciliation/days/{day}',
    summary: 'A day\'s reconciliation totals: matched and unmatched, count and rupiah (program-manager, operator, auditor)',
    security: [{ apiKey: [] }],
    request: { params: reconciliationDayParamsSchema },
    description: 'Errors: 404 RECONCILIATION_NOT_FOUND (the day was never reconciled).',
    responses: { 200: { description: 'The day\'s latest run', ...jsonContent(reconciliationDaySchema) }, ...errorResponses(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/reconciliation/days/{day}/runs',
    summary: 'Reconcile a day now (operator). Re-running a day adds no case it found before.',
    description: 'Errors: 422 DAY_NOT_OVER (the WIB day has not ended yet).',
    security: [{ apiKey: [] }],
    request: { params: reconciliationDayParamsSchema },
    responses: { 202: { description: 'Started, or joined if running', ...jsonContent(reconciliationRunSchema) }, ...errorResponses(400, 401, 403, 422, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/reconciliation/days/{day}/discrepancies',
    summary: 'A day\'s discrepancies, paged, by kind and status (program-manager, operator, auditor)',
    security: [{ apiKey: [] }],
    request: { params: reconciliationDayParamsSchema, query: discrepanciesQuerySchema },
    description: 'Errors: 400 VALIDATION_FAILED (query.limit, query.cursor, query.kind, query.status), 404 RECONCILIATION_NOT_FOUND (the day was never reconciled).',
    responses: { 200: { description: 'One page', ...jsonContent(discrepanciesPageSchema) }, ...errorResponses(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/reconciliation/discrepancies/{id}',
    summary: 'One discrepancy with its resolutions (program-manager, operator, auditor)',
    security: [{ apiKey: [] }],
    request: { params: idParams },
    responses: { 200: { description: 'The case', ...jsonContent(discrepancySchema) }, ...errorResponses(401, 403, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/reconciliation/discrepancies/{id}/resolution',
    summary: 'Close a discrepancy as dealt with, with the reason (operator)',
    description: 'Errors: 400 VALIDATION_FAILED (fields.reason), 404 DISCREPANCY_NOT_FOUND, 409 DISCREPANCY_CLOSED.',
    security: [{ apiKey: [] }],
    request: { params: idParams, body: jsonContent(resolveDiscrepancyRequestSchema) },
    responses: { 200: { description: 'The case, closed', ...jsonContent(discrepancySchema) }, ...errorResponses(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/reconciliation/discrepancies/{id}/override',
    summary: 'Accept the provider\'s figure as correct, with the reason (program-manager: a permission of its own)',
    description: 'Errors: 400 VALIDATION_FAILED (fields.reason), 404 DISCREPANCY_NOT_FOUND, 409 DISCREPANCY_CLOSED.',
    security: [{ apiKey: [] }],
    request: { params: idParams, body: jsonContent(resolveDiscrepancyRequestSchema) },
    responses: { 200: { description: 'The case, overridden', ...jsonContent(discrepancySchema) }, ...errorResponses(400, 401, 403, 404, 409) },
  });
}
