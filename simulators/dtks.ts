/** DTKS (integrated social welfare data): which social-assistance programs a NIK already receives. */
import { Router } from 'express';
import { z } from 'zod';
import { parseRequestPart } from './request-validation';
import { nikSchema, type ResidentRegistry } from './residents';

const nikParamsSchema = z.object({ nik: nikSchema });

/** Mounted at /dtks, behind its fault gate. A NIK the registry does not know receives nothing. */
export function createDtksRouter(registry: ResidentRegistry): Router {
  const router = Router();
  router.get('/v1/recipients/:nik', (req, res) => {
    const { nik } = parseRequestPart(nikParamsSchema, req.params, 'params');
    res.json({ nik, programs: registry.find(nik)?.socialAid ?? [] });
  });
  return router;
}
