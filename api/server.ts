// The API process (`tsx api/server.ts`): connects to PostgreSQL and Temporal, listens, runs the
// workflow-start relay, and shuts all of it down cleanly on SIGINT/SIGTERM. With API_PROCESSES > 1
// it is a Node cluster: that many processes serve on the one port, the primary runs the relay.
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { type Config, loadConfig } from '../lib/config';
import { createPrismaClient, type PrismaClient } from '../lib/database';
import { createLogger, type Logger } from '../lib/logger';
import { PersonalDataCipher } from '../lib/personal-data';
import { temporalConnectionOptions, temporalDataConverter } from '../lib/temporal/connection';
import { createApp } from './app';
import { ParticipantJourneyStarter } from './registrations/participant-journey-starter';
import { WorkflowStartRelay } from './registrations/workflow-start-relay';

async function run(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('api', config.logLevel);
  if (!config.database.url) throw new Error('DATABASE_URL is not set: the API needs the database the stack started');
  if (config.api.processes > 1 && cluster.isPrimary) return runPrimary(config, config.database.url, logger);
  // A cluster's workers only serve; the primary runs the one relay.
  return serve(config, config.database.url, logger, { relay: config.api.processes === 1 });
}

function connectTemporal(config: Config) {
  // Lazy: the API serves (and takes signups into the outbox) while Temporal is still down; the
  // connection is made on first use and re-made after an outage.
  const connection = Connection.lazy({ ...temporalConnectionOptions(config) });
  const temporal = new Client({ connection, namespace: config.temporal.namespace, dataConverter: temporalDataConverter(config) });
  return { connection, temporal };
}

function createRelay(config: Config, prisma: PrismaClient, temporal: Client, logger: Logger) {
  return new WorkflowStartRelay(
    { prisma, logger, journeyStarter: new ParticipantJourneyStarter({ prisma, temporal, config, logger }) },
    // With no start at signup there is no request to wait for: rows are the relay's at once.
    { ...config.workflowStartRelay, ...(config.registrations.inlineStart ? {} : { minimumAgeMs: 0, intervalMs: 200 }) },
  );
}

async function serve(config: Config, databaseUrl: string, logger: Logger, { relay: runRelay }: { relay: boolean }): Promise<void> {
  const prisma = createPrismaClient(databaseUrl);
  const { connection, temporal } = connectTemporal(config);
  const personalData = new PersonalDataCipher(config.personalDataEncryption, config.blindIndexKey);
  const relay = runRelay ? createRelay(config, prisma, temporal, logger) : undefined;

  let server: Server | undefined;
  try {
    const app = createApp({ config, prisma, temporal, logger, personalData });
    server = await listen(app, config.api.host, config.api.port);
    relay?.start();
    logger.info(`api listening on ${config.api.url}${cluster.isWorker ? ` (process ${cluster.worker?.id})` : ''}`);
    await shutdownSignal();
    logger.info('api stopping');
  } finally {
    await relay?.stop();
    if (server) await close(server);
    await prisma.$disconnect();
    await connection.close();
  }
}

/** API_PROCESSES > 1: forks that many serving processes (they share the port) and runs the relay here. */
async function runPrimary(config: Config, databaseUrl: string, logger: Logger): Promise<void> {
  const prisma = createPrismaClient(databaseUrl, { maxConnections: 4 });
  const { connection, temporal } = connectTemporal(config);
  const relay = createRelay(config, prisma, temporal, logger);
  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error({ process: worker.id, code, signal }, 'api process exited; starting another');
    fork();
  });
  try {
    for (let i = 0; i < config.api.processes; i += 1) fork();
    relay.start();
    logger.info({ processes: config.api.processes }, `api cluster listening on ${config.api.url}`);
    await shutdownSignal();
    stopping = true;
    logger.info('api cluster stopping');
    await Promise.all(
      Object.values(cluster.workers ?? {}).map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (!worker || worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  } finally {
    await relay.stop();
    await prisma.$disconnect();
    await connection.close();
  }
}

function listen(app: ReturnType<typeof createApp>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
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
