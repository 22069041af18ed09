import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '../../lib/webhook-signature';
import { errorResponses, jsonContent } from '../openapi-shared';

export const trainingEventSchema = z.object({
  eventId: z.string().min(1).max(128),
  type: z.enum(['PURCHASED', 'COMPLETED']),
  participantId: z.uuid(),
  platformId: z.string().min(1).max(64),
  courseId: z.string().min(1).max(128),
  price: z.int().min(0).meta({ description: 'Rupiah' }),
  occurredAt: z.iso.datetime({ offset: true }),
}).meta({ id: 'TrainingEvent' });

export type TrainingEvent = z.output<typeof trainingEventSchema>;

export const trainingEventOutcomeSchema = z.object({
  status: z.enum(['accepted', 'duplicate']).meta({ description: 'duplicate: this event id was received before and had its effect then' }),
});

export type TrainingEventOutcome = z.output<typeof trainingEventOutcomeSchema>;

export function describeTrainingPlatformRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/training-platforms/{platformId}/events',
    summary: 'A training platform reports a purchase or completion (HMAC-signed by the platform)',
    description:
      `Signed over the raw body: ${WEBHOOK_TIMESTAMP_HEADER}: <unix seconds>, ${WEBHOOK_SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>. ` +
      'Timestamps more than 5 minutes from the server clock are refused. A refusal by the participant\'s journey is answered 409/422 so the platform sees it.',
    request: {
      params: z.object({ platformId: z.string() }),
      headers: z.object({ [WEBHOOK_TIMESTAMP_HEADER]: z.string(), [WEBHOOK_SIGNATURE_HEADER]: z.string() }),
      body: jsonContent(trainingEventSchema),
    },
    responses: { 200: { description: 'Accepted, or a duplicate with no effect', ...jsonContent(trainingEventOutcomeSchema) }, ...errorResponses(400, 401, 404, 409, 422, 503) },
  });
}
