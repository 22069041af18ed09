import { Router } from 'express';
import type { Authorize } from '../authorization';
import { callerOf } from '../request-context';
import { parseBody, parseParams, parseQuery, routeParam } from '../request-validation';
import { discrepanciesQuerySchema, reconciliationDayParamsSchema, resolveDiscrepancyRequestSchema } from './reconciliation.schema';
import type { ReconciliationService } from './reconciliation.service';

export function createReconciliationRouter({ reconciliation, authorize }: { reconciliation: ReconciliationService; authorize: Authorize }): Router {
  const router = Router();

  router.get('/days/:day', authorize('GET /v1/reconciliation/days/:day'), async (req, res) => {
    const { day } = parseParams(reconciliationDayParamsSchema, req);
    res.json(await reconciliation.getDay(day));
  });

  router.post('/days/:day/runs', authorize('POST /v1/reconciliation/days/:day/runs'), async (req, res) => {
    const { day } = parseParams(reconciliationDayParamsSchema, req);
    res.status(202).json(await reconciliation.startRun(day, callerOf(res).name));
  });

  router.get('/days/:day/discrepancies', authorize('GET /v1/reconciliation/days/:day/discrepancies'), async (req, res) => {
    const { day } = parseParams(reconciliationDayParamsSchema, req);
    res.json(await reconciliation.listDiscrepancies(day, parseQuery(discrepanciesQuerySchema, req)));
  });

  router.get('/discrepancies/:id', authorize('GET /v1/reconciliation/discrepancies/:id'), async (req, res) => {
    res.json(await reconciliation.getDiscrepancy(routeParam(req, 'id')));
  });

  router.post('/discrepancies/:id/resolution', authorize('POST /v1/reconciliation/discrepancies/:id/resolution'), async (req, res) => {
    const { reason } = parseBody(resolveDiscrepancyRequestSchema, req);
    res.json(await reconciliation.closeDiscrepancy(routeParam(req, 'id'), 'RESOLVE', reason, callerOf(res).name));
  });

  router.post('/discrepancies/:id/override', authorize('POST /v1/reconciliation/discrepancies/:id/override'), async (req, res) => {
    const { reason } = parseBody(resolveDiscrepancyRequestSchema, req);
    res.json(await reconciliation.closeDiscrepancy(routeParam(req, 'id'), 'OVERRIDE', reason, callerOf(res).name));
  });

  return router;
}
