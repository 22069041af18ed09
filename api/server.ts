// The API process (`tsx api/server.ts`): connects to PostgreSQL and Temporal, listens, runs the
// workflow-start relay, and shuts all of it down cleanly on SIGINT/SIGTERM. With API_PROCESSES > 1
// this process supervises that many such processes on the same port (api/cluster.ts).
import cluster from 'node:cluster';
import { createServer, type Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../lib/config';
import { createPrismaClient } from '../lib/database';
import { createLogger } from '../lib/logger';
import { PersonalDataCipher } from '../lib/personal-data';
import { temporalConnectionOptions, temporalDataConverter } from '../lib/temporal/connection';
import { createApp } from './app';
import { stopWhenOrphaned, superviseApiProcesses } from './cluster';
import { RuleSetSimulator } from './rule-sets/rule-set-simulation';
import { ParticipantJourneyStarter } from './registrations/participant-journey-starter';
import { RegistrationStore } from './registrations/registration-store';
import { WorkflowStartRelay } from './registrations/workflow-start-relay';

/** How long after the last signup that queued for the database the relay goes on giving way. */
const SIGNUP_QUIET_MS = 2_000;

async function run(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('api', config.logLevel);
  if (config.api.processes > 1 && cluster.isPrimary) return superviseApiProcesses(config.api.processes, logger);
  const leaveCluster = stopWhenOrphaned();
  if (!config.database.url) throw new Error('DATABASE_URL is not set: the API needs the database the stack started');
  const prisma = createPrismaClient(config.database.url);
  // Lazy: the API serves (and takes signups into the outbox) while Temporal is still down; the
  // connection is made on first use and re-made after an outage.
  // gRPC's reconnect backoff grows to 2 minutes by default; after an outage the API's starts
  // would fail fast until it next tries, so it is capped at the relay's own backoff.
  const connection = Connection.lazy({ ...temporalConnectionOptions(config), channelArgs: { 'grpc.max_reconnect_backoff_ms': 5_000 } });
  const temporal = new Client({ connection, namespace: config.temporal.namespace, dataConverter: temporalDataConverter(config) });
  const personalData = new PersonalDataCipher(config.personalDataEncryption, config.blindIndexKey);
  const registrationStore = new RegistrationStore(config.database.url, config.registrations.database);
  const relay = new WorkflowStartRelay(
    {
      prisma,
      logger,
      journeyStarter: new ParticipantJourneyStarter({ prisma, temporal, config, logger }),
      signupsQueueing: () => registrationStore.queuedWithin(SIGNUP_QUIET_MS),
    },
    // With no start at signup there is no request to wait for: rows are the relay's at once.
    // Each process's relay takes its share of the rate the configuration gives the whole API.
    {
      ...config.workflowStartRelay,
      startsPerSecond: config.workflowStartRelay.startsPerSecond / config.api.processes,
      ...(config.registrations.inlineStart ? {} : { minimumAgeMs: 0, intervalMs: 200 }),
    },
  );

  // Worker threads that decide the stored population under a candidate rule set (its impact); started on first use.
  const ruleSetSimulator = new RuleSetSimulator({ prisma, logger, databaseUrl: config.database.url });

  let server: Server | undefined;
  try {
    const app = createApp({ config, prisma, temporal, logger, personalData, registrationStore, ruleSetSimulator });
    server = await listen(app, config.api.host, config.api.port);
    // Slow clients hold sockets: headers must arrive within headersMs and the whole request
    // (not the answer) within requestMs; an idle keep-alive connection closes after keepAliveMs.
    server.headersTimeout = config.api.timeouts.headersMs;
    server.requestTimeout = config.api.timeouts.requestMs;
    server.keepAliveTimeout = config.api.timeouts.keepAliveMs;
    relay.start();
    const { listenUrl, url } = config.api;
    logger.info(`api listening on ${listenUrl}${url === listenUrl ? '' : ` (public URL ${url})`}`);
    await shutdownSignal();
    logger.info('api stopping');
  } finally {
    await relay.stop();
    if (server) await close(server);
    await ruleSetSimulator.close();
    await registrationStore.close();
    await prisma.$disconnect();
    await connection.close();
    leaveCluster();
  }
}

/**
 * Connections the kernel may hold for the API before it accepts them. A spike opens thousands at
 * once; past Node's default of 511 the kernel drops their SYNs and each client waits out a 1 s,
 * then 3 s retransmit before it is even heard. Capped by the kernel's net.core.somaxconn.
 */
const LISTEN_BACKLOG = 4096;

function listen(app: ReturnType<typeof createApp>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(app);
    server.listen({ port, host, backlog: LISTEN_BACKLOG });
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} on ${host} is already in use: stop whatever holds it or set API_PORT`) : error);
    });
  });
}

function close(server: Server): Promise<void> {
  // Keep-alive connections would hold close() open; idle ones can go at once.
  server.closeIdleConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
}

run().catch((error: unknown) => {
  // Configuration and start-up errors name the problem; nothing here carries personal data.
  console.error(`api failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
