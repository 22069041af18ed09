// The Temporal worker: runs participant journeys, rule-set re-evaluations and their activities.
import { createHmac } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import { createActivities } from '../activities';
import { DapodikClient } from '../activities/clients/dapodik-client';
import { DtksClient } from '../activities/clients/dtks-client';
import { DukcapilClient } from '../activities/clients/dukcapil-client';
import { KemnakerClient } from '../activities/clients/kemnaker-client';
import { PaymentProviderClient } from '../activities/clients/payment-provider-client';
import { ensureDefaultRuleSet } from '../activities/eligibility';
import { loadConfig } from '../lib/config';
import { createPrismaClient } from '../lib/database';
import { createLogger } from '../lib/logger';
import { PersonalDataCipher } from '../lib/personal-data';
import { temporalConnectionOptions, temporalDataConverter } from '../lib/temporal/connection';

const logger = createLogger('worker');

async function run() {
  const config = loadConfig();
  if (!config.database.url) throw new Error('DATABASE_URL must be set for the worker (npm start sets it)');
  const prisma = createPrismaClient(config.database.url);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  // Activities that signal other workflows need a client, with the same payload encryption.
  let clientConnection: Connection | undefined;
  try {
    clientConnection = await Connection.connect(temporalConnectionOptions(config));
    const temporal = new Client({ connection: clientConnection, namespace: config.temporal.namespace, dataConverter: temporalDataConverter(config) });
    await ensureDefaultRuleSet(prisma);
    const outside = { baseUrl: config.simulators.url, timeoutMs: 10_000 };
    const activities = createActivities({
      prisma,
      personalData: new PersonalDataCipher(config.personalDataEncryption, config.blindIndexKey),
      registries: {
        dukcapil: new DukcapilClient(outside),
        dtks: new DtksClient(outside),
        dapodik: new DapodikClient(outside),
        kemnaker: new KemnakerClient(outside),
      },
      paymentProvider: new PaymentProviderClient(outside),
      mailer: nodemailer.createTransport({ host: config.mail.smtpHost, port: config.mail.smtpPort, secure: false, ignoreTLS: true }),
      mailFrom: config.mail.from,
      emailTokenKey: createHmac('sha256', config.blindIndexKey).update('email-verification-token-key').digest(),
      temporal,
    });
    // A prebuilt bundle (tests, production images) skips bundling the workflow code at start.
    const workflowSource = process.env.WORKFLOW_BUNDLE_PATH
      ? { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH } }
      : { workflowsPath: require.resolve('../workflows') };
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      ...workflowSource,
      activities,
      dataConverter: temporalDataConverter(config),
    });
    logger.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker running');
    // Worker.run resolves after SIGINT/SIGTERM once in-flight tasks have finished.
    await worker.run();
    logger.info('worker stopped');
  } finally {
    await clientConnection?.close();
    await connection.close();
    await prisma.$disconnect();
  }
}

run().catch((error) => {
  logger.error({ err: error }, 'worker failed');
  process.exit(1);
});
