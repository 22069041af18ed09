/** Express middleware that puts an outside system's routes behind its fault knobs and counters. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, RequestHandler } from 'express';
import type { FaultInjector } from './faults';
import { sendError } from './http-errors';
import type { OutsideSystem } from '../lib/outside-systems';
import type { FaultKind, SystemStats } from './system-stats';

export interface FaultGateDependencies {
  injector: FaultInjector;
  stats: SystemStats;
  /** Lets a system keep its own record of requests a fault turned away (the payments log does). */
  onFaultRejection?: (req: Request, fault: FaultKind) => void;
}

export function createFaultGate(system: OutsideSystem, dependencies: FaultGateDependencies): RequestHandler {
  const { injector, stats, onFaultRejection } = dependencies;
  return async (req, res, next) => {
    const admission = injector.admit(system);
    if (admission.delayMs > 0) {
      await sleep(admission.delayMs);
    }
    if (admission.kind === 'proceed') {
      res.on('finish', () => stats.recordAnswer(system, res.statusCode));
      next();
      return;
    }
    onFaultRejection?.(req, admission.fault);
    if (admission.fault === 'rateLimit') {
      const retryAfterSeconds = Math.max(1, Math.ceil((admission.retryAfterMs ?? 1000) / 1000));
      res.setHeader('Retry-After', String(retryAfterSeconds));
      sendError(res, 429, 'RATE_LIMITED', `${system} accepts no more requests this second (simulated rate limit)`);
      return;
    }
    const cause = admission.fault === 'outage' ? 'simulated outage' : 'simulated random error';
    sendError(res, 503, 'SERVICE_UNAVAILABLE', `${system} is unavailable (${cause})`);
  };
}
