// Starts one real stack for every integration test: a Temporal dev server (SQLite in data/test),
// PostgreSQL (embedded, data in data/test/postgres; TEST_DATABASE_URL points it elsewhere), the simulators,
// a worker and the API, on ports away from `npm start`'s so both can run at once.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import pino from 'pino';
import { CONSOLE_DIST_DIR } from '../../api/console/console-dist';
import { WORKFLOW_BUNDLE_CONVERTERS } from '../../lib/temporal/connection';
import { startLocalStack } from '../../scripts/stack/local-stack';
import { temporalSdkLogger } from '../../workers/temporal-sdk-logger';
import { STACK_LOG_FILE, TEMPORAL_DB_FILE, TEST_DATA_DIR, type TestStackState, writeTestStack } from './test-stack';

const TASK_QUEUE = 'jalur-test';
// Several checkouts (git worktrees) on one machine each run their own stack: JALUR_TEST_PORT_BASE
// moves every port of this one together.
const PORT_BASE = Number(process.env.JALUR_TEST_PORT_BASE ?? 13000);
const ROOT = path.join(__dirname, '..', '..');
/** What the console's bundle is made of: its own sources and what it imports from the backend's. */
const CONSOLE_SOURCES = ['console', 'rules', 'api', 'lib', 'workflows/participant-journey.definitions.ts', 'workflows/batch-action.definitions.ts'];

function newestChange(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(entry)
    .filter((name) => name !== 'dist' && name !== 'node_modules')
    .reduce((newest, name) => Math.max(newest, newestChange(path.join(entry, name))), stat.mtimeMs);
}

/** The API serves console/dist: build it (about half a minute) when it is missing or older than its sources. */
function ensureConsoleBuilt(log: fs.WriteStream): void {
  const built = path.join(CONSOLE_DIST_DIR, 'index.html');
  const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
  const changedAt = Math.max(...CONSOLE_SOURCES.map((source) => newestChange(path.join(ROOT, source))));
  if (builtAt > changedAt) return;
  const started = Date.now();
  const output = execFileSync('npm', ['run', '--silent', 'build:console'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  log.write(`${output}\nconsole built in ${Date.now() - started} ms\n`);
}

export default async function globalSetup(): Promise<void> {
  fs.rmSync(TEST_DATA_DIR, { recursive: true, force: true });
  fs.rmSync(path.dirname(TEMPORAL_DB_FILE), { recursive: true, force: true });
  fs.mkdirSync(TEST_DATA_DIR, { recursive: true });
  const logFile = fs.createWriteStream(STACK_LOG_FILE);
  ensureConsoleBuilt(logFile);
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), ...WORKFLOW_BUNDLE_CONVERTERS, logger: temporalSdkLogger(pino({ name: 'bundler', level: 'debug' }, logFile), { infoAsDebug: true }) });
  const bundlePath = path.join(TEST_DATA_DIR, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, code);

  const stack = await startLocalStack({
    host: '127.0.0.1',
    apiPort: PORT_BASE,
    simulatorsPort: PORT_BASE + 1,
    smtpPort: PORT_BASE + 2,
    // A file, not memory: the personal-data scans and the reliability suite read what the Temporal
    // server stores (the full reliability run names its own file, as it restarts the server).
    temporal: { devPort: PORT_BASE + 3, uiPort: PORT_BASE + 4, dbFile: process.env.JALUR_TEST_TEMPORAL_DB_FILE || TEMPORAL_DB_FILE },
    database: { url: process.env.TEST_DATABASE_URL, embeddedPort: PORT_BASE + 5, dataDir: path.join(TEST_DATA_DIR, 'postgres') },
    run: { simulators: true, worker: true, api: true },
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      JALUR_DATA_DIR: TEST_DATA_DIR,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      SIM_POPULATION_SIZE: '100000',
      // Small pages so a test's handful of applicants already takes several pages and a continue-as-new.
      WAVE_SELECTION_PAGE_SIZE: '3',
      WAVE_SELECTION_PAGES_PER_RUN: '2',
      WAVE_CARRY_OVER: 'true',
      // A handful of participants already make a batch action that needs a second operator.
      BATCH_ACTION_CONFIRMATION_THRESHOLD: '5',
      // One page per run: a batch of a few participants already continues as new on the way.
      BATCH_ACTION_PAGES_PER_RUN: '1',
      WORKER_METRICS_ADDRESS: `127.0.0.1:${PORT_BASE + 6}`,
      // A revoked key stops working within this: short, so a test can watch it happen.
      API_KEY_CACHE_SECONDS: '2',
    },
    output: (line) => logFile.write(`${line}\n`),
  });
  (globalThis as { __jalurStack?: unknown }).__jalurStack = stack;
  // A part that crashes (an exit code; the crash tests' SIGKILLs leave none) fails every later test
  // that needs it: say so where the test run's output shows it, with the part's last words.
  for (const child of stack.children) {
    void child.exited.then((code) => {
      if (code !== null && code !== 0 && !child.stopRequested()) {
        process.stderr.write(`\ntest stack: the tests that need it fail from here on: ${child.describeExit(code)}\n`);
      }
    });
  }
  const state: TestStackState = {
    apiUrl: stack.apiUrl,
    simulatorsUrl: stack.simulatorsUrl,
    temporalAddress: stack.temporalAddress,
    temporalUiUrl: `http://127.0.0.1:${PORT_BASE + 4}`,
    databaseUrl: stack.databaseUrl,
    taskQueue: TASK_QUEUE,
    env: stack.env,
    workerPid: stack.children.find((child) => child.name === 'worker')?.process.pid,
    temporalPid: stack.children.find((child) => child.name === 'temporal')?.process.pid,
    temporalDevServer: { port: PORT_BASE + 3, uiPort: PORT_BASE + 4, dbFile: process.env.JALUR_TEST_TEMPORAL_DB_FILE || undefined, codecEndpoint: `${stack.apiUrl}/codec` },
  };
  writeTestStack(state);
}
