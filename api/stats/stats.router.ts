import { Router } from 'express';
import type { Authorize } from '../authorization';
import { parseQuery } from '../request-validation';
import { funnelQuerySchema } from './funnel.schema';
import type { FunnelService } from './funnel.service';

export function createStatsRouter({ funnel, authorize }: { funnel: FunnelService; authorize: Authorize }): Router {
  const router = Router();

  router.get('/funnel', authorize('GET /v1/stats/funnel'), async (req, res) => {
    res.json(await funnel.funnel(parseQuery(funnelQuerySchema, req)));
  });

  return router;
}
