/** Dapodik (basic education data): whether a NIK belongs to someone currently in school or university. */
import { Router } from 'express';
import { z } from 'zod';
import { parseRequestPart } from './request-validation';
import { nikSchema, type ResidentRegistry } from './residents';

const nikParamsSchema = z.object({ nik: nikSchema });

/** Mounted at /dapodik, behind its fault gate. A NIK the registry does not know is not a student. */
export function createDapodikRouter(registry: ResidentRegistry): Router {
  const router = Router();
  router.get('/v1/students/:nik', (req, res) => {
    const { nik } = parseRequestPart(nikParamsSchema, req.params, 'params');
    res.json({ nik, isStudent: registry.find(nik)?.isStudent ?? false });
  });
  return router;
}
