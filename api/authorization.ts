// The single place that says who may call which endpoint. Every router guards each route with
// `authorize('<METHOD> <path>')`, so a route missing from this table does not type-check.
import type { Request, RequestHandler } from 'express';
import type { Config, Role } from '../lib/config';
import { parseTrainingPlatformSecrets, webhookSecretForPlatform } from '../simulators/platform-secrets';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '../simulators/webhook-signature';
import { ApiKeyAuthenticator } from './authentication';
import { ForbiddenError, UnauthorizedError } from './errors';
import { routeParam } from './request-validation';

/** Who may call a route: API-key roles, anyone, or a training platform proving itself by HMAC. */
export type RouteAccess = { roles: readonly Role[] } | 'public' | 'training-platform-signature';

export const ROUTE_ACCESS = {
  'GET /health': 'public',
  'GET /openapi.json': 'public',
  // The console's files and its deployment settings carry no data; its data calls carry a key.
  'GET /console': 'public',
  'GET /console/config.json': 'public',
  // The Temporal UI calls these from the operator's browser. Decoding shows workflow payloads in
  // clear, which is acceptable only on the loopback dev setup: the security work puts operator
  // authentication on both (the UI can forward its access token as Authorization).
  'POST /codec/encode': 'public',
  'POST /codec/decode': 'public',

  'POST /v1/registrations': { roles: ['backend'] },

  'GET /v1/participants/:id': { roles: ['backend', 'operator'] },
  'POST /v1/participants/:id/email-verification': { roles: ['backend'] },
  'POST /v1/participants/:id/email-verification/resend': { roles: ['backend'] },
  'PUT /v1/participants/:id/identity': { roles: ['backend'] },
  'PUT /v1/participants/:id/photo': { roles: ['backend'] },
  'POST /v1/participants/:id/wave-applications': { roles: ['backend'] },
  'PUT /v1/participants/:id/payout-account': { roles: ['backend'] },
  'POST /v1/participants/:id/surveys/:n': { roles: ['backend'] },
  'POST /v1/participants/:id/withdrawal': { roles: ['backend'] },
  'POST /v1/participants/:id/cancellation': { roles: ['operator'] },
  // Personal data in clear: each call is written to the personal-data access log with its reason.
  'POST /v1/participants/:id/personal-data/unmasked-reads': { roles: ['auditor'] },
  'POST /v1/participants/:id/data-export': { roles: ['backend', 'auditor'] },
  'GET /v1/personal-data-access': { roles: ['auditor'] },

  'POST /v1/training-platforms/:platformId/events': 'training-platform-signature',

  'POST /v1/waves': { roles: ['program-manager'] },
  'GET /v1/waves': { roles: ['program-manager', 'operator'] },
  'GET /v1/waves/:id': { roles: ['program-manager', 'operator'] },
  'PATCH /v1/waves/:id': { roles: ['program-manager'] },
  'POST /v1/waves/:id/close': { roles: ['program-manager'] },
  'GET /v1/waves/:id/selection': { roles: ['program-manager', 'operator'] },
  'GET /v1/waves/:id/applicants': { roles: ['program-manager', 'operator'] },

  'GET /v1/stats/funnel': { roles: ['program-manager', 'operator'] },
  // Prometheus scrapes with an operator key (authorization.credentials in its scrape config).
  'GET /metrics': { roles: ['program-manager', 'operator'] },

  // Only program managers write rules; operators read them and may dry-run them.
  'GET /v1/rule-sets': { roles: ['program-manager', 'operator'] },
  'POST /v1/rule-sets': { roles: ['program-manager'] },
  'GET /v1/rule-sets/:id': { roles: ['program-manager', 'operator'] },
  'PUT /v1/rule-sets/:id': { roles: ['program-manager'] },
  'POST /v1/rule-sets/:id/publish': { roles: ['program-manager'] },
  'POST /v1/rule-sets/:id/retire': { roles: ['program-manager'] },
  'GET /v1/rule-sets/:id/diff': { roles: ['program-manager', 'operator'] },
  'POST /v1/rule-sets/:id/evaluate': { roles: ['program-manager', 'operator'] },
  'POST /v1/rule-sets/:id/simulate': { roles: ['program-manager'] },
  'GET /v1/rule-sets/:id/audit': { roles: ['program-manager', 'operator'] },
  'POST /v1/rule-sets/:id/reevaluations': { roles: ['program-manager'] },
  'GET /v1/rule-sets/:id/reevaluations/:reevaluationId': { roles: ['program-manager', 'operator'] },
} as const satisfies Record<string, RouteAccess>;

export type RouteKey = keyof typeof ROUTE_ACCESS;

export type Authorize = (route: RouteKey) => RequestHandler;

export interface AccessControlOptions {
  config: Config;
  now: () => Date;
}

export function createAccessControl({ config, now }: AccessControlOptions): Authorize {
  const authenticator = new ApiKeyAuthenticator(config.api.keys);
  const platformSecrets = parseTrainingPlatformSecrets(config.trainingPlatformSecrets);

  const requireRole = (roles: readonly Role[]): RequestHandler => (req, res, next) => {
    const caller = authenticator.authenticate(req.get('authorization'));
    if (!caller) throw new UnauthorizedError();
    if (!roles.includes(caller.role)) throw new ForbiddenError();
    res.locals.caller = caller;
    next();
  };

  /** Needs the raw body (express.raw before it): the signature covers the exact bytes received. */
  const requirePlatformSignature: RequestHandler = (req, _res, next) => {
    const platformId = routeParam(req, 'platformId');
    // Outside production an unlisted platform signs with its well-known development secret;
    // in production that secret would be public knowledge, so only listed platforms get in.
    if (config.isProduction && !platformSecrets.has(platformId)) throw invalidSignature();
    const verification = verifyWebhookSignature({
      secret: webhookSecretForPlatform(platformSecrets, platformId),
      timestamp: req.get(WEBHOOK_TIMESTAMP_HEADER),
      signature: req.get(WEBHOOK_SIGNATURE_HEADER),
      rawBody: rawBodyOf(req),
      nowSeconds: Math.floor(now().getTime() / 1000),
    });
    if (!verification.valid) throw invalidSignature(verification.reason);
    next();
  };

  const allowEveryone: RequestHandler = (_req, _res, next) => next();

  return (route) => {
    const access: RouteAccess = ROUTE_ACCESS[route];
    if (access === 'public') return allowEveryone;
    if (access === 'training-platform-signature') return requirePlatformSignature;
    return requireRole(access.roles);
  };
}

function invalidSignature(reason?: string): UnauthorizedError {
  const detail = reason === 'STALE_TIMESTAMP' ? ' (timestamp more than 5 minutes from now)' : '';
  return new UnauthorizedError('INVALID_SIGNATURE', `The webhook signature is missing or invalid${detail}`);
}

function rawBodyOf(req: Request): Buffer {
  // An empty raw body leaves req.body undefined; anything else was read by express.raw.
  if (req.body === undefined) return Buffer.alloc(0);
  if (!Buffer.isBuffer(req.body)) throw new Error('The webhook route must read its body with express.raw()');
  return req.body;
}
