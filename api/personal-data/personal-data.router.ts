import { Router } from 'express';
import type { Authorize } from '../authorization';
import { callerOf } from '../request-context';
import { parseBody, parseQuery, routeParam } from '../request-validation';
import { accessLogQuerySchema, dataExportRequestSchema, unmaskedReadRequestSchema } from './personal-data.schema';
import type { PersonalDataService } from './personal-data.service';

/** Mounted at /v1. */
export function createPersonalDataRouter({ personalData, authorize }: { personalData: PersonalDataService; authorize: Authorize }): Router {
  const router = Router();

  router.post('/participants/:id/personal-data/unmasked-reads', authorize('POST /v1/participants/:id/personal-data/unmasked-reads'), async (req, res) => {
    const { reason, fields } = parseBody(unmaskedReadRequestSchema, req);
    res.json(await personalData.readUnmasked(routeParam(req, 'id'), fields, { caller: callerOf(res), requestId: res.locals.requestId, reason }));
  });

  router.post('/participants/:id/data-export', authorize('POST /v1/participants/:id/data-export'), async (req, res) => {
    const { reason } = parseBody(dataExportRequestSchema, req);
    res.json(await personalData.exportParticipant(routeParam(req, 'id'), { caller: callerOf(res), requestId: res.locals.requestId, reason }));
  });

  router.get('/personal-data-access', authorize('GET /v1/personal-data-access'), async (req, res) => {
    res.json(await personalData.listAccess(parseQuery(accessLogQuerySchema, req)));
  });

  return router;
}
