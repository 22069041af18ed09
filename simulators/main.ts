/** Runs the simulators as their own process: `tsx simulators/main.ts`. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { createLogger } from '../lib/logger';
import { createSimulators } from './app';
import { loadSimulatorsConfig } from './config';

// The engine's logger: JSON, or one pretty line per entry under `npm start` (LOG_FORMAT=pretty).
const logger = createLogger('simulators');

/** A listen error that names what could not bind, so EADDRINUSE is reported clearly. */
class ListenError extends Error {
  constructor(
    readonly what: string,
    readonly host: string,
    readonly port: number,
    readonly code: string | undefined,
  ) {
    super(
      code === 'EADDRINUSE'
        ? `${what} cannot listen on ${host}:${port}: the port is already in use`
        : `${what} cannot listen on ${host}:${port} (${code ?? 'unknown error'})`,
    );
    this.name = 'ListenError';
  }
}

function errorCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function listenOn(server: NetServer, what: string, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(new ListenError(what, host, port, errorCode(err)));
    server.once('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new ListenError(what, host, port, 'NO_ADDRESS'));
        return;
      }
      resolve(address);
    });
    server.listen(port, host);
  });
}

function closeHttpServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections from the engine would otherwise hold the process open.
    server.closeIdleConnections();
  });
}

async function run(): Promise<void> {
  const config = loadSimulatorsConfig(process.env);
  const simulators = createSimulators({
    populationSeed: config.populationSeed,
    populationSize: config.populationSize,
    jalurApiUrl: config.jalurApiUrl,
    trainingPlatformSecrets: config.trainingPlatformSecrets,
    paymentsIdempotencyWindowSeconds: config.paymentsIdempotencyWindowSeconds,
    dataDir: config.dataDir,
    logger,
  });

  const httpServer = createServer(simulators.app);
  const http = await listenOn(httpServer, 'HTTP', config.host, config.port);
  let smtp: AddressInfo;
  try {
    smtp = await listenOn(simulators.smtpServer.server, 'SMTP', config.host, config.smtpPort);
  } catch (err) {
    await closeHttpServer(httpServer);
    throw err;
  }
  logger.info(
    { httpPort: http.port, smtpPort: smtp.port, populationSize: config.populationSize, jalurApiUrl: config.jalurApiUrl, dataDir: config.dataDir },
    `simulators listening on http://${config.host}:${http.port} (SMTP ${config.host}:${smtp.port})`,
  );

  let shuttingDown = false;
  const shutDown = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    logger.info({ signal }, 'simulators shutting down');
    // HTTP first: a request still being answered may write to the journals that close() closes.
    closeHttpServer(httpServer)
      .then(() => simulators.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'simulators did not shut down cleanly');
        process.exit(1);
      });
  };
  process.once('SIGINT', shutDown);
  process.once('SIGTERM', shutDown);
}

run().catch((err: unknown) => {
  if (err instanceof Error && (err.name === 'ListenError' || err.name === 'SimulatorsConfigError' || err.name === 'JournalCorruptError')) {
    logger.error(err.message);
  } else {
    logger.error({ err }, 'simulators failed to start');
  }
  process.exit(1);
});
