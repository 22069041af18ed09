import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Authorize } from '../authorization';
import { jsonContent } from '../openapi-shared';
import type { HealthService } from './health.service';

export function createHealthRouter({ health, authorize }: { health: HealthService; authorize: Authorize }): Router {
  const router = Router();

  router.get('/', authorize('GET /health'), async (_req, res) => {
    const report = await health.checkHealth();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  return router;
}

const dependencyHealthSchema = z.object({ status: z.enum(['up', 'down']), latencyMs: z.int(), problem: z.string().optional() });

export function describeHealthRoutes(registry: OpenAPIRegistry): void {
  const report = z.object({
    status: z.enum(['ok', 'degraded']),
    dependencies: z.object({ temporal: dependencyHealthSchema, database: dependencyHealthSchema, simulators: dependencyHealthSchema }),
  });
  registry.registerPath({
    method: 'get',
    path: '/health',
    summary: 'Each dependency up or down (no key needed)',
    responses: {
      200: { description: 'Every dependency is up', ...jsonContent(report) },
      503: { description: 'At least one dependency is down', ...jsonContent(report) },
    },
  });
}
