// Load shedding: past `maxInFlight` requests in progress on a route, a new one is answered 429
// with Retry-After at once, before its body is read, rather than queueing behind the database
// into timeouts and 5xx. A client told when to come back loses nothing.
import type { RequestHandler } from 'express';
import { TooManyRequestsError } from './errors';

export interface LoadSheddingOptions {
  maxInFlight: number;
  retryAfterSeconds: number;
}

export function shedLoadBeyond({ maxInFlight, retryAfterSeconds }: LoadSheddingOptions): RequestHandler & { inFlight(): number } {
  let inFlight = 0;
  const middleware: RequestHandler = (_req, res, next) => {
    if (inFlight >= maxInFlight) {
      next(new TooManyRequestsError(retryAfterSeconds, 'Too many registrations at once; retry after the delay in Retry-After'));
      return;
    }
    inFlight += 1;
    let released = false;
    // 'close' also fires when the client gives up before the answer.
    const release = () => {
      if (released) return;
      released = true;
      inFlight -= 1;
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };
  return Object.assign(middleware, { inFlight: () => inFlight });
}
