import { Router } from 'express';
import type { Authorize } from '../authorization';
import type { ApiMetrics } from './api-metrics';

export function createMetricsRouter({ metrics, authorize }: { metrics: ApiMetrics; authorize: Authorize }): Router {
  const router = Router();

  router.get('/', authorize('GET /metrics'), async (_req, res) => {
    const text = await metrics.render();
    res.type(metrics.contentType).send(text);
  });

  return router;
}
