import express, { Router } from 'express';
import { WEBHOOK_SIGNATURE_HEADER } from '../../lib/webhook-signature';
import type { Authorize } from '../authorization';
import { MalformedJsonError, ValidationError } from '../errors';
import { parseRequestPart, routeParam } from '../request-validation';
import { trainingEventSchema } from './training-event.schema';
import type { TrainingEventService } from './training-event.service';

const MAX_EVENT_BYTES = 64 * 1024;

export function createTrainingPlatformsRouter({ trainingEvents, authorize }: { trainingEvents: TrainingEventService; authorize: Authorize }): Router {
  const router = Router();

  // The signature covers the exact bytes sent, so the body is read raw, verified, then parsed.
  const readRawBody = express.raw({ type: () => true, limit: MAX_EVENT_BYTES });
  router.post('/:platformId/events', readRawBody, authorize('POST /v1/training-platforms/:platformId/events'), async (req, res) => {
    const event = parseRequestPart(trainingEventSchema, parseJson(req.body), 'body');
    if (event.platformId !== routeParam(req, 'platformId')) {
      throw new ValidationError('The event names another platform', { platformId: 'must be the platform in the path' });
    }
    // The signature was verified by authorize(); it is what a replay would carry again.
    res.json(await trainingEvents.recordTrainingEvent(event, req.get(WEBHOOK_SIGNATURE_HEADER) ?? ''));
  });

  return router;
}

function parseJson(body: unknown): unknown {
  if (!Buffer.isBuffer(body)) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new MalformedJsonError();
  }
}
