import { Router } from 'express';
import type { Authorize } from '../authorization';
import { callerOf } from '../request-context';
import { parseBody, parseQuery, routeParam } from '../request-validation';
import { applicantsQuerySchema, createWaveRequestSchema, updateWaveRequestSchema } from './wave.schema';
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

  router.patch('/:id', authorize('PATCH /v1/waves/:id'), async (req, res) => {
    res.json(await waves.updateWave(routeParam(req, 'id'), parseBody(updateWaveRequestSchema, req)));
  });

  router.post('/:id/close', authorize('POST /v1/waves/:id/close'), async (req, res) => {
    res.json(await waves.closeWave(routeParam(req, 'id'), callerOf(res).name));
  });

  router.get('/:id/selection', authorize('GET /v1/waves/:id/selection'), async (req, res) => {
    res.json(await waves.getSelection(routeParam(req, 'id')));
  });

  router.get('/:id/applicants', authorize('GET /v1/waves/:id/applicants'), async (req, res) => {
    res.json(await waves.listApplicants(routeParam(req, 'id'), parseQuery(applicantsQuerySchema, req)));
  });

  return router;
}
