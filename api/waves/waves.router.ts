import { Router } from 'express';
import type { Authorize } from '../authorization';
import { callerOf } from '../request-context';
import { parseBody, routeParam } from '../request-validation';
import { createWaveRequestSchema } from './wave.schema';
import type { WaveService } from './wave.service';

export function createWavesRouter({ waves, authorize }: { waves: WaveService; authorize: Authorize }): Router {
  const router = Router();

  router.post('/', authorize('POST /v1/waves'), async (req, res) => {
    const request = parseBody(createWaveRequestSchema, req);
    res.status(201).json(await waves.createWave(request, callerOf(res).name));
  });

  router.get('/', authorize('GET /v1/waves'), async (_req, res) => {
    res.json({ waves: await waves.listWaves() });
  });

  router.get('/:id', authorize('GET /v1/waves/:id'), async (req, res) => {
    res.json(await waves.getWave(routeParam(req, 'id')));
  });

  router.post('/:id/close', authorize('POST /v1/waves/:id/close'), async (req, res) => {
    res.json(await waves.closeWave(routeParam(req, 'id')));
  });

  return router;
}
