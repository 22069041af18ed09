// Which browser pages may call the API. A request without an Origin (curl, servers, a same-origin
// GET) passes; one from the API's own origin (the console) passes; any other origin only from the
// allow-list, preflight included. Refusing other origins outright, rather than merely leaving out
// the CORS headers, keeps another site from even sending a request here.
import type { Request, RequestHandler } from 'express';
import { OriginNotAllowedError } from './errors';

const PREFLIGHT_CACHE_SECONDS = 600;

export interface CorsPolicy {
  allowedOrigins: readonly string[];
  methods: readonly string[];
  headers: readonly string[];
  /** Cookies may come along (the codec session); the browser then needs Allow-Credentials. */
  credentials?: boolean;
  exposedHeaders?: readonly string[];
}

/** The origin this request was addressed to, as the browser sees it (behind trusted proxies too). */
function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`;
}

export function allowCorsFrom(policy: CorsPolicy): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin === undefined || origin === ownOrigin(req)) {
      next();
      return;
    }
    res.vary('Origin');
    if (!policy.allowedOrigins.includes(origin)) throw new OriginNotAllowedError();
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (policy.credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', [...policy.methods, 'OPTIONS'].join(', '));
      res.setHeader('Access-Control-Allow-Headers', policy.headers.join(', '));
      res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_CACHE_SECONDS));
      res.status(204).end();
      return;
    }
    if (policy.exposedHeaders?.length) res.setHeader('Access-Control-Expose-Headers', policy.exposedHeaders.join(', '));
    next();
  };
}
