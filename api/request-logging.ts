// Request ids and access logs. Every response carries X-Request-Id (the caller's own when it is a
// plain token, else a new UUID). Access logs hold method, path, status and timing only: never
// bodies, query strings or headers, which may carry personal data or keys.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../lib/logger';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

export const assignRequestId: RequestHandler = (req, res, next) => {
  const offered = req.get(REQUEST_ID_HEADER);
  const requestId = offered && ACCEPTABLE_REQUEST_ID.test(offered) ? offered : randomUUID();
  res.locals.requestId = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  next();
};

/** Access log; mount after assignRequestId. */
export function logRequests(logger: Logger): RequestHandler {
  return pinoHttp<IncomingMessage, ServerResponse>({
    logger,
    genReqId: (_req, res) => String(res.getHeader(REQUEST_ID_HEADER)),
    // One line per request, and only where it tells something: a 500 is our own failure (error);
    // every other answer, the 4xx of a client's mistake or a 429 under load included, is counted
    // in /metrics and logged at debug (LOG_LEVEL=debug), so a signup spike costs no logging.
    // 503 is an outage the error handler has logged already.
    customLogLevel: (_req, res) => (res.statusCode === 500 ? 'error' : 'debug'),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // /health is polled by the orchestrator; logging each poll would drown everything else.
    autoLogging: { ignore: (req) => req.url === '/health' },
  });
}
