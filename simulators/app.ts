/**
 * Builds the simulators: one Express app for every simulated outside system plus the SMTP
 * server, sharing fault knobs and counters. Nothing listens here; main.ts and tests do that.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import type { SMTPServer } from 'smtp-server';
import type { z } from 'zod';
import { createDapodikRouter } from './dapodik';
import { createDtksRouter } from './dtks';
import { createDukcapilRouter } from './dukcapil';
import { createFaultGate } from './fault-gate';
import { FaultInjector, faultJournalEntrySchema } from './faults';
import { answerUnknownRoute, createErrorHandler } from './http-errors';
import { createKemnakerRouter } from './kemnaker';
import { Mailbox, createMailControlRouter, createSmtpServer, mailJournalEntrySchema } from './mail';
import { MessagingGateway, createMessagingControlRouter, createMessagingRouter, messagingJournalEntrySchema } from './messaging';
import type { OutsideSystem } from '../lib/outside-systems';
import { ParticipationRegistry, createParticipationRegistryRouter, createParticipationsControlRouter, participationJournalEntrySchema } from './participation-registry';
import { PaymentProvider, createPaymentsControlRouter, createPaymentsRouter, paymentJournalEntrySchema, recordFaultedDisbursement } from './payments';
import type { TrainingPlatformSecrets } from '../lib/training-platform-secrets';
import { SyntheticPopulation } from './population';
import { ResidentRegistry, createResidentsControlRouter, residentJournalEntrySchema } from './residents';
import { createSimControlRouter } from './sim-control';
import { JsonLinesJournal, memoryOnlyJournal, type StateJournal } from './state-journal';
import { SystemStats } from './system-stats';
import { createTrainingRouter } from './training';
import { DEFAULT_WEBHOOK_RETRY_POLICY, WebhookDeliverer, trainingJournalEntrySchema, type WebhookRetryPolicy } from './training-webhooks';

export interface SimulatorsOptions {
  populationSeed: number;
  populationSize: number;
  /** Where training-platform webhooks go. */
  jalurApiUrl: string;
  trainingPlatformSecrets: TrainingPlatformSecrets;
  paymentsIdempotencyWindowSeconds: number;
  webhookRetryPolicy: WebhookRetryPolicy;
  /** Injectable so tests can move time (idempotency window) without waiting. */
  now: () => number;
  /** Injectable so tests can make random errors and jitter predictable. */
  random: () => number;
  logger: Logger;
  /**
   * Where the state journals live, so residents, participations, payments, mail, text messages,
   * training events and fault knobs survive a restart. Absent: memory only (unit tests).
   */
  dataDir?: string;
}

export const DEFAULT_SIMULATORS_OPTIONS: SimulatorsOptions = {
  populationSeed: 2020,
  populationSize: 1_000_000,
  jalurApiUrl: 'http://127.0.0.1:3000',
  trainingPlatformSecrets: new Map(),
  paymentsIdempotencyWindowSeconds: 86_400,
  webhookRetryPolicy: DEFAULT_WEBHOOK_RETRY_POLICY,
  now: Date.now,
  random: Math.random,
  logger: pino({ level: 'silent' }),
};

export interface SimulatorsState {
  residents: ResidentRegistry;
  participations: ParticipationRegistry;
  payments: PaymentProvider;
  mailbox: Mailbox;
  messaging: MessagingGateway;
  webhooks: WebhookDeliverer;
  faults: FaultInjector;
  stats: SystemStats;
}

export interface Simulators {
  app: Express;
  state: SimulatorsState;
  /** Not listening yet: call `smtpServer.listen(port, host)`. */
  smtpServer: SMTPServer;
  /** What POST /sim/reset does: clears mail, text messages, payments, explicit residents and participations, webhooks, faults and stats, on disk too. */
  reset(): void;
  /**
   * Closes the SMTP server if it listens, stops pending webhook deliveries (a restart on the same
   * data folder resumes them) and closes the journals. Close the HTTP server first.
   */
  close(): Promise<void>;
}

/** The journal files under `dataDir`, one per kind of state. */
export const SIMULATOR_JOURNAL_FILES = {
  residents: 'residents.jsonl',
  participations: 'participations.jsonl',
  payments: 'payments.jsonl',
  mail: 'mail.jsonl',
  messages: 'messages.jsonl',
  training: 'training.jsonl',
  faults: 'faults.jsonl',
} as const;

interface SimulatorJournals {
  residents: JournalWithRecovered<typeof residentJournalEntrySchema>;
  participations: JournalWithRecovered<typeof participationJournalEntrySchema>;
  payments: JournalWithRecovered<typeof paymentJournalEntrySchema>;
  mail: JournalWithRecovered<typeof mailJournalEntrySchema>;
  messages: JournalWithRecovered<typeof messagingJournalEntrySchema>;
  training: JournalWithRecovered<typeof trainingJournalEntrySchema>;
  faults: JournalWithRecovered<typeof faultJournalEntrySchema>;
}

interface JournalWithRecovered<Schema extends z.ZodType> {
  journal: StateJournal<z.output<Schema>>;
  recovered: z.output<Schema>[];
}

function memoryOnlyJournals(): SimulatorJournals {
  const memoryOnly = <Entry>() => ({ journal: memoryOnlyJournal<Entry>(), recovered: [] });
  return { residents: memoryOnly(), participations: memoryOnly(), payments: memoryOnly(), mail: memoryOnly(), messages: memoryOnly(), training: memoryOnly(), faults: memoryOnly() };
}

/** Reads every journal; if one cannot be read, closes the ones already opened and throws. */
function openJournals(dataDir: string, logger: Logger): SimulatorJournals {
  const opened: StateJournal<unknown>[] = [];
  const open = <Schema extends z.ZodType>(file: string, schema: Schema): JournalWithRecovered<Schema> => {
    const journalWithRecovered = JsonLinesJournal.open(path.join(dataDir, file), schema, logger);
    opened.push(journalWithRecovered.journal);
    return journalWithRecovered;
  };
  try {
    return {
      residents: open(SIMULATOR_JOURNAL_FILES.residents, residentJournalEntrySchema),
      participations: open(SIMULATOR_JOURNAL_FILES.participations, participationJournalEntrySchema),
      payments: open(SIMULATOR_JOURNAL_FILES.payments, paymentJournalEntrySchema),
      mail: open(SIMULATOR_JOURNAL_FILES.mail, mailJournalEntrySchema),
      messages: open(SIMULATOR_JOURNAL_FILES.messages, messagingJournalEntrySchema),
      training: open(SIMULATOR_JOURNAL_FILES.training, trainingJournalEntrySchema),
      faults: open(SIMULATOR_JOURNAL_FILES.faults, faultJournalEntrySchema),
    };
  } catch (err) {
    opened.forEach((journal) => journal.close());
    throw err;
  }
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

const assignRequestId: RequestHandler = (req, res, next) => {
  const incoming = req.get('X-Request-Id');
  const requestId = incoming !== undefined && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = requestId;
  res.setHeader('X-Request-Id', requestId);
  next();
};

export function createSimulators(overrides: Partial<SimulatorsOptions> = {}): Simulators {
  const options: SimulatorsOptions = { ...DEFAULT_SIMULATORS_OPTIONS, ...overrides };
  const { now, random, logger } = options;

  const journals = options.dataDir === undefined ? memoryOnlyJournals() : openJournals(options.dataDir, logger);
  const stats = new SystemStats();
  const faults = new FaultInjector({ stats, now, random, journal: journals.faults.journal });
  const population = new SyntheticPopulation(options.populationSeed, options.populationSize);
  const state: SimulatorsState = {
    residents: new ResidentRegistry(population, journals.residents.journal),
    participations: new ParticipationRegistry(population, journals.participations.journal),
    payments: new PaymentProvider({ idempotencyWindowSeconds: options.paymentsIdempotencyWindowSeconds, now, journal: journals.payments.journal }),
    mailbox: new Mailbox(journals.mail.journal),
    messaging: new MessagingGateway({ now, journal: journals.messages.journal }),
    webhooks: new WebhookDeliverer({
      jalurApiUrl: options.jalurApiUrl,
      secrets: options.trainingPlatformSecrets,
      retryPolicy: options.webhookRetryPolicy,
      now,
      random,
      logger,
      journal: journals.training.journal,
    }),
    faults,
    stats,
  };
  state.residents.restore(journals.residents.recovered);
  state.participations.restore(journals.participations.recovered);
  state.payments.restore(journals.payments.recovered);
  state.mailbox.restore(journals.mail.recovered);
  state.messaging.restore(journals.messages.recovered);
  state.faults.restore(journals.faults.recovered);
  // Last: this resumes pending webhook deliveries in the background.
  state.webhooks.restore(journals.training.recovered);

  const reset = (): void => {
    state.residents.reset();
    state.participations.reset();
    state.payments.reset();
    state.mailbox.reset();
    state.messaging.reset();
    state.webhooks.reset();
    state.faults.reset();
    state.stats.reset();
  };

  const gateFor = (system: OutsideSystem): RequestHandler => createFaultGate(system, { injector: faults, stats });

  const app = express();
  app.disable('x-powered-by');
  app.use(assignRequestId);
  app.use(express.json({ limit: '100kb' }));
  // No request logging on purpose: NIKs travel in these URLs and must not reach the logs.

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.use('/dukcapil', gateFor('dukcapil'), createDukcapilRouter(state.residents));
  app.use('/dtks', gateFor('dtks'), createDtksRouter(state.residents));
  app.use('/dapodik', gateFor('dapodik'), createDapodikRouter(state.residents));
  app.use('/kemnaker', gateFor('kemnaker'), createKemnakerRouter(state.residents));
  app.use('/participation-registry', gateFor('participation-registry'), createParticipationRegistryRouter(state.participations));
  app.use(
    '/payments',
    createFaultGate('payments', {
      injector: faults,
      stats,
      onFaultRejection: (req, fault) => recordFaultedDisbursement(state.payments, req, fault),
    }),
    createPaymentsRouter(state.payments),
  );
  app.use('/messaging', gateFor('messaging'), createMessagingRouter(state.messaging));

  app.use('/sim/residents', createResidentsControlRouter(state.residents));
  app.use('/sim/participations', createParticipationsControlRouter(state.participations));
  app.use('/sim/payments', createPaymentsControlRouter(state.payments));
  app.use('/sim/training', createTrainingRouter({ deliverer: state.webhooks, catalogFaultGate: gateFor('training'), now }));
  app.use('/sim/mail', createMailControlRouter(state.mailbox));
  app.use('/sim/messages', createMessagingControlRouter(state.messaging));
  app.use('/sim', createSimControlRouter({ injector: faults, stats, resetEverything: reset }));

  app.use(answerUnknownRoute);
  app.use(createErrorHandler((err) => logger.error({ err }, 'simulator request failed')));

  const smtpServer = createSmtpServer({ mailbox: state.mailbox, injector: faults, stats, now, logger });

  const close = async (): Promise<void> => {
    state.webhooks.stop();
    if (smtpServer.server.listening) {
      await new Promise<void>((resolve) => smtpServer.close(() => resolve()));
    }
    Object.values(journals).forEach(({ journal }) => journal.close());
  };

  return { app, state, smtpServer, reset, close };
}
