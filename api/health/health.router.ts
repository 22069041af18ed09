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

  // Liveness: this process serves requests. What a load balancer and Kubernetes probe: a database
  // or Temporal that is away for a moment is every API process's problem at once, and taking
  // them all out of rotation for it would turn a slower answer (or a 503 with a code) into none.
  router.get('/live', authorize('GET /health/live'), (_req, res) => {
    res.json({ status: 'live' });
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
  registry.registerPath({
    method: 'get',
    path: '/health/live',
    summary: 'The process serves requests, whatever its dependencies (for load balancers and liveness probes; no key needed)',
    responses: { 200: { description: 'Serving', ...jsonContent(z.object({ status: z.literal('live') })) } },
  });
}
