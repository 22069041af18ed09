import { Router, type Request } from 'express';
import type { Authorize } from '../authorization';
import { ReasonRequiredError } from '../errors';
import { callerOf } from '../request-context';
import { parseBody, parseQuery, routeParam } from '../request-validation';
import {
  batchActionItemsQuerySchema,
  batchActionListQuerySchema,
  batchActionPreviewRequestSchema,
  batchActionReasonSchema,
  batchActionRequestSchema,
} from './batch-action.schema';
import type { BatchActionService } from './batch-action.service';

export function createBatchActionsRouter({ batchActions, authorize }: { batchActions: BatchActionService; authorize: Authorize }): Router {
  const router = Router();

  router.post('/previews', authorize('POST /v1/batch-actions/previews'), async (req, res) => {
    const { filter } = parseBody(batchActionPreviewRequestSchema, req);
    res.json(await batchActions.preview(filter));
  });

  router.post('/', authorize('POST /v1/batch-actions'), async (req, res) => {
    const reason = reasonOf(req);
    const request = parseBody(batchActionRequestSchema, req);
    res.status(201).json(await batchActions.request({ ...request, reason }, callerOf(res)));
  });

  router.get('/', authorize('GET /v1/batch-actions'), async (req, res) => {
    res.json(await batchActions.list(parseQuery(batchActionListQuerySchema, req)));
  });

  router.get('/:id', authorize('GET /v1/batch-actions/:id'), async (req, res) => {
    res.json(await batchActions.getBatchAction(routeParam(req, 'id')));
  });

  router.get('/:id/items', authorize('GET /v1/batch-actions/:id/items'), async (req, res) => {
    res.json(await batchActions.items(routeParam(req, 'id'), parseQuery(batchActionItemsQuerySchema, req)));
  });

  router.post('/:id/confirmation', authorize('POST /v1/batch-actions/:id/confirmation'), async (req, res) => {
    res.json(await batchActions.confirm(routeParam(req, 'id'), callerOf(res)));
  });

  // The controls take effect between pages: 202, the status follows within seconds.
  router.post('/:id/pause', authorize('POST /v1/batch-actions/:id/pause'), async (req, res) => {
    res.status(202).json(await batchActions.pause(routeParam(req, 'id'), callerOf(res)));
  });

  router.post('/:id/resumption', authorize('POST /v1/batch-actions/:id/resumption'), async (req, res) => {
    res.status(202).json(await batchActions.resume(routeParam(req, 'id'), callerOf(res)));
  });

  router.post('/:id/cancellation', authorize('POST /v1/batch-actions/:id/cancellation'), async (req, res) => {
    res.status(202).json(await batchActions.cancel(routeParam(req, 'id'), reasonOf(req), callerOf(res)));
  });

  return router;
}

/** A batch action's reason, checked before anything else: without one nothing is counted, created or asked. */
function reasonOf(req: Request): string {
  const parsed = batchActionReasonSchema.safeParse(req.body ?? {});
  if (!parsed.success) throw new ReasonRequiredError(parsed.error.issues[0]?.message ?? 'is required');
  return parsed.data.reason;
}
