/**
 * Delivers training-platform events to the Jalur API as signed webhooks, the way a partner
 * platform would: asynchronously, re-signed on every attempt, retried with exponential
 * backoff and jitter while the API is unreachable or answers 5xx (or 408/429), given up
 * after a bounded number of attempts. Any other 4xx is the API refusing the event: no retry.
 * With a journal, events and attempt outcomes survive a restart and pending ones are resumed.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { webhookSecretForPlatform, type TrainingPlatformSecrets } from '../lib/training-platform-secrets';
import { memoryOnlyJournal, type StateJournal } from './state-journal';
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER, signWebhook } from '../lib/webhook-signature';

export type TrainingEventType = 'PURCHASED' | 'COMPLETED';

export interface TrainingEvent {
  eventId: string;
  type: TrainingEventType;
  participantId: string;
  platformId: string;
  courseId: string;
  price: number;
  occurredAt: string;
}

export interface SignedWebhookRequest {
  url: string;
  headers: Record<string, string>;
  /** The exact bytes that were signed: send them unchanged. */
  body: string;
}

export type WebhookDeliveryState = 'PENDING' | 'DELIVERED' | 'REJECTED' | 'GAVE_UP';

export interface WebhookDeliveryRecord {
  eventId: string;
  type: TrainingEventType;
  participantId: string;
  platformId: string;
  courseId: string;
  url: string;
  attempts: number;
  /** HTTP status of the last attempt; null when it got no answer. */
  lastStatus: number | null;
  /** Why the last attempt got no answer (timeout, connection refused...). */
  lastError: string | null;
  state: WebhookDeliveryState;
  createdAt: string;
  lastAttemptAt: string | null;
}

const trainingEventSchema = z
  .object({
    eventId: z.string(),
    type: z.enum(['PURCHASED', 'COMPLETED']),
    participantId: z.string(),
    platformId: z.string(),
    courseId: z.string(),
    price: z.number(),
    occurredAt: z.string(),
  })
  .strict();

/**
 * One line of training.jsonl: an event the platform took on (a purchase or completion), or the
 * outcome of one delivery attempt. A delivery whose last line says PENDING is resumed at start.
 */
export const trainingJournalEntrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), event: trainingEventSchema, url: z.string(), createdAt: z.string() }).strict(),
  z
    .object({
      type: z.literal('attempted'),
      eventId: z.string(),
      attempts: z.number().int().min(1),
      lastStatus: z.number().int().nullable(),
      lastError: z.string().nullable(),
      lastAttemptAt: z.string(),
      state: z.enum(['PENDING', 'DELIVERED', 'REJECTED', 'GAVE_UP']),
    })
    .strict(),
]);

export type TrainingJournalEntry = z.infer<typeof trainingJournalEntrySchema>;
type AttemptEntry = Extract<TrainingJournalEntry, { type: 'attempted' }>;

export interface WebhookRetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  attemptTimeoutMs: number;
}

/** About two and a half minutes of retrying at most, so an API restart does not lose events. */
export const DEFAULT_WEBHOOK_RETRY_POLICY: WebhookRetryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  attemptTimeoutMs: 10_000,
};

export interface WebhookDelivererDependencies {
  jalurApiUrl: string;
  secrets: TrainingPlatformSecrets;
  retryPolicy: WebhookRetryPolicy;
  now: () => number;
  random: () => number;
  logger: Logger;
  journal?: StateJournal<TrainingJournalEntry>;
}

interface ActiveDelivery {
  record: WebhookDeliveryRecord;
  body: string;
  retryTimer?: NodeJS.Timeout;
  readonly abortController: AbortController;
  cancelled: boolean;
}

/** Statuses that mean "try again later" even though they are 4xx. */
const RETRYABLE_CLIENT_STATUSES = new Set([408, 429]);

/** Duck-typed rather than `instanceof Error`: fetch's errors may come from another realm (jest's sandbox). */
function describeFetchFailure(err: unknown): string {
  if (typeof err !== 'object' || err === null) {
    return 'unknown error';
  }
  const name = 'name' in err && typeof err.name === 'string' ? err.name : 'unknown error';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return name;
  }
  const cause = 'cause' in err ? err.cause : undefined;
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') {
    return cause.code;
  }
  return name;
}

export class WebhookDeliverer {
  private records: WebhookDeliveryRecord[] = [];
  private readonly active = new Set<ActiveDelivery>();
  private idleWaiters: (() => void)[] = [];
  private readonly journal: StateJournal<TrainingJournalEntry>;

  constructor(private readonly dependencies: WebhookDelivererDependencies) {
    this.journal = dependencies.journal ?? memoryOnlyJournal();
  }

  /**
   * Replays what the journal held at start and resumes the deliveries still pending, as if
   * their retry timer had survived: the attempt count carries on, so retrying stays bounded.
   */
  restore(entries: Iterable<TrainingJournalEntry>): void {
    const events = new Map<string, { event: TrainingEvent; record: WebhookDeliveryRecord }>();
    for (const entry of entries) {
      if (entry.type === 'event') {
        const record = this.newRecord(entry.event, entry.url, entry.createdAt);
        this.records.push(record);
        events.set(entry.event.eventId, { event: entry.event, record });
        continue;
      }
      const restored = events.get(entry.eventId);
      // An attempt line is written only after its event line, so this holds unless the file was edited.
      if (restored !== undefined) {
        applyAttempt(restored.record, entry);
      }
    }
    for (const { event, record } of events.values()) {
      if (record.state !== 'PENDING') {
        continue;
      }
      // Attempts go wherever JALUR_API_URL points now.
      record.url = this.webhookUrl(event.platformId);
      const delivery: ActiveDelivery = { record, body: JSON.stringify(event), abortController: new AbortController(), cancelled: false };
      this.active.add(delivery);
      if (record.attempts === 0) {
        this.startAttempt(delivery, event);
      } else {
        delivery.retryTimer = setTimeout(() => this.startAttempt(delivery, event), this.backoffDelayMs(record.attempts));
      }
    }
  }

  webhookUrl(platformId: string): string {
    const base = this.dependencies.jalurApiUrl.replace(/\/+$/, '');
    return `${base}/v1/training-platforms/${encodeURIComponent(platformId)}/events`;
  }

  /** A ready-to-send request, signed now. Used for each attempt and for `deliver: false`. */
  signedRequest(event: TrainingEvent, body: string = JSON.stringify(event)): SignedWebhookRequest {
    const timestamp = String(Math.floor(this.dependencies.now() / 1000));
    const secret = webhookSecretForPlatform(this.dependencies.secrets, event.platformId);
    return {
      url: this.webhookUrl(event.platformId),
      headers: {
        'Content-Type': 'application/json',
        [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
      },
      body,
    };
  }

  /** Journals the event, then delivers it in the background; progress shows in `deliveries()`. */
  deliver(event: TrainingEvent): void {
    const url = this.webhookUrl(event.platformId);
    const createdAt = new Date(this.dependencies.now()).toISOString();
    this.journal.append({ type: 'event', event, url, createdAt });
    const record = this.newRecord(event, url, createdAt);
    this.records.push(record);
    const delivery: ActiveDelivery = { record, body: JSON.stringify(event), abortController: new AbortController(), cancelled: false };
    this.active.add(delivery);
    this.startAttempt(delivery, event);
  }

  deliveries(): WebhookDeliveryRecord[] {
    return this.records.map((record) => ({ ...record }));
  }

  /** Resolves once no delivery is pending (delivered, refused, given up or cancelled). */
  whenIdle(): Promise<void> {
    if (this.active.size === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels every pending delivery but keeps the log and the journal, so a restart resumes them (shutdown). */
  stop(): void {
    for (const delivery of this.active) {
      delivery.cancelled = true;
      clearTimeout(delivery.retryTimer);
      delivery.abortController.abort();
    }
    this.active.clear();
    this.notifyIfIdle();
  }

  /** Cancels every pending delivery and forgets the log, journal included (the reset control). */
  reset(): void {
    this.stop();
    this.journal.clear();
    this.records = [];
  }

  private newRecord(event: TrainingEvent, url: string, createdAt: string): WebhookDeliveryRecord {
    return {
      eventId: event.eventId,
      type: event.type,
      participantId: event.participantId,
      platformId: event.platformId,
      courseId: event.courseId,
      url,
      attempts: 0,
      lastStatus: null,
      lastError: null,
      state: 'PENDING',
      createdAt,
      lastAttemptAt: null,
    };
  }

  private startAttempt(delivery: ActiveDelivery, event: TrainingEvent): void {
    this.attempt(delivery, event).catch((err: unknown) => {
      // attempt() handles every failure it expects; reaching here is a bug (or the journal could
      // not be written), so stop retrying loudly. Not journaled: a restart delivers it again.
      this.dependencies.logger.error({ err, eventId: delivery.record.eventId }, 'webhook delivery crashed');
      delivery.record.state = 'GAVE_UP';
      this.finish(delivery);
    });
  }

  private async attempt(delivery: ActiveDelivery, event: TrainingEvent): Promise<void> {
    const { retryPolicy, logger, now } = this.dependencies;
    const { record } = delivery;
    const request = this.signedRequest(event, delivery.body);
    const attemptedAt = new Date(now()).toISOString();
    record.attempts += 1;
    record.lastAttemptAt = attemptedAt;

    let status: number | null = null;
    let failure: string | null = null;
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.any([delivery.abortController.signal, AbortSignal.timeout(retryPolicy.attemptTimeoutMs)]),
      });
      status = response.status;
      // Read the answer to the end so the connection goes back to the pool.
      await response.arrayBuffer();
    } catch (err) {
      failure = describeFetchFailure(err);
    }
    if (delivery.cancelled) {
      return;
    }
    const state = this.stateAfterAttempt(status, record.attempts);
    const entry: AttemptEntry = {
      type: 'attempted',
      eventId: record.eventId,
      attempts: record.attempts,
      lastStatus: status,
      lastError: failure,
      lastAttemptAt: attemptedAt,
      state,
    };
    this.journal.append(entry);
    applyAttempt(record, entry);
    const logFields = { eventId: record.eventId, participantId: record.participantId, platformId: record.platformId, attempt: record.attempts, status, failure };

    switch (state) {
      case 'DELIVERED':
        logger.debug(logFields, 'webhook delivered');
        this.finish(delivery);
        return;
      case 'REJECTED':
        logger.warn(logFields, 'webhook refused by the API');
        this.finish(delivery);
        return;
      case 'GAVE_UP':
        logger.warn(logFields, 'webhook delivery given up');
        this.finish(delivery);
        return;
      case 'PENDING': {
        const delayMs = this.backoffDelayMs(record.attempts);
        logger.info({ ...logFields, retryInMs: delayMs }, 'webhook delivery failed, will retry');
        delivery.retryTimer = setTimeout(() => this.startAttempt(delivery, event), delayMs);
        return;
      }
    }
  }

  private stateAfterAttempt(status: number | null, attemptsSoFar: number): WebhookDeliveryState {
    if (status !== null && status >= 200 && status < 300) {
      return 'DELIVERED';
    }
    if (status !== null && status >= 400 && status < 500 && !RETRYABLE_CLIENT_STATUSES.has(status)) {
      return 'REJECTED';
    }
    return attemptsSoFar >= this.dependencies.retryPolicy.maxAttempts ? 'GAVE_UP' : 'PENDING';
  }

  /** Exponential backoff with "equal jitter": half the step is fixed, half random. */
  private backoffDelayMs(attemptsSoFar: number): number {
    const { baseDelayMs, maxDelayMs } = this.dependencies.retryPolicy;
    const step = Math.min(maxDelayMs, baseDelayMs * 2 ** (attemptsSoFar - 1));
    return Math.round(step / 2 + this.dependencies.random() * (step / 2));
  }

  private finish(delivery: ActiveDelivery): void {
    this.active.delete(delivery);
    this.notifyIfIdle();
  }

  private notifyIfIdle(): void {
    if (this.active.size > 0) {
      return;
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((resolve) => resolve());
  }
}

function applyAttempt(record: WebhookDeliveryRecord, entry: AttemptEntry): void {
  record.attempts = entry.attempts;
  record.lastStatus = entry.lastStatus;
  record.lastError = entry.lastError;
  record.lastAttemptAt = entry.lastAttemptAt;
  record.state = entry.state;
}
