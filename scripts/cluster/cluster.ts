// Brings up the production topology on this machine, each part on a host of its own (a network
// namespace): PostgreSQL; the Temporal frontend, history, matching and worker services as separate
// processes on it, with the Temporal UI; the simulators; two worker hosts; two API hosts behind
// HAProxy. Jalur's processes get only the environment variables a real deployment sets
// (README, Configuration). For `npm run cluster`, the cluster test and the cluster benchmarks.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { Client } from 'pg';
import { type ManagedChild, httpReady, runEnsureScript, startChild } from '../stack/child-process';
import { startEmbeddedPostgres } from '../stack/embedded-postgres';
import { applyMigrations } from '../stack/migrations';
import { startJalurProcess, workerPolling } from '../stack/local-stack';
import { temporalServes } from '../stack/temporal-dev-server';
import { setUpTemporal } from '../temporal-setup';
import { createNetwork, networkNamespacesUnavailable } from './network';
import {
  CLUSTER_PORTS,
  type ClusterHostName,
  type ClusterTopology,
  clusterEndpoints,
  clusterTopology,
  haproxyConfig,
  TEMPORAL_DATABASE,
  TEMPORAL_SERVICES,
  temporalDynamicConfig,
  temporalServiceConfig,
  temporalUiConfig,
} from './topology';

const run = promisify(execFile);
const NAMESPACE = 'default';
const CONFIG_ENV = 'cluster';

export interface ClusterOptions {
  /** Where the database, the configuration files and the simulators' records are kept. */
  dataDir: string;
  historyShards?: number;
  subnet?: string;
  namespacePrefix?: string;
  output?: (line: string) => void;
  /** More environment for Jalur's processes (a benchmark's calendar, say). */
  env?: NodeJS.ProcessEnv;
}

export interface RunningCluster {
  topology: ClusterTopology;
  /** Where the Temporal services, the UI and the balancer write their logs. */
  logDir: string;
  endpoints: ReturnType<typeof clusterEndpoints>;
  /** Jalur's database, as the API and workers reach it. */
  databaseUrl: string;
  /** Each part by its host's name. */
  parts: Map<ClusterHostName, ManagedChild>;
  /** The environment the API and worker hosts run with (without their own address). */
  jalurEnv: NodeJS.ProcessEnv;
  /** SIGKILL to a part's process group: the host as if it crashed. */
  kill(name: ClusterHostName): Promise<void>;
  /** Stops a part (if it still runs) and starts it again as it was first started. */
  restart(name: ClusterHostName): Promise<void>;
  stop(): Promise<void>;
}

export class ClusterUnavailableError extends Error {
  constructor(reason: string) {
    super(`The cluster topology cannot run here: ${reason}`);
    this.name = 'ClusterUnavailableError';
  }
}

/**
 * The shard count is fixed when Temporal's database is made; a data folder made with another
 * count is refused rather than started into the server's own refusal.
 */
function checkShardCount(dataDir: string, historyShards: number): void {
  const file = path.join(dataDir, 'topology.json');
  if (fs.existsSync(file)) {
    const recorded = (JSON.parse(fs.readFileSync(file, 'utf8')) as { historyShards: number }).historyShards;
    if (recorded !== historyShards) {
      throw new Error(`${dataDir} holds a Temporal cluster made with ${recorded} history shards, not ${historyShards}: pass --history-shards ${recorded}, or another --data-dir`);
    }
  }
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ historyShards }, null, 2)}\n`);
}

async function createTemporalDatabases(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [TEMPORAL_DATABASE.user]);
    if (role.rowCount === 0) await client.query(`CREATE ROLE ${TEMPORAL_DATABASE.user} LOGIN PASSWORD '${TEMPORAL_DATABASE.password}'`);
    for (const database of [TEMPORAL_DATABASE.store, TEMPORAL_DATABASE.visibility]) {
      const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${database} OWNER ${TEMPORAL_DATABASE.user}`);
    }
  } finally {
    await client.end();
  }
}

/**
 * Temporal's schemas through its own tool: the base schema once (when the database has no
 * schema_version table yet), then every versioned step above the one applied (idempotent).
 */
async function setUpTemporalSchemas(binDir: string, postgresIp: string, output: (line: string) => void): Promise<void> {
  const adminOf = (database: string) => `postgresql://${TEMPORAL_DATABASE.user}:${TEMPORAL_DATABASE.password}@${postgresIp}:${CLUSTER_PORTS.postgres}/${database}`;
  for (const [database, schema] of [
    [TEMPORAL_DATABASE.store, 'temporal'],
    [TEMPORAL_DATABASE.visibility, 'visibility'],
  ] as const) {
    const client = new Client({ connectionString: adminOf(database) });
    await client.connect();
    const { rowCount } = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_version'`).finally(() => client.end());
    const tool = (...args: string[]) =>
      run(path.join(binDir, 'temporal-sql-tool'), ['--plugin', 'postgres12', '--ep', postgresIp, '-p', String(CLUSTER_PORTS.postgres), '-u', TEMPORAL_DATABASE.user, '--pw', TEMPORAL_DATABASE.password, '--db', database, ...args]);
    if (rowCount === 0) await tool('setup-schema', '-v', '0.0');
    await tool('update-schema', '-d', path.join(binDir, 'schema', schema, 'versioned'));
    output(`Temporal schema "${schema}" in database ${database} is current`);
  }
}

/** Whether something accepts TCP connections at ip:port (a Temporal service's gRPC port). */
function listening(ip: string, port: number): () => Promise<boolean> {
  return () =>
    new Promise((resolve) => {
      const socket = net.connect({ host: ip, port, timeout: 1_000 });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
}

function writeJson(file: string, value: unknown): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // JSON is YAML: the Temporal server and UI read these as their YAML configuration.
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  const unavailable = networkNamespacesUnavailable();
  if (unavailable) throw new ClusterUnavailableError(unavailable);
  const output = options.output ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dataDir = path.resolve(options.dataDir);
  const topology = clusterTopology({ subnet: options.subnet, historyShards: options.historyShards, namespacePrefix: options.namespacePrefix });
  checkShardCount(dataDir, topology.historyShards);
  const endpoints = clusterEndpoints(topology);
  const { hosts } = topology;

  const temporalBin = await runEnsureScript(path.join(__dirname, 'ensure-temporal-server.sh'), 'the Temporal server');
  const haproxy = await runEnsureScript(path.join(__dirname, 'ensure-haproxy.sh'), 'HAProxy');

  const network = await createNetwork(topology);
  const parts = new Map<ClusterHostName, ManagedChild>();
  // How each part is started, so that a part that died (or was killed) starts again as it was.
  const starters = new Map<ClusterHostName, () => Promise<ManagedChild>>();
  const bring = async (name: ClusterHostName, start: () => Promise<ManagedChild>) => {
    starters.set(name, start);
    parts.set(name, await start());
  };
  const stop = async () => {
    // The reverse of the start: the balancer and the API first, Temporal and PostgreSQL last.
    for (const part of [...parts.values()].reverse()) await part.stop(15_000);
    parts.clear();
    await network.remove();
  };
  const prefixed = (name: string) => (line: string) => output(`[${name}] ${line}`);
  // The Temporal services, the UI and HAProxy log to files: their start and stop are screenfuls
  // of expected warnings (members not yet joined, shards not yet owned). A part that fails to
  // start still shows its last lines.
  const logDir = path.join(dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const toLogFile = (name: string) => {
    const stream = fs.createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
    return (line: string) => stream.write(`${line}\n`);
  };

  try {
    const startPostgres = () =>
      startEmbeddedPostgres({
        host: hosts.postgres.ip,
        port: CLUSTER_PORTS.postgres,
        dataDir: path.join(dataDir, 'postgres'),
        netns: hosts.postgres.netns,
        allowedNetwork: `${topology.subnet}.0/24`,
        // Four Temporal services (up to 25 connections each), two API hosts, two workers, the tools.
        maxConnections: 400,
        output: prefixed('postgres'),
      });
    // Kept as itself too: its connection strings are needed below.
    const postgres = await startPostgres();
    starters.set('postgres', startPostgres);
    parts.set('postgres', postgres);
    await createTemporalDatabases(postgres.adminUrl);
    await setUpTemporalSchemas(temporalBin, hosts.postgres.ip, output);

    const dynamicConfigPath = writeJson(path.join(dataDir, 'temporal', 'dynamicconfig.yaml'), temporalDynamicConfig());
    // One at a time, the frontend first: services that start together race to write the
    // cluster's metadata (the frontend then fails with "Failed to apply cluster metadata").
    for (const service of TEMPORAL_SERVICES) {
      const host = hosts[`temporal-${service}`];
      const root = path.join(dataDir, 'temporal', service);
      writeJson(path.join(root, 'config', `${CONFIG_ENV}.yaml`), temporalServiceConfig(topology, service, dynamicConfigPath));
      await bring(host.name, () =>
        startChild({
          name: host.name,
          command: path.join(temporalBin, 'temporal-server'),
          args: ['--root', root, '--config', 'config', '--env', CONFIG_ENV, '--allow-no-auth', 'start', '--service', service],
          netns: host.netns,
          output: toLogFile(host.name),
          readyTimeoutMs: 90_000,
          // The worker service serves no gRPC: it is ready once it listens for its ring's members.
          ready: listening(host.ip, service === 'worker' ? CLUSTER_PORTS.temporalMembership.worker : CLUSTER_PORTS.temporalGrpc[service]),
        }),
      );
    }
    await waitFor(() => temporalServes(endpoints.temporalAddress), 'the Temporal frontend to serve', 90_000);
    const connection = await Connection.connect({ address: endpoints.temporalAddress });
    try {
      const setup = await setUpTemporal(connection, { namespace: NAMESPACE, retentionDays: 30 });
      output(`Temporal: namespace ${NAMESPACE} ${setup.namespaceCreated ? 'registered' : 'present'}; search attributes ${setup.searchAttributesAdded.length ? `added: ${setup.searchAttributesAdded.join(', ')}` : 'present'}`);
    } finally {
      await connection.close();
    }

    const uiRoot = path.join(dataDir, 'temporal', 'ui');
    writeJson(path.join(uiRoot, 'config', `${CONFIG_ENV}.yaml`), temporalUiConfig(topology, NAMESPACE));
    await bring('temporal-ui', () =>
      startChild({
        name: 'temporal-ui',
        command: path.join(temporalBin, 'temporal-ui-server'),
        args: ['--root', uiRoot, '--config', 'config', '--env', CONFIG_ENV, 'start'],
        netns: hosts['temporal-ui'].netns,
        output: toLogFile('temporal-ui'),
        ready: httpReady(`http://${hosts['temporal-ui'].ip}:${CLUSTER_PORTS.temporalUi}/`),
      }),
    );

    await applyMigrations(postgres.connectionString);
    const databaseUrl = postgres.connectionString;
    const jalurEnv: NodeJS.ProcessEnv = {
      ...options.env,
      TEMPORAL_ADDRESS: endpoints.temporalAddress,
      TEMPORAL_NAMESPACE: NAMESPACE,
      DATABASE_URL: databaseUrl,
      JALUR_DATA_DIR: path.join(dataDir, 'jalur'),
      SIMULATORS_URL: endpoints.simulatorsUrl,
      SMTP_HOST: endpoints.smtp.host,
      SMTP_PORT: String(endpoints.smtp.port),
      JALUR_API_URL: endpoints.apiUrl,
      TEMPORAL_UI_URL: endpoints.temporalUiUrl,
      CODEC_CORS_ORIGINS: endpoints.temporalUiUrl,
      // Two worker hosts share each outside system's ceiling.
      WORKER_PROCESSES: '2',
      // HAProxy's X-Forwarded-For names the client (per-address limits, the own-origin check).
      API_TRUST_PROXY: '1',
      LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
    };

    await bring('simulators', () =>
      startJalurProcess(
        'simulators',
        { ...jalurEnv, SIMULATORS_HOST: hosts.simulators.ip, SIMULATORS_PORT: String(CLUSTER_PORTS.simulators), SIM_SMTP_PORT: String(CLUSTER_PORTS.smtp), SIMULATORS_DATA_DIR: path.join(dataDir, 'simulators') },
        prefixed('simulators'),
        httpReady(`${endpoints.simulatorsUrl}/health`),
        'normal',
        { name: 'simulators', netns: hosts.simulators.netns },
      ),
    );
    // One worker after the other: the first seeds the default rule set and creates the schedules.
    for (const name of ['worker-1', 'worker-2'] as const) {
      const env = { ...jalurEnv, WORKER_METRICS_ADDRESS: `${hosts[name].ip}:${CLUSTER_PORTS.workerMetrics}` };
      await bring(name, () => startJalurProcess('worker', env, prefixed(name), workerPolling(env), 'normal', { name, netns: hosts[name].netns }));
    }
    for (const name of ['api-1', 'api-2'] as const) {
      const url = `http://${hosts[name].ip}:${CLUSTER_PORTS.api}`;
      const env = { ...jalurEnv, API_HOST: hosts[name].ip, API_PORT: String(CLUSTER_PORTS.api), API_PUBLIC_URL: endpoints.apiUrl };
      await bring(name, () => startJalurProcess('api', env, prefixed(name), httpReady(`${url}/openapi.json`), 'normal', { name, netns: hosts[name].netns }));
    }

    const haproxyFile = path.join(dataDir, 'haproxy.cfg');
    fs.writeFileSync(haproxyFile, haproxyConfig(topology));
    await bring('balancer', () =>
      startChild({
        name: 'balancer',
        command: haproxy,
        args: ['-f', haproxyFile, '-db'],
        netns: hosts.balancer.netns,
        output: toLogFile('balancer'),
        // SIGUSR1: HAProxy's soft stop, finishing the requests under way.
        stopSignal: 'SIGUSR1',
        ready: httpReady(`${endpoints.apiUrl}/health`),
      }),
    );
    const restart = async (name: ClusterHostName) => {
      await parts.get(name)?.stop(15_000);
      // Same key: the part keeps its place in the stopping order.
      parts.set(name, await starters.get(name)!());
    };
    const kill = async (name: ClusterHostName) => {
      const part = parts.get(name);
      if (!part?.process.pid) return;
      // Its whole process group, as a crash of the host would end it.
      process.kill(-part.process.pid, 'SIGKILL');
      await part.exited;
    };
    return { topology, logDir, endpoints, databaseUrl, parts, jalurEnv, kill, restart, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
