// "Who am I": the role and name the presented credential stands for, and until when. The console
// signs in with it (the role comes from the key or token, not from what the person ticked).
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';
import type { Authorize } from '../authorization';
import { errorResponses, jsonContent } from '../openapi-shared';
import { callerOf } from '../request-context';

export const meSchema = z
  .object({
    role: z.string().meta({ example: 'operator' }),
    name: z.string().meta({ description: 'The key\'s name or the person in the token', example: 'Budi' }),
    credential: z.enum(['stored-key', 'configured-key', 'token', 'codec-session', 'participant-token']),
    expiresAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Me' });
export type Me = z.output<typeof meSchema>;

export function createMeRouter({ authorize }: { authorize: Authorize }): Router {
  const router = Router();
  router.get('/', authorize('GET /v1/me'), (_req, res) => {
    const caller = callerOf(res);
    const me: Me = { role: caller.role, name: caller.name, credential: caller.credential.kind, expiresAt: caller.credential.expiresAt?.toISOString() ?? null };
    res.setHeader('Cache-Control', 'no-store');
    res.json(me);
  });
  return router;
}

export function describeMeRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/v1/me',
    summary: 'The role and name of the presented key or token',
    responses: { 200: { description: 'Who the credential belongs to', ...jsonContent(meSchema) }, ...errorResponses(401) },
  });
}
