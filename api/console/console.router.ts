// Serves the web console (built by `npm run build:console` into console/dist) at /console/, and the
// little it needs to know about this deployment. The files carry no data: every data call the
// console makes carries the signed-in person's API key, like any other client.
import fs from 'node:fs';
import path from 'node:path';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { Router } from 'express';
import { z } from 'zod';
import { DEVELOPMENT_API_KEYS, type Config } from '../../lib/config';
import type { Authorize } from '../authorization';
import { ServiceUnavailableError } from '../errors';
import { errorResponses, jsonContent } from '../openapi-shared';
import { consoleConfigSchema, type ConsoleConfig } from './console-config.schema';
import { CONSOLE_DIST_DIR } from './console-dist';

// A file name with an extension is an asset: a missing one is a 404, not the app's page.
const ASSET_PATH = /\/[^/]+\.[A-Za-z0-9]+$/;

export function createConsoleRouter({ config, authorize, distDir = CONSOLE_DIST_DIR }: { config: Config; authorize: Authorize; distDir?: string }): Router {
  const router = Router();
  const indexFile = path.join(distDir, 'index.html');
  const consoleConfig: ConsoleConfig = {
    environment: config.environment,
    temporalUiUrl: config.temporal.uiUrl.replace(/\/+$/, ''),
    temporalNamespace: config.temporal.namespace,
    // The backend key is no use in the console; the others are public knowledge outside production.
    // The first key of each role (a second program manager's or reviewer's key is typed in).
    developmentKeys: config.isProduction ? null : Object.fromEntries(DEVELOPMENT_API_KEYS.filter(({ role }) => role !== 'backend').reverse().map(({ role, key }) => [role, key])),
  };

  router.get('/config.json', authorize('GET /console/config.json'), (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(consoleConfig);
  });

  // Checked on every request rather than at boot, so building the console needs no API restart.
  router.use(authorize('GET /console'), (_req, _res, next) => {
    if (!fs.existsSync(indexFile)) throw new ServiceUnavailableError('CONSOLE_NOT_BUILT', 'The console is not built: run `npm run build:console` (npm install does it too)', 60);
    next();
  });
  // Vite names assets by content hash: they never change, the page that names them must not be cached.
  router.use(
    express.static(distDir, {
      index: false,
      redirect: false,
      setHeaders: (res, file) => res.setHeader('Cache-Control', file.startsWith(path.join(distDir, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    }),
  );
  // The app's own addresses (/console/rules/…, /console/participants/…) all answer with its page.
  router.get('/{*address}', (req, res, next) => {
    if (ASSET_PATH.test(req.path)) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });
  return router;
}

export function describeConsoleRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/console',
    summary: 'The web console for program managers, operators and auditors (HTML; every address under /console/ that is not a file answers with its page; no key needed, its data calls carry one)',
    responses: {
      200: { description: 'The console', content: { 'text/html': { schema: z.string() } } },
      ...errorResponses(503),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/console/config.json',
    summary: 'What the console needs to know about this deployment (no key needed)',
    responses: { 200: { description: 'The console\'s configuration', ...jsonContent(consoleConfigSchema) } },
  });
}
