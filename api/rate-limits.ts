// Abuse limits: requests per window per client address (before anything is read or checked) and
// per credential (after authentication, so one leaked key cannot use up everyone's share). Over
// the limit: 429 RATE_LIMITED with Retry-After. Counters are per API process (memory store): with
// N processes behind a balancer a client gets up to N times the limit, which the defaults allow for.
import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Config } from '../lib/config';
import { RateLimitedError } from './errors';

type RateLimitSettings = Config['api']['rateLimits'];

const passThrough: RequestHandler = (_req, _res, next) => next();

function retryAfterSeconds(req: Request, windowSeconds: number): number {
  const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
  if (!resetTime) return windowSeconds;
  return Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000));
}

export function limitPerClientAddress(settings: RateLimitSettings): RequestHandler {
  if (settings.perIp === 0) return passThrough;
  return rateLimit({
    windowMs: settings.windowSeconds * 1000,
    limit: settings.perIp,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'per-ip',
    // The balancer's health checks are never throttled.
    skip: (req) => req.path === '/health' || req.path.startsWith('/health/'),
    handler: (req, _res, next) => next(new RateLimitedError(retryAfterSeconds(req, settings.windowSeconds), 'ip')),
  });
}

/** Runs after authentication: counts by the credential on res.locals.caller. */
export function limitPerCredential(settings: RateLimitSettings): RequestHandler {
  if (settings.perCredential === 0) return passThrough;
  return rateLimit({
    windowMs: settings.windowSeconds * 1000,
    limit: settings.perCredential,
    standardHeaders: false,
    legacyHeaders: false,
    identifier: 'per-credential',
    keyGenerator: (_req, res) => {
      const caller = res.locals.caller;
      if (!caller) throw new Error('limitPerCredential runs after authentication');
      return `${caller.credential.kind}:${caller.credential.id}`;
    },
    handler: (req, _res, next) => next(new RateLimitedError(retryAfterSeconds(req, settings.windowSeconds), 'credential')),
  });
}
