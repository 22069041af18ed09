/**
 * Training platforms: the course catalog the engine reads (behind the training fault gate),
 * and test controls that make a participant buy or finish a course, which the platform then
 * reports to the Jalur API as a signed webhook.
 */
import { randomUUID } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { SimulatorHttpError } from './http-errors';
import { parseRequestPart } from './request-validation';
import { TRAINING_CATALOG, findCourse } from './training-catalog';
import type { TrainingEvent, TrainingEventType, WebhookDeliverer } from './training-webhooks';

const trainingActionBodySchema = z
  .object({
    participantId: z.string().min(1).max(100),
    platformId: z.string().min(1).max(100),
    courseId: z.string().min(1).max(200),
    /** false: do not deliver, only answer with the signed request (for replay and duplicate tests). */
    deliver: z.boolean().optional(),
  })
  .strict();

export interface TrainingRouterDependencies {
  deliverer: WebhookDeliverer;
  catalogFaultGate: RequestHandler;
  now: () => number;
}

/** Mounted at /sim/training. */
export function createTrainingRouter(dependencies: TrainingRouterDependencies): Router {
  const { deliverer, catalogFaultGate, now } = dependencies;
  const router = Router();

  router.get('/catalog', catalogFaultGate, (_req, res) => {
    res.json(TRAINING_CATALOG);
  });

  const reportEvent =
    (type: TrainingEventType): RequestHandler =>
    (req, res) => {
      const body = parseRequestPart(trainingActionBodySchema, req.body, 'body');
      const course = findCourse(body.platformId, body.courseId);
      if (course === undefined) {
        throw new SimulatorHttpError(422, 'UNKNOWN_COURSE', 'That platform does not offer that course');
      }
      const event: TrainingEvent = {
        eventId: `evt_${randomUUID()}`,
        type,
        participantId: body.participantId,
        platformId: course.platformId,
        courseId: course.courseId,
        price: course.price,
        occurredAt: new Date(now()).toISOString(),
      };
      if (body.deliver === false) {
        res.status(200).json(deliverer.signedRequest(event));
        return;
      }
      deliverer.deliver(event);
      res.status(202).json({ eventId: event.eventId });
    };

  router.post('/purchases', reportEvent('PURCHASED'));
  router.post('/completions', reportEvent('COMPLETED'));
  router.get('/webhooks', (_req, res) => {
    res.json(deliverer.deliveries());
  });
  return router;
}
