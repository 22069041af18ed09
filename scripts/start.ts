// `npm start`: the whole system in one terminal on embedded defaults, Ctrl-C to stop.
import fs from 'node:fs';
import path from 'node:path';
import { CONSOLE_DIST_DIR } from '../api/console/console-dist';
import { DEVELOPMENT_API_KEYS, loadConfig } from '../lib/config';
import { startLocalStack } from './stack/local-stack';

async function run() {
  const config = loadConfig();
  const host = '127.0.0.1';
  console.log('Starting Jalur…');
  const stack = await startLocalStack({
    host,
    apiPort: config.api.port,
    simulatorsPort: config.simulators.port,
    smtpPort: config.mail.smtpPort,
    temporal: {
      address: config.temporal.usesDevServer ? undefined : config.temporal.address,
      devPort: config.temporal.devServer.port,
      uiPort: config.temporal.devServer.uiPort,
      dbFile: path.join(config.dataDir, 'temporal', 'temporal.db'),
    },
    database: { url: config.database.url, embeddedPort: config.database.embeddedPort, dataDir: path.join(config.dataDir, 'postgres') },
    run: { simulators: true, worker: true, api: true },
    env: { LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty' },
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Jalur…`);
    await stack.stop();
    console.log('Stopped. Data kept in', config.dataDir);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A part that dies takes the whole system down loudly rather than leaving it half up.
  for (const child of stack.children) {
    void child.exited.then((code) => {
      if (stopping) return;
      console.error(`Stopping everything: ${child.describeExit(code)}`);
      void stack.stop().then(() => process.exit(1));
    });
  }

  console.log(
    [
      '',
      'Jalur is running.',
      `  API            ${stack.apiUrl}   (health: ${stack.apiUrl}/health, OpenAPI: ${stack.apiUrl}/openapi.json)`,
      `  Console        ${stack.apiUrl}/console/   ${fs.existsSync(path.join(CONSOLE_DIST_DIR, 'index.html')) ? '(program managers, operators, appeal reviewers and auditors)' : '(not built: run npm run build:console)'}`,
      `  Temporal UI    ${config.temporal.usesDevServer ? config.temporal.uiUrl : '(your cluster’s UI)'}   (gRPC ${stack.temporalAddress})`,
      `  Simulators     ${stack.simulatorsUrl}   (SMTP on ${host}:${config.mail.smtpPort}, mail: ${stack.simulatorsUrl}/sim/mail?to=…)`,
      `  PostgreSQL     ${config.database.url ? 'DATABASE_URL' : `embedded PostgreSQL 17 on ${host}:${config.database.embeddedPort}, data in ${path.join(config.dataDir, 'postgres')}`}`,
      `  Data folder    ${config.dataDir}`,
      ...(config.isProduction
        ? []
        : ['  Dev API keys   (refused when NODE_ENV=production)', ...DEVELOPMENT_API_KEYS.map(({ key, role }) => `    ${role.padEnd(16)} Authorization: Bearer ${key}${DEVELOPMENT_KEY_NOTES[key] ?? ''}`)]),
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
}

/** What a development key is for, where its role alone does not say it. */
const DEVELOPMENT_KEY_NOTES: Record<string, string> = {
  'dev-reviewer': '   (a second program manager: approves what the first submits)',
  'dev-appeals-reviewer': '   (decides appeals)',
  'dev-appeals-reviewer-2': '   (a second appeals reviewer)',
};

run().catch((error) => {
  console.error(`\nJalur could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
