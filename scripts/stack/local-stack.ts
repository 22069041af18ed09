// Brings up the whole local system in order, for `npm start` and for the integration tests:
// Temporal (dev server unless TEMPORAL_ADDRESS is set), PostgreSQL (embedded unless
// DATABASE_URL is set) with migrations, the simulators, the worker and the API.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../../lib/config';
import { type ManagedChild, httpReady, startChild } from './child-process';
import { startEmbeddedPostgres } from './embedded-postgres';
import { applyMigrations } from './migrations';
import { assertPortsFree } from './ports';
import { ensureTemporalCli, startTemporalDevServer } from './temporal-dev-server';

export interface LocalStackOptions {
  host: string;
  apiPort: number;
  simulatorsPort: number;
  smtpPort: number;
  temporal: { address?: string; devPort: number; uiPort: number; dbFile?: string };
  /** Without a url: the embedded PostgreSQL on embeddedPort, its data in dataDir (kept across restarts). */
  database: { url?: string; embeddedPort: number; dataDir: string };
  /** Which application processes to run; tests run some of them themselves. */
  run: { simulators: boolean; worker: boolean; api: boolean };
  env?: NodeJS.ProcessEnv;
  output?: (line: string) => void;
}

export interface LocalStack {
  temporalAddress: string;
  databaseUrl: string;
  apiUrl: string;
  simulatorsUrl: string;
  /** The environment every Jalur process of this stack runs with. */
  env: NodeJS.ProcessEnv;
  children: ManagedChild[];
  /**
   * The dev server this stack started (absent with TEMPORAL_ADDRESS): stopped and started again on
   * the same ports and SQLite file, for outage benchmarks. Without a file it comes back empty.
   */
  temporalDevServer?: { stop(): Promise<void>; start(): Promise<void> };
  stop(): Promise<void>;
}

const ROOT = path.join(__dirname, '..', '..');
const TSX_LOADER = pathToFileURL(require.resolve('tsx', { paths: [ROOT] })).href;

/**
 * The CPU priority of the worker, the Temporal dev server and the simulators when the API runs on
 * the same machine: background (child-process.ts). The API answers registrants now, while the
 * journeys' work (and the simulated outside systems, which in production are other machines) can
 * run a moment later; under a spike the API leaves its journey starts to the outbox
 * (inline-start-gate.ts), so it waits on none of them. On 2 cores this is what keeps signups
 * answered while the backlog is worked behind them (BENCHMARKS.md). PostgreSQL keeps the normal
 * priority: the API's every signup waits on it.
 */
function backgroundPriorityBesideApi(run: LocalStackOptions['run']): 'normal' | 'background' {
  return run.api ? 'background' : 'normal';
}

export function startJalurProcess(
  name: 'worker' | 'api' | 'simulators',
  env: NodeJS.ProcessEnv,
  output?: (line: string) => void,
  ready?: () => Promise<boolean>,
  cpuPriority: 'normal' | 'background' = 'normal',
  /** A host of the cluster topology: the process runs in its network namespace, named after it. */
  host?: { name: string; netns: string },
) {
  const entry = path.join(ROOT, { worker: 'workers/main.ts', api: 'api/server.ts', simulators: 'simulators/main.ts' }[name]);
  // Node runs the entry itself with tsx as its loader, not through the tsx CLI, which would fork
  // a second process: signals then reach the process that handles them (the API's cluster
  // primary had them lost on the way), and a CPU profile is of the process that does the work.
  // JALUR_PROFILE_DIR (benchmarks): a V8 CPU profile of each process, written when it stops.
  const profileDir = process.env.JALUR_PROFILE_DIR;
  const args = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--import', TSX_LOADER, entry];
  return startChild({ name: host?.name ?? name, command: process.execPath, args, env, output, ready, readyTimeoutMs: 120_000, cpuPriority, netns: host?.netns });
}

/**
 * The worker is ready once it polls its task queue, which it does only after seeding the default
 * rule set and creating its schedules: the API is started after it, so no request (a test's, a
 * newcomer's) meets a system without rules in force.
 */
export function workerPolling(env: NodeJS.ProcessEnv): () => Promise<boolean> {
  const { address, namespace, taskQueue } = loadConfig(env).temporal;
  return async () => {
    const connection = await Connection.connect({ address });
    try {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      return pollers.length > 0;
    } finally {
      await connection.close();
    }
  };
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { host } = options;
  const ports = [
    ...(options.run.api ? [{ service: 'API', host, port: options.apiPort }] : []),
    ...(options.run.simulators ? [{ service: 'simulators', host, port: options.simulatorsPort }, { service: 'simulated SMTP', host, port: options.smtpPort }] : []),
    ...(options.temporal.address ? [] : [{ service: 'Temporal gRPC', host, port: options.temporal.devPort }, { service: 'Temporal UI', host, port: options.temporal.uiPort }]),
    ...(options.database.url ? [] : [{ service: 'embedded PostgreSQL', host, port: options.database.embeddedPort }]),
  ];
  await assertPortsFree(ports);

  const children: ManagedChild[] = [];
  const stop = async () => {
    // Reverse order: the API and worker first, Temporal and the database last.
    for (const child of [...children].reverse()) await child.stop();
  };

  try {
    const apiUrl = `http://${host}:${options.apiPort}`;
    let temporalAddress = options.temporal.address;
    let temporalDevServer: LocalStack['temporalDevServer'];
    const backgroundPriority = backgroundPriorityBesideApi(options.run);
    if (!temporalAddress) {
      const cliPath = await ensureTemporalCli();
      const startServer = () =>
        startTemporalDevServer({
          cliPath,
          host,
          port: options.temporal.devPort,
          uiPort: options.temporal.uiPort,
          dbFile: options.temporal.dbFile,
          codecEndpoint: `${apiUrl}/codec`,
          output: options.output,
          cpuPriority: backgroundPriority,
        });
      let server = await startServer();
      children.push(server);
      temporalDevServer = {
        stop: () => server.stop(),
        start: async () => {
          // Takes the stopped server's place, so stopping the stack stops the new one.
          const restarted = await startServer();
          children[children.indexOf(server)] = restarted;
          server = restarted;
        },
      };
      temporalAddress = `${host}:${options.temporal.devPort}`;
    }

    let databaseUrl = options.database.url;
    if (!databaseUrl) {
      const embeddedPostgres = await startEmbeddedPostgres({ host, port: options.database.embeddedPort, dataDir: options.database.dataDir, output: options.output });
      // First in the list: stopped last.
      children.unshift(embeddedPostgres);
      databaseUrl = embeddedPostgres.connectionString;
    }
    await applyMigrations(databaseUrl);

    const simulatorsUrl = `http://${host}:${options.simulatorsPort}`;
    const env: NodeJS.ProcessEnv = {
      ...options.env,
      TEMPORAL_ADDRESS: temporalAddress,
      DATABASE_URL: databaseUrl,
      API_HOST: host,
      API_PORT: String(options.apiPort),
      SIMULATORS_URL: simulatorsUrl,
      SIMULATORS_HOST: host,
      SIMULATORS_PORT: String(options.simulatorsPort),
      SIM_SMTP_PORT: String(options.smtpPort),
      SMTP_HOST: host,
      SMTP_PORT: String(options.smtpPort),
      JALUR_API_URL: apiUrl,
      // The API lets the dev server's UI call its codec endpoint (CORS) and links to the UI.
      ...(options.temporal.address ? {} : { TEMPORAL_DEV_PORT: String(options.temporal.devPort), TEMPORAL_DEV_UI_PORT: String(options.temporal.uiPort) }),
    };
    if (options.run.simulators) children.push(await startJalurProcess('simulators', env, options.output, httpReady(`${simulatorsUrl}/health`), backgroundPriority));
    if (options.run.worker) children.push(await startJalurProcess('worker', env, options.output, workerPolling(env), backgroundPriority));
    if (options.run.api) children.push(await startJalurProcess('api', env, options.output, httpReady(`${apiUrl}/openapi.json`)));
    return { temporalAddress, databaseUrl, apiUrl, simulatorsUrl, env, children, temporalDevServer, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
