/** Test and benchmark controls shared by every system: fault knobs, traffic counters, reset, health. */
import { Router } from 'express';
import { z } from 'zod';
import { faultSettingsSchema, type FaultInjector } from './faults';
import { SimulatorHttpError } from './http-errors';
import { isOutsideSystem, OUTSIDE_SYSTEMS, type OutsideSystem } from '../lib/outside-systems';
import { parseRequestPart } from './request-validation';
import type { SystemStats } from './system-stats';

const systemParamsSchema = z.object({ system: z.string() });

function systemFromParams(params: unknown): OutsideSystem {
  const { system } = parseRequestPart(systemParamsSchema, params, 'params');
  if (!isOutsideSystem(system)) {
    throw new SimulatorHttpError(404, 'UNKNOWN_SYSTEM', `No simulated system is called that; known: ${OUTSIDE_SYSTEMS.join(', ')}`);
  }
  return system;
}

export interface SimControlDependencies {
  injector: FaultInjector;
  stats: SystemStats;
  resetEverything: () => void;
}

/** Mounted at /sim. */
export function createSimControlRouter(dependencies: SimControlDependencies): Router {
  const { injector, stats, resetEverything } = dependencies;
  const router = Router();

  router.get('/faults', (_req, res) => {
    res.json(injector.allSettings());
  });
  router.get('/faults/:system', (req, res) => {
    res.json(injector.settingsFor(systemFromParams(req.params)));
  });
  router.put('/faults/:system', (req, res) => {
    const system = systemFromParams(req.params);
    const settings = parseRequestPart(faultSettingsSchema, req.body, 'body');
    injector.configure(system, settings);
    res.json(injector.settingsFor(system));
  });
  router.delete('/faults/:system', (req, res) => {
    injector.configure(systemFromParams(req.params), {});
    res.status(204).end();
  });
  router.delete('/faults', (_req, res) => {
    injector.reset();
    res.status(204).end();
  });

  router.get('/stats', (_req, res) => {
    res.json(stats.snapshot());
  });
  // Lets a benchmark measure one phase without wiping mail, payments or residents.
  router.delete('/stats', (_req, res) => {
    stats.reset();
    res.status(204).end();
  });

  router.post('/reset', (_req, res) => {
    resetEverything();
    res.status(204).end();
  });
  return router;
}
