// Builds the API for supertest without a server. Request/response mapping only: the database
// and Temporal clients point at closed ports (so nothing reachable is touched and a check of
// them sees a real "down"), unless a test passes a fake Temporal client for one mapping case.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createApp, type AppDependencies } from '../../../api/app';
import { loadConfig, type Config } from '../../../lib/config';
import { createPrismaClient } from '../../../lib/database';
import { createLogger } from '../../../lib/logger';
import { PersonalDataCipher } from '../../../lib/personal-data';
import { RegistrationStore } from '../../../api/registrations/registration-store';

const key = () => randomBytes(32).toString('base64');

/** A test environment with its own keys, so the tests never depend on the development keys. */
export function testEnvironment(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    JALUR_DATA_DIR: path.join(os.tmpdir(), `jalur-api-unit-${process.pid}`),
    PAYLOAD_ENCRYPTION_KEYS: `unit-1:${key()}`,
    PII_ENCRYPTION_KEYS: `unit-1:${key()}`,
    PII_BLIND_INDEX_KEY: key(),
    // Closed ports: nothing here may reach a real service.
    DATABASE_URL: 'postgresql://jalur:jalur@127.0.0.1:9/jalur',
    TEMPORAL_ADDRESS: '127.0.0.1:9',
    SIMULATORS_URL: 'http://127.0.0.1:9',
    ...overrides,
  };
}

export const PRODUCTION_SERVICE_KEY = 'prod-backend-key-0123456789abcdef';
export const PRODUCTION_OPERATOR_KEY = 'prod-operator-key-0123456789abcdef';

export function productionEnvironment(): NodeJS.ProcessEnv {
  return testEnvironment({
    NODE_ENV: 'production',
    API_KEYS: `backend:crm:${PRODUCTION_SERVICE_KEY},operator:ops-desk:${PRODUCTION_OPERATOR_KEY}`,
  });
}

export interface AppUnderTest {
  app: ReturnType<typeof createApp>;
  config: Config;
  close(): Promise<void>;
}

export function buildApp(options: { env?: NodeJS.ProcessEnv; temporal?: unknown; fetch?: typeof fetch; now?: () => Date; consoleDistDir?: string } = {}): AppUnderTest {
  const config = loadConfig(options.env ?? testEnvironment());
  const prisma = createPrismaClient(config.database.url!);
  const registrationStore = new RegistrationStore(config.database.url!, config.registrations.database);
  // No gRPC retry interceptor: a call to the closed port fails at once, so no retry timer
  // outlives the test and fires on a closed channel.
  const connection = Connection.lazy({ address: config.temporal.address, interceptors: [] });
  const temporal = (options.temporal as Client | undefined) ?? new Client({ connection, namespace: config.temporal.namespace });
  const deps: AppDependencies = {
    config,
    prisma,
    temporal,
    logger: createLogger('api-unit-test', 'silent'),
    personalData: new PersonalDataCipher(config.personalDataEncryption, config.blindIndexKey),
    registrationStore,
    fetch: options.fetch,
    now: options.now,
    consoleDistDir: options.consoleDistDir,
  };
  return {
    app: createApp(deps),
    config,
    async close() {
      await prisma.$disconnect();
      await registrationStore.close();
      await connection.close();
    },
  };
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
