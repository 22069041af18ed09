// Pieces every resource's OpenAPI description uses: JSON bodies and the one error shape.
import { z } from 'zod';

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional().meta({ description: 'Problems by field (path in the body)', example: { nik: 'must be 16 digits' } }),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED (with fields), INVALID_RULE_SET (fields by path in the rule set) or MALFORMED_JSON',
  401: 'UNAUTHENTICATED: no, unknown or revoked key or token; TOKEN_EXPIRED (INVALID_SIGNATURE or WEBHOOK_REPLAYED for webhooks)',
  403: 'FORBIDDEN: the key\'s role may not call this endpoint; ORIGIN_NOT_ALLOWED: a browser page from an origin not on the allow-list; OWN_DECISION: a reviewer named in the appealed decision',
  404: 'Not found',
  409: 'Conflict with the current state (ALREADY_REGISTERED, WAVE_NUMBER_TAKEN, WRONG_STAGE, ALREADY_APPLIED, REVISION_CONFLICT, RULE_SET_NOT_DRAFT, ...)',
  413: 'PAYLOAD_TOO_LARGE; DOCUMENT_TOO_LARGE (an appeal\'s document over 2 MiB)',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED (per client address or credential) or TOO_MANY_REQUESTS (load shed); Retry-After says when to retry',
  428: 'PRECONDITION_REQUIRED: the write must name the revision it read (If-Match or revision)',
  422: 'Refused by the business rules (INVALID_TOKEN, WAVE_NOT_OPEN, INSUFFICIENT_BALANCE, ...)',
  503: 'A dependency (workflow service, database, simulation) is unavailable; retry',
};

export function jsonContent<Schema extends z.ZodType>(schema: Schema) {
  return { content: { 'application/json': { schema } } };
}

export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, { description: ERROR_DESCRIPTIONS[status] ?? 'Error', ...jsonContent(errorBodySchema) }]));
}
