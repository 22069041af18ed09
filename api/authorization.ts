// The single place that says who may call which endpoint. Every router guards each route with
// `authorize('<METHOD> <path>')`, so a route missing from this table does not type-check, and
// test/integration/authorization-matrix.test.ts holds every registered route to it.
import type { Request, RequestHandler } from 'express';
import { PARTICIPANT_ROLE, TRAINING_PLATFORM_ROLE, type AccessRole, type Config } from '../lib/config';
import { parseTrainingPlatformSecrets, webhookSecretForPlatform } from '../lib/training-platform-secrets';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '../lib/webhook-signature';
import type { Authenticator } from './authentication';
import { ForbiddenError, UnauthorizedError } from './errors';
import { participantNotFound } from './participants/missing-journey';
import { limitPerCredential } from './rate-limits';
import { routeParam } from './request-validation';

/**
 * Who may call a route: roles proving themselves with a bearer key or token (and, where
 * `codecSessionCookie` is set, with the codec session cookie instead), anyone, or a training
 * platform proving itself by HMAC. A route that lists `participant` is about one participant, its
 * `:id`: a participant's own token opens it for that participant alone.
 */
export type RouteAccess = { roles: readonly AccessRole[]; codecSessionCookie?: true } | 'public' | 'training-platform-signature';

export const ROUTE_ACCESS = {
  'GET /health': 'public',
  'GET /health/live': 'public',
  'GET /openapi.json': 'public',
  // The console's files and its deployment settings carry no data; its data calls carry a key.
  'GET /console': 'public',
  'GET /console/config.json': 'public',
  // Who the credential belongs to: the console learns the role from it.
  'GET /v1/me': { roles: ['backend', 'program-manager', 'operator', 'auditor', 'reviewer'] },

  // The Temporal UI calls the codec from the operator's browser with the codec session cookie
  // (set by POST /codec/session, which the console calls at sign-in). Decoding shows workflow
  // payloads in clear: operators and auditors only; encoding (the UI sending a signal) operators.
  'POST /codec/encode': { roles: ['operator'], codecSessionCookie: true },
  'POST /codec/decode': { roles: ['operator', 'auditor'], codecSessionCookie: true },
  'POST /codec/session': { roles: ['operator', 'auditor'] },
  // Signing out only clears the cookie: nothing to protect.
  'DELETE /codec/session': 'public',

  'POST /v1/registrations': { roles: ['backend'] },

  // A participant's record: the backend (the participant's own channel), operators (help desk),
  // auditors (the decision and the version that made it). Program managers work on aggregates.
  'GET /v1/participants/:id': { roles: ['backend', 'operator', 'auditor'] },
  'POST /v1/participants/:id/email-verification': { roles: ['backend'] },
  'POST /v1/participants/:id/email-verification/resend': { roles: ['backend'] },
  'PUT /v1/participants/:id/identity': { roles: ['backend'] },
  'PUT /v1/participants/:id/photo': { roles: ['backend'] },
  'POST /v1/participants/:id/wave-applications': { roles: ['backend'] },
  'PUT /v1/participants/:id/payout-account': { roles: ['backend'] },
  'POST /v1/participants/:id/surveys/:n': { roles: ['backend'] },
  'POST /v1/participants/:id/withdrawal': { roles: ['backend'] },
  // The participant's own side: the portal (backend) signs the person in its own way and asks for
  // a token for them; with it the participant reads their status and appeals, for their own id only.
  'POST /v1/participants/:id/access-tokens': { roles: ['backend'] },
  'GET /v1/participants/:id/status': { roles: ['participant', 'backend'] },
  'POST /v1/participants/:id/appeals': { roles: ['participant', 'backend'] },
  // Operator actions: each takes a reason and is written to the participant's audit trail, which
  // auditors read too.
  'POST /v1/participants/:id/cancellation': { roles: ['operator'] },
  'POST /v1/participants/:id/verification-email-resends': { roles: ['operator'] },
  'POST /v1/participants/:id/notice-resends': { roles: ['operator'] },
  'POST /v1/participants/:id/payout-retries': { roles: ['operator'] },
  'POST /v1/participants/:id/deadline-extensions': { roles: ['operator'] },
  'POST /v1/participants/:id/resets': { roles: ['operator'] },
  'GET /v1/participants/:id/audit-trail': { roles: ['operator', 'auditor'] },
  // What the participant was told and when (no content, no address), for the help desk and audits.
  'GET /v1/participants/:id/notices': { roles: ['operator', 'auditor'] },
  // Personal data in clear: each call is written to the personal-data access log with its reason.
  'POST /v1/participants/:id/personal-data/unmasked-reads': { roles: ['auditor'] },
  'POST /v1/participants/:id/data-export': { roles: ['backend', 'auditor'] },
  'GET /v1/personal-data-access': { roles: ['auditor'] },

  // Appeals: reviewers work the queue and decide (never an appeal against a decision they took
  // part in); auditors read them. Reading an appeal shows the statement and the decision's facts in
  // clear: each read is written to the personal-data access log.
  'GET /v1/appeals': { roles: ['reviewer', 'auditor'] },
  'GET /v1/appeals/:id': { roles: ['reviewer', 'auditor'] },
  'GET /v1/appeals/:id/document': { roles: ['reviewer', 'auditor'] },
  'POST /v1/appeals/:id/decision': { roles: ['reviewer'] },

  'POST /v1/training-platforms/:platformId/events': 'training-platform-signature',

  'POST /v1/waves': { roles: ['program-manager'] },
  'GET /v1/waves': { roles: ['program-manager', 'operator', 'auditor'] },
  'GET /v1/waves/:id': { roles: ['program-manager', 'operator', 'auditor'] },
  'PATCH /v1/waves/:id': { roles: ['program-manager'] },
  'POST /v1/waves/:id/close': { roles: ['program-manager'] },
  // The seed, the lottery rule and the ranking: what an auditor recomputes (no personal data).
  'GET /v1/waves/:id/selection': { roles: ['program-manager', 'operator', 'auditor'] },
  'GET /v1/waves/:id/applicants': { roles: ['program-manager', 'operator', 'auditor'] },

  'GET /v1/stats/funnel': { roles: ['program-manager', 'operator', 'auditor'] },
  // Prometheus scrapes with an operator key (authorization.credentials in its scrape config).
  'GET /metrics': { roles: ['program-manager', 'operator'] },

  // Only program managers write rules; operators and auditors read them and may dry-run them.
  'GET /v1/rule-sets': { roles: ['program-manager', 'operator', 'auditor'] },
  'POST /v1/rule-sets': { roles: ['program-manager'] },
  'GET /v1/rule-sets/:id': { roles: ['program-manager', 'operator', 'auditor'] },
  'PUT /v1/rule-sets/:id': { roles: ['program-manager'] },
  'POST /v1/rule-sets/:id/publish': { roles: ['program-manager'] },
  'POST /v1/rule-sets/:id/submit': { roles: ['program-manager'] },
  'POST /v1/rule-sets/:id/approve': { roles: ['program-manager'] },
  'POST /v1/rule-sets/:id/send-back': { roles: ['program-manager'] },
  'POST /v1/rule-sets/:id/retire': { roles: ['program-manager'] },
  'GET /v1/rule-sets/:id/diff': { roles: ['program-manager', 'operator', 'auditor'] },
  'POST /v1/rule-sets/:id/evaluate': { roles: ['program-manager', 'operator', 'auditor'] },
  'POST /v1/rule-sets/:id/simulate': { roles: ['program-manager'] },
  'GET /v1/rule-sets/:id/audit': { roles: ['program-manager', 'operator', 'auditor'] },
  'POST /v1/rule-sets/:id/reevaluations': { roles: ['program-manager'] },
  'GET /v1/rule-sets/:id/reevaluations/:reevaluationId': { roles: ['program-manager', 'operator', 'auditor'] },

  // Payment reconciliation: operators run days and resolve cases; accepting the provider's figure
  // over the ledger's (an override) is a permission of its own, a program manager's.
  'GET /v1/reconciliation/days/:day': { roles: ['program-manager', 'operator', 'auditor'] },
  'POST /v1/reconciliation/days/:day/runs': { roles: ['operator'] },
  'GET /v1/reconciliation/days/:day/discrepancies': { roles: ['program-manager', 'operator', 'auditor'] },
  'GET /v1/reconciliation/discrepancies/:id': { roles: ['program-manager', 'operator', 'auditor'] },
  'POST /v1/reconciliation/discrepancies/:id/resolution': { roles: ['operator'] },
  'POST /v1/reconciliation/discrepancies/:id/override': { roles: ['program-manager'] },

  // Batch actions by filter: operators preview, request, confirm (a second operator, over the
  // threshold) and control them; auditors read them and each member's outcome.
  'POST /v1/batch-actions/previews': { roles: ['operator'] },
  'POST /v1/batch-actions': { roles: ['operator'] },
  'GET /v1/batch-actions': { roles: ['operator', 'auditor'] },
  'GET /v1/batch-actions/:id': { roles: ['operator', 'auditor'] },
  'GET /v1/batch-actions/:id/items': { roles: ['operator', 'auditor'] },
  'POST /v1/batch-actions/:id/confirmation': { roles: ['operator'] },
  'POST /v1/batch-actions/:id/pause': { roles: ['operator'] },
  'POST /v1/batch-actions/:id/resumption': { roles: ['operator'] },
  'POST /v1/batch-actions/:id/cancellation': { roles: ['operator'] },
} as const satisfies Record<string, RouteAccess>;

export type RouteKey = keyof typeof ROUTE_ACCESS;

type RolesOf<Route extends RouteKey> = (typeof ROUTE_ACCESS)[Route] extends { roles: readonly (infer Role)[] } ? Role : never;
/** The routes a participant's own token may open. */
export type ParticipantRouteKey = { [Route in RouteKey]: typeof PARTICIPANT_ROLE extends RolesOf<Route> ? Route : never }[RouteKey];
type AssertTrue<T extends true> = T;
// A participant's token is held to the route's `:id`: a route that lets participants in must be about one.
type _ParticipantRoutesNameTheParticipant = AssertTrue<ParticipantRouteKey extends `${string} /v1/participants/:id${string}` ? true : false>;

export type Authorize = (route: RouteKey) => RequestHandler;

export interface AccessControlOptions {
  config: Config;
  authenticator: Authenticator;
  now: () => Date;
}

/** The cookie the Temporal UI sends to the codec (HttpOnly, SameSite=Strict, Path=/codec). */
export const CODEC_SESSION_COOKIE = 'jalur_codec_session';

export function createAccessControl({ config, authenticator, now }: AccessControlOptions): Authorize {
  const platformSecrets = parseTrainingPlatformSecrets(config.trainingPlatformSecrets);
  const limitCredential = limitPerCredential(config.api.rateLimits);

  const requireRole = (access: Exclude<RouteAccess, string>): RequestHandler => async (req, res, next) => {
    const cookie = access.codecSessionCookie ? cookieValue(req.get('cookie'), CODEC_SESSION_COOKIE) : undefined;
    // A bearer credential wins; the cookie serves only the browser that has nothing else to send.
    const authentication =
      req.get('authorization') === undefined && cookie !== undefined
        ? await authenticator.authenticateCodecSession(cookie)
        : await authenticator.authenticate(req.get('authorization'));
    if (!authentication.authenticated) {
      throw authentication.reason === 'EXPIRED' ? new UnauthorizedError('TOKEN_EXPIRED', 'The key or token has expired; sign in again') : new UnauthorizedError();
    }
    const { caller } = authentication;
    if (!(access.roles as readonly string[]).includes(caller.role)) throw new ForbiddenError();
    // A participant's token opens its own participant only; any other id is answered exactly as
    // an unknown participant, so a token never tells whether someone else is in the program.
    if (caller.role === PARTICIPANT_ROLE && (caller.participantId === undefined || routeParam(req, 'id') !== caller.participantId)) throw participantNotFound();
    res.locals.caller = caller;
    limitCredential(req, res, next);
  };

  /** Needs the raw body (express.raw before it): the signature covers the exact bytes received. */
  const requirePlatformSignature: RequestHandler = async (req, res, next) => {
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
    // A platform may also present its API key; then it must be that platform's own.
    if (req.get('authorization') !== undefined) {
      const authentication = await authenticator.authenticate(req.get('authorization'));
      if (!authentication.authenticated) throw new UnauthorizedError();
      if (authentication.caller.role !== TRAINING_PLATFORM_ROLE || authentication.caller.platformId !== platformId) {
        throw new ForbiddenError('This key does not belong to the platform in the path');
      }
      res.locals.caller = authentication.caller;
    }
    next();
  };

  return (route) => {
    const access: RouteAccess = ROUTE_ACCESS[route];
    const guard: RequestHandler =
      access === 'public' ? (_req, _res, next) => next() : access === 'training-platform-signature' ? (...args) => requirePlatformSignature(...args) : requireRole(access);
    GUARDED_ROUTES.set(guard, route);
    return guard;
  };
}

/** Which route each guard was made for: lets a test prove every registered route is guarded. */
const GUARDED_ROUTES = new WeakMap<object, RouteKey>();

export function guardedRouteOf(handler: unknown): RouteKey | undefined {
  return typeof handler === 'function' ? GUARDED_ROUTES.get(handler) : undefined;
}

/** One cookie's value from a Cookie header; undefined when absent. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim() || undefined;
  }
  return undefined;
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
