// The remote codec the Temporal UI is pointed at (--ui-codec-endpoint): it sends payloads as
// the Temporal codec-server JSON ({ payloads: [{ metadata: { key: base64 }, data: base64 }] })
// and shows what comes back, so operators read decrypted histories while the server keeps
// only ciphertext. Browsers reach it only from the origins in config.codecCorsOrigins.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Payload } from '@temporalio/common';
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { KeyRing } from '../../lib/config';
import { AesGcmPayloadCodec } from '../../lib/temporal/payload-codec';
import type { Authorize } from '../authorization';
import { ForbiddenError, HttpError } from '../errors';
import { errorResponses, jsonContent } from '../openapi-shared';
import { parseBody } from '../request-validation';

// Protobuf JSON writes standard base64; readers accept the URL-safe alphabet too.
const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

const payloadJsonSchema = z.object({
  metadata: z.record(z.string(), base64).optional(),
  data: base64.optional(),
});

export const codecRequestSchema = z.object({ payloads: z.array(payloadJsonSchema) }).meta({ id: 'CodecPayloads' });
type CodecRequest = z.output<typeof codecRequestSchema>;

/** History pages the UI decodes at once can be large. */
const MAX_CODEC_BODY = '8mb';
const PREFLIGHT_CACHE_SECONDS = 600;

export interface CodecRouterOptions {
  payloadEncryption: KeyRing;
  allowedOrigins: readonly string[];
  authorize: Authorize;
}

export function createCodecRouter({ payloadEncryption, allowedOrigins, authorize }: CodecRouterOptions): Router {
  const codec = new AesGcmPayloadCodec(payloadEncryption);
  const router = Router();
  router.use(allowCorsFrom(allowedOrigins));
  router.use(express.json({ limit: MAX_CODEC_BODY }));

  router.post('/encode', authorize('POST /codec/encode'), async (req, res) => {
    const payloads = fromJson(parseBody(codecRequestSchema, req));
    res.json(toJson(await codec.encode(payloads)));
  });

  router.post('/decode', authorize('POST /codec/decode'), async (req, res) => {
    const payloads = fromJson(parseBody(codecRequestSchema, req));
    let decoded: Payload[];
    try {
      decoded = await codec.decode(payloads);
    } catch {
      // Tampered ciphertext or a key id this deployment does not hold: the caller's data, not our fault.
      throw new HttpError(400, 'PAYLOAD_NOT_DECODABLE', 'A payload could not be decrypted (unknown key id or corrupted data)');
    }
    res.json(toJson(decoded));
  });

  return router;
}

/**
 * Requests without an Origin (curl, server-to-server) pass; a browser's only from an allowed
 * origin, preflight included. Refusing other origins outright, rather than merely leaving out
 * the CORS headers, keeps another site from even sending payloads here.
 */
function allowCorsFrom(allowedOrigins: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin === undefined) {
      next();
      return;
    }
    res.vary('Origin');
    if (!allowedOrigins.includes(origin)) throw new ForbiddenError('This origin may not use the codec endpoint');
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_CACHE_SECONDS));
      res.status(204).end();
      return;
    }
    next();
  };
}

function fromJson(request: CodecRequest): Payload[] {
  return request.payloads.map((payload) => ({
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(payload.data ?? '', 'base64'),
  }));
}

function toJson(payloads: Payload[]): CodecRequest {
  return {
    payloads: payloads.map((payload) => ({
      metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
      data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
    })),
  };
}

export function describeCodecRoutes(registry: OpenAPIRegistry): void {
  for (const direction of ['encode', 'decode'] as const) {
    registry.registerPath({
      method: 'post',
      path: `/codec/${direction}`,
      summary: `Temporal remote codec: ${direction} payloads (for the Temporal UI; loopback dev setup)`,
      request: { body: jsonContent(codecRequestSchema) },
      responses: { 200: { description: `The ${direction}d payloads`, ...jsonContent(codecRequestSchema) }, ...errorResponses(400, 403, 413) },
    });
  }
}
