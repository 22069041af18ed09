// The remote codec the Temporal UI is pointed at (--ui-codec-endpoint): it sends payloads as
// the Temporal codec-server JSON ({ payloads: [{ metadata: { key: base64 }, data: base64 }] })
// and shows what comes back, so operators read decrypted histories while the server keeps
// only ciphertext. Browsers reach it only from the origins in config.codecCorsOrigins.
//
// Every call is authenticated. The Temporal UI cannot send our bearer tokens (it passes only its
// own OIDC access token, and only when it runs with OIDC sign-in), but with "include cross-origin
// credentials" on it sends cookies: the console's sign-in calls POST /codec/session, which sets
// an HttpOnly, SameSite=Strict cookie scoped to /codec holding a short-lived token for the codec
// audience only (a bearer token elsewhere it is not). Tools (curl, the CLI) send a bearer key.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Payload } from '@temporalio/common';
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { PEOPLE_ROLES, type KeyRing } from '../../lib/config';
import type { PeopleTokens } from '../../lib/people-tokens';
import { CODEC_SESSION_AUDIENCE_SUFFIX } from '../../lib/people-tokens';
import { AesGcmPayloadCodec } from '../../lib/temporal/payload-codec';
import { CODEC_SESSION_COOKIE, type Authorize } from '../authorization';
import { allowCorsFrom } from '../cors';
import { ForbiddenError, HttpError, ServiceUnavailableError } from '../errors';
import { callerOf } from '../request-context';
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
/** A codec session lasts a working day at most, and never beyond the credential that opened it. */
const CODEC_SESSION_MAX_SECONDS = 8 * 3600;

export const codecSessionSchema = z
  .object({ role: z.string(), name: z.string(), expiresAt: z.iso.datetime() })
  .meta({ id: 'CodecSession' });

export interface CodecRouterOptions {
  payloadEncryption: KeyRing;
  allowedOrigins: readonly string[];
  authorize: Authorize;
  tokens: PeopleTokens;
  tokenAudience: string;
  /** Set the cookie's Secure flag (the API is served over HTTPS). */
  secureCookie: boolean;
  now: () => Date;
}

export function createCodecRouter({ payloadEncryption, allowedOrigins, authorize, tokens, tokenAudience, secureCookie, now }: CodecRouterOptions): Router {
  const codec = new AesGcmPayloadCodec(payloadEncryption);
  const router = Router();
  router.use(
    allowCorsFrom({
      allowedOrigins,
      methods: ['POST', 'DELETE'],
      headers: ['Content-Type', 'X-Namespace', 'Authorization'],
      credentials: true,
    }),
  );
  // Read only once the caller is known: nobody unauthenticated makes us parse 8 MB.
  const readJson = express.json({ limit: MAX_CODEC_BODY });

  router.post('/session', authorize('POST /codec/session'), async (_req, res) => {
    if (!tokens.canIssue) throw new ServiceUnavailableError('CODEC_SESSIONS_UNAVAILABLE', 'Codec sessions need AUTH_TOKEN_SIGNING_KEYS');
    const caller = callerOf(res);
    const issuedAt = now();
    const credentialLeftSeconds = caller.credential.expiresAt ? Math.floor((caller.credential.expiresAt.getTime() - issuedAt.getTime()) / 1000) : Infinity;
    const ttlSeconds = Math.max(1, Math.min(CODEC_SESSION_MAX_SECONDS, tokens.maxTtlSeconds, credentialLeftSeconds));
    // The session carries the caller's own role, and only a person's: never more than they hold.
    const parsedRole = z.enum(PEOPLE_ROLES).safeParse(caller.role);
    if (!parsedRole.success) throw new ForbiddenError('Codec sessions are for people (operators, auditors)');
    const role = parsedRole.data;
    const { token, expiresAt } = await tokens.issue({ role, name: caller.name, ttlSeconds, audience: `${tokenAudience}${CODEC_SESSION_AUDIENCE_SUFFIX}`, now: issuedAt });
    setSessionCookie(res, token, ttlSeconds, secureCookie);
    res.status(201).json({ role, name: caller.name, expiresAt: expiresAt.toISOString() });
  });

  router.delete('/session', authorize('DELETE /codec/session'), (_req, res) => {
    setSessionCookie(res, '', 0, secureCookie);
    res.status(204).end();
  });

  router.post('/encode', authorize('POST /codec/encode'), readJson, async (req, res) => {
    const payloads = fromJson(parseBody(codecRequestSchema, req));
    res.json(toJson(await codec.encode(payloads)));
  });

  router.post('/decode', authorize('POST /codec/decode'), readJson, async (req, res) => {
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

function setSessionCookie(res: Response, token: string, maxAgeSeconds: number, secure: boolean): void {
  // Path=/codec: the browser sends it nowhere else. SameSite=Strict: only from pages of this site
  // (the Temporal UI on another port or subdomain of it counts as the same site), never from others.
  res.cookie(CODEC_SESSION_COOKIE, token, { path: '/codec', httpOnly: true, sameSite: 'strict', secure, maxAge: maxAgeSeconds * 1000 });
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
      summary: `Temporal remote codec: ${direction} payloads (for the Temporal UI: bearer key or token, or the codec session cookie)`,
      request: { body: jsonContent(codecRequestSchema) },
      responses: { 200: { description: `The ${direction}d payloads`, ...jsonContent(codecRequestSchema) }, ...errorResponses(400, 401, 403, 413) },
    });
  }
  registry.registerPath({
    method: 'post',
    path: '/codec/session',
    summary: 'Opens a codec session: sets the HttpOnly cookie the Temporal UI sends with "include cross-origin credentials" (operators, auditors)',
    responses: { 201: { description: 'The session, until when', ...jsonContent(codecSessionSchema) }, ...errorResponses(401, 403, 503) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/codec/session',
    summary: 'Ends the codec session (clears the cookie)',
    responses: { 204: { description: 'Cleared' } },
  });
}
