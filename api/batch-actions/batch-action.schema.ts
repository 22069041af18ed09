// Batch actions by filter: which participants (a filter over the participant table), the count
// before anything starts, the request with its reason, and the batch's progress and members.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { BATCH_ACTION_KINDS } from '../../workflows/batch-action.definitions';
import { STAGES } from '../../workflows/participant-journey.definitions';
import { errorResponses, jsonContent } from '../openapi-shared';
import { operatorActionRequestSchema } from '../participants/participant.schema';

export const BATCH_ACTION_STATUSES = ['AWAITING_CONFIRMATION', 'RUNNING', 'PAUSED', 'COMPLETED', 'CANCELLED'] as const;
export const BATCH_ITEM_OUTCOMES = ['PENDING', 'DONE', 'REFUSED', 'FAILED', 'CANCELLED'] as const;

const FILTER_FIELDS = ['stage', 'wave', 'province', 'ruleSetVersion', 'exitReason'] as const;

export const batchActionFilterSchema = z
  .strictObject({
    stage: z.enum(STAGES).optional(),
    wave: z
      .int()
      .positive()
      .optional()
      .meta({ description: 'Wave number: the participants in that wave, and those in no wave yet who registered while it was open (as the funnel counts a wave)', example: 1 }),
    province: z.string().trim().min(2).max(64).optional().meta({ example: 'DKI Jakarta' }),
    ruleSetVersion: z.int().positive().optional().meta({ description: 'The version of the rule set that made the participant\'s eligibility decision' }),
    exitReason: z.string().trim().min(1).max(200).optional().meta({ description: 'The exit reason starts with this, e.g. "EXPIRED" or "REVOKED: "', example: 'EXPIRED' }),
  })
  // A filter without a criterion would be everyone: too easy to send by mistake.
  .refine((filter) => FILTER_FIELDS.some((field) => filter[field] !== undefined), `must give at least one of ${FILTER_FIELDS.join(', ')}`)
  .meta({ id: 'BatchActionFilter', description: 'Criteria over the participant table, all of which a participant must meet' });
export type BatchActionFilter = z.output<typeof batchActionFilterSchema>;

export const batchActionPreviewRequestSchema = z.strictObject({ filter: batchActionFilterSchema }).meta({ id: 'BatchActionPreviewRequest' });

export const batchActionPreviewSchema = z
  .object({
    count: z.int().meta({ description: 'Participants the filter matches now' }),
    sample: z.array(z.uuid()).meta({ description: 'A few of them (by id), to check the filter' }),
    confirmationRequired: z.boolean().meta({ description: 'A batch of this size waits for a second operator' }),
    confirmationThreshold: z.int(),
    maxPerSecond: z.int().meta({ description: 'The fastest a batch may be applied (participants per second)' }),
  })
  .meta({ id: 'BatchActionPreview' });
export type BatchActionPreview = z.output<typeof batchActionPreviewSchema>;

/** The reason is checked first, on its own (REASON_REQUIRED), as for an action on one participant. */
export const batchActionReasonSchema = operatorActionRequestSchema;

export const batchActionRequestSchema = z
  .strictObject({
    action: z.enum(BATCH_ACTION_KINDS),
    filter: batchActionFilterSchema,
    reason: z.string(),
    ratePerSecond: z.int().min(1).optional().meta({ description: 'Participants per second, at most the configured ceiling (the default)' }),
  })
  .meta({ id: 'BatchActionRequest' });
export type BatchActionRequest = z.output<typeof batchActionRequestSchema>;

export const batchActionCancellationRequestSchema = operatorActionRequestSchema.meta({ id: 'BatchActionCancellationRequest' });

const timestamp = z.iso.datetime();

export const batchActionSchema = z
  .object({
    batchId: z.uuid(),
    action: z.enum(BATCH_ACTION_KINDS),
    filter: batchActionFilterSchema,
    reason: z.string(),
    requestedBy: z.string(),
    requestedByRole: z.string(),
    requestedAt: timestamp,
    ratePerSecond: z.int(),
    status: z.enum(BATCH_ACTION_STATUSES),
    statusChangedBy: z.string().meta({ description: 'Who made the latest status change (requested, confirmed, paused, resumed or cancelled it)' }),
    statusChangedAt: timestamp,
    confirmation: z.object({ required: z.boolean(), confirmedBy: z.string().nullable(), confirmedAt: timestamp.nullable() }),
    cancellationReason: z.string().nullable(),
    completedAt: timestamp.nullable(),
    progress: z
      .object({ total: z.int(), done: z.int(), refused: z.int(), failed: z.int(), cancelled: z.int(), remaining: z.int() })
      .meta({ description: 'Members by outcome; remaining: not applied yet (PENDING)' }),
  })
  .meta({ id: 'BatchAction' });
export type BatchActionView = z.output<typeof batchActionSchema>;

export const batchActionListQuerySchema = z.object({
  status: z.enum(BATCH_ACTION_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type BatchActionListQuery = z.output<typeof batchActionListQuerySchema>;

export const batchActionListSchema = z.object({ batchActions: z.array(batchActionSchema) }).meta({ id: 'BatchActionList', description: 'Newest first' });
export type BatchActionList = z.output<typeof batchActionListSchema>;

export const batchActionItemsQuerySchema = z.object({
  outcome: z.enum(BATCH_ITEM_OUTCOMES).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  cursor: z.uuid().optional().meta({ description: 'nextCursor of the previous page' }),
});
export type BatchActionItemsQuery = z.output<typeof batchActionItemsQuerySchema>;

export const batchActionItemsPageSchema = z
  .object({
    items: z.array(
      z.object({
        participantId: z.uuid(),
        outcome: z.enum(BATCH_ITEM_OUTCOMES),
        refusalCode: z.string().nullable().meta({ description: 'REFUSED: the journey\'s refusal (e.g. WRONG_STAGE); FAILED: OUTCOME_UNKNOWN, TEMPORAL_UNAVAILABLE or UNEXPECTED_ERROR' }),
        completedAt: timestamp.nullable(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'BatchActionItemsPage', description: 'By participant id' });
export type BatchActionItemsPage = z.output<typeof batchActionItemsPageSchema>;

export function describeBatchActionRoutes(registry: OpenAPIRegistry): void {
  const idParams = z.object({ id: z.uuid() });
  const batch = (description: string) => ({ description, ...jsonContent(batchActionSchema) });
  registry.registerPath({
    method: 'post',
    path: '/v1/batch-actions/previews',
    summary: 'How many participants a filter matches now, with a few of their ids (operator)',
    description: 'Errors: 400 VALIDATION_FAILED (fields by path, e.g. filter.stage; filter.wave for a wave that does not exist).',
    security: [{ apiKey: [] }],
    request: { body: jsonContent(batchActionPreviewRequestSchema) },
    responses: { 200: { description: 'The count', ...jsonContent(batchActionPreviewSchema) }, ...errorResponses(400, 401, 403) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/batch-actions',
    summary: 'Apply an operator action to every participant a filter matches, with a reason (operator)',
    description: [
      'The members are fixed now: the count is the count applied, and each one\'s outcome is recorded (GET …/items) and in their audit trail with the batch id.',
      'Over the confirmation threshold the batch waits for a second operator (status AWAITING_CONFIRMATION); otherwise it starts at once.',
      'Errors: 400 REASON_REQUIRED, 400 VALIDATION_FAILED (fields), 422 BATCH_FILTER_MATCHES_NOTHING (nothing created), 503 TEMPORAL_UNAVAILABLE (the batch is recorded as cancelled).',
    ].join(' '),
    security: [{ apiKey: [] }],
    request: { body: jsonContent(batchActionRequestSchema) },
    responses: { 201: batch('The batch, running or awaiting confirmation'), ...errorResponses(400, 401, 403, 422, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/batch-actions',
    summary: 'Batch actions, newest first, with their progress (operator, auditor)',
    security: [{ apiKey: [] }],
    request: { query: batchActionListQuerySchema },
    responses: { 200: { description: 'The batches', ...jsonContent(batchActionListSchema) }, ...errorResponses(400, 401, 403) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/batch-actions/{id}',
    summary: 'A batch action and its progress: total, done, refused, failed, cancelled, remaining (operator, auditor)',
    security: [{ apiKey: [] }],
    request: { params: idParams },
    responses: { 200: batch('The batch'), ...errorResponses(401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/batch-actions/{id}/items',
    summary: 'A batch\'s members and their outcomes, paged, optionally by outcome (operator, auditor)',
    security: [{ apiKey: [] }],
    request: { params: idParams, query: batchActionItemsQuerySchema },
    responses: { 200: { description: 'One page', ...jsonContent(batchActionItemsPageSchema) }, ...errorResponses(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/batch-actions/{id}/confirmation',
    summary: 'Confirm a batch over the threshold: a second operator, not the one who requested it (operator)',
    description: 'Errors: 403 SECOND_OPERATOR_REQUIRED, 404 BATCH_ACTION_NOT_FOUND, 409 BATCH_NOT_AWAITING_CONFIRMATION.',
    security: [{ apiKey: [] }],
    request: { params: idParams },
    responses: { 200: batch('The batch, running'), ...errorResponses(401, 403, 404, 409, 503) },
  });
  const controls = [
    ['pause', 'Pause a running batch: the items in flight finish, no other starts until it is resumed (operator)', undefined],
    ['resumption', 'Resume a paused batch (operator)', undefined],
    ['cancellation', 'Cancel a batch, with a reason: the members not reached yet are recorded as CANCELLED (operator)', batchActionCancellationRequestSchema],
  ] as const;
  for (const [path, summary, body] of controls) {
    registry.registerPath({
      method: 'post',
      path: `/v1/batch-actions/{id}/${path}`,
      summary,
      description: 'Takes effect between pages, within a few seconds: the status follows. Errors: 404 BATCH_ACTION_NOT_FOUND, 409 BATCH_NOT_RUNNING, BATCH_NOT_PAUSED or BATCH_FINISHED.',
      security: [{ apiKey: [] }],
      request: { params: idParams, ...(body ? { body: jsonContent(body) } : {}) },
      responses: { 202: batch('The batch, as it is now'), ...errorResponses(...(body ? [400] : []), 401, 403, 404, 409, 503) },
    });
  }
}
