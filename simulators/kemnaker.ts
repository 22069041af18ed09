/** Kemnaker (Ministry of Manpower): whether a NIK is on the collected lists of laid-off or sent-home workers. */
import { Router } from 'express';
import { z } from 'zod';
import { parseRequestPart } from './request-validation';
import { nikSchema, type ResidentRegistry } from './residents';

const nikParamsSchema = z.object({ nik: nikSchema });

/** Mounted at /kemnaker, behind its fault gate. A NIK the registry does not know is not on the list. */
export function createKemnakerRouter(registry: ResidentRegistry): Router {
  const router = Router();
  router.get('/v1/laid-off-workers/:nik', (req, res) => {
    const { nik } = parseRequestPart(nikParamsSchema, req.params, 'params');
    res.json({ nik, onList: registry.find(nik)?.onLaidOffList ?? false });
  });
  return router;
}
