// The Temporal worker: participant journeys and rule-set re-evaluations on one task queue, wave
// selections on another (so a long fan-out never takes the journeys' slots), with the same
// activities on both; each outside system's activities on a queue of their own, rate-limited. With
// WORKER_METRICS_ADDRESS set, the SDK's own metrics (task latencies, slots, polls, activity
// and workflow outcomes) are served for Prometheus at http://<address>/metrics.
import { createHmac } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import { createActivities } from '../activities';
import { DapodikClient } from '../activities/clients/dapodik-client';
import { DtksClient } from '../activities/clients/dtks-client';
import { DukcapilClient } from '../activities/clients/dukcapil-client';
import { KemnakerClient } from '../activities/clients/kemnaker-client';
import { ParticipationRegistryClient } from '../activities/clients/participation-registry-client';
import { MessagingGatewayClient } from '../activities/clients/messaging-gateway-client';
import { PaymentProviderClient } from '../activities/clients/payment-provider-client';
import { ensureDefaultRuleSet } from '../activities/eligibility';
import { loadConfig } from '../lib/config';
import { createPrismaClient } from '../lib/database';
import { createLogger } from '../lib/logger';
import { OUTSIDE_SYSTEM_QUEUES, type OutsideSystemQueue } from '../lib/outside-systems';
import { PersonalDataCipher } from '../lib/personal-data';
import { temporalConnectionOptions, temporalDataConverter } from '../lib/temporal/connection';
import { ensureDailyReconciliationSchedule } from './daily-reconciliation-schedule';
import { ensurePersonalDataRetentionSchedule } from './personal-data-retention-schedule';
import { OUTSIDE_SYSTEM_ACTIVITIES, outsideSystemTaskQueue } from '../workflows/outside-system-queues';
import { outsideSystemActivitySlots } from './outside-system-slots';
import { temporalSdkLogger } from './temporal-sdk-logger';

const logger = createLogger('worker');

async function run() {
  const config = loadConfig();
  if (!config.database.url) throw new Error('DATABASE_URL must be set for the worker (npm start sets it)');
  // Before any connection: the runtime is created once per process.
  Runtime.install({
    logger: temporalSdkLogger(logger),
    ...(config.worker.metricsAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.worker.metricsAddress, countersTotalSuffix: true, useSecondsForDurations: true } } } }
      : {}),
  });
  const prisma = createPrismaClient(config.database.url);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const clientConnection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const temporal = new Client({ connection: clientConnection, namespace: config.temporal.namespace, dataConverter: temporalDataConverter(config) });
    await ensureDefaultRuleSet(prisma);
    await ensurePersonalDataRetentionSchedule(temporal, config, logger);
    await ensureDailyReconciliationSchedule(temporal, config, logger);
    // This process's share of each system's ceiling, spaced at the call (activities/clients/request-pacer.ts).
    const pacedPerSecond = (system: OutsideSystemQueue) => config.outsideSystems[system].maxRequestsPerSecond / config.workerProcesses;
    const outside = (system: OutsideSystemQueue) => ({ baseUrl: config.simulators.url, timeoutMs: 10_000, maxRequestsPerSecond: pacedPerSecond(system) });
    const activities = createActivities({
      prisma,
      personalData: new PersonalDataCipher(config.personalDataEncryption, config.blindIndexKey),
      registries: {
        dukcapil: new DukcapilClient(outside('dukcapil')),
        dtks: new DtksClient(outside('dtks')),
        dapodik: new DapodikClient(outside('dapodik')),
        kemnaker: new KemnakerClient(outside('kemnaker')),
        participationRegistry: new ParticipationRegistryClient(outside('participation-registry')),
      },
      paymentProvider: new PaymentProviderClient(outside('payments')),
      mailer: nodemailer.createTransport({ host: config.mail.smtpHost, port: config.mail.smtpPort, secure: false, ignoreTLS: true }),
      mailFrom: config.mail.from,
      messaging: new MessagingGatewayClient({ baseUrl: config.simulators.url, timeoutMs: 10_000 }),
      emailTokenKey: createHmac('sha256', config.blindIndexKey).update('email-verification-token-key').digest(),
      temporal,
      waves: config.waves,
      reconciliation: config.reconciliation,
      photoStorageDir: config.photoStorageDir,
    });
    // A prebuilt bundle (tests, production images) skips bundling the workflow code at start;
    // otherwise it is bundled once here for both workflow task queues.
    const workflowBundle = process.env.WORKFLOW_BUNDLE_PATH
      ? { codePath: process.env.WORKFLOW_BUNDLE_PATH }
      : await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: temporalSdkLogger(logger, { infoAsDebug: true }) });
    const workerFor = (taskQueue: string) =>
      Worker.create({ connection, namespace: config.temporal.namespace, taskQueue, workflowBundle, activities, dataConverter: temporalDataConverter(config), ...definedOnly(config.worker.tuning) });
    // Activity-only workers, one per outside system: the task queue's rate ceiling is enforced
    // by the server over every worker polling it; the concurrency bound is this worker's own,
    // no more calls than it sends in a few seconds at its pace (outside-system-slots.ts).
    const outsideSystemWorkerFor = (system: OutsideSystemQueue) => {
      const limits = config.outsideSystems[system];
      const names: readonly string[] = OUTSIDE_SYSTEM_ACTIVITIES[system];
      return Worker.create({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: outsideSystemTaskQueue(config.temporal.taskQueue, system),
        activities: Object.fromEntries(Object.entries(activities).filter(([name]) => names.includes(name))),
        dataConverter: temporalDataConverter(config),
        maxTaskQueueActivitiesPerSecond: limits.maxRequestsPerSecond,
        maxConcurrentActivityTaskExecutions: outsideSystemActivitySlots(limits.maxConcurrentRequests, pacedPerSecond(system)),
      });
    };
    const workers = [
      await workerFor(config.temporal.taskQueue),
      await workerFor(config.temporal.selectionTaskQueue),
      ...(await Promise.all(OUTSIDE_SYSTEM_QUEUES.map(outsideSystemWorkerFor))),
    ];
    logger.info(
      {
        taskQueues: workers.map((worker) => worker.options.taskQueue),
        outsideSystems: config.outsideSystems,
        namespace: config.temporal.namespace,
        metrics: config.worker.metricsAddress,
        tuning: definedOnly(config.worker.tuning),
      },
      'worker running',
    );
    // Each resolves after SIGINT/SIGTERM once in-flight tasks have finished; one failing stops the other.
    await Promise.all(
      workers.map((worker) =>
        worker.run().catch((error: unknown) => {
          for (const other of workers) if (other.getState() === 'RUNNING') other.shutdown();
          throw error;
        }),
      ),
    );
    logger.info('worker stopped');
  } finally {
    await clientConnection.close();
    await connection.close();
    await prisma.$disconnect();
  }
}

/** Only the settings given: the SDK spreads the options over its defaults, so an explicit undefined would replace a default. */
function definedOnly<T extends object>(settings: T): Partial<T> {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Partial<T>;
}

run().catch((error) => {
  logger.error({ err: error }, 'worker failed');
  process.exit(1);
});
