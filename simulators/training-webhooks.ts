/**
 * Delivers training-platform events to the Jalur API as signed webhooks, the way a partner
 * platform would: asynchronously, re-signed on every attempt, retried with exponential
 * backoff and jitter while the API is unreachable or answers 5xx (or 408/429), given up
 * after a bounded number of attempts. Any other 4xx is the API refusing the event: no retry.
 */
import type { Logger } from 'pino';
import { webhookSecretForPlatform, type TrainingPlatformSecrets } from './platform-secrets';
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER, signWebhook } from './webhook-signature';

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

  constructor(private readonly dependencies: WebhookDelivererDependencies) {}

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

  /** Starts delivering in the background; progress shows in `deliveries()`. */
  deliver(event: TrainingEvent): void {
    const record: WebhookDeliveryRecord = {
      eventId: event.eventId,
      type: event.type,
      participantId: event.participantId,
      platformId: event.platformId,
      courseId: event.courseId,
      url: this.webhookUrl(event.platformId),
      attempts: 0,
      lastStatus: null,
      lastError: null,
      state: 'PENDING',
      createdAt: new Date(this.dependencies.now()).toISOString(),
      lastAttemptAt: null,
    };
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

  /** Cancels every pending delivery and forgets the log (used by reset and shutdown). */
  reset(): void {
    for (const delivery of this.active) {
      delivery.cancelled = true;
      clearTimeout(delivery.retryTimer);
      delivery.abortController.abort();
    }
    this.active.clear();
    this.records = [];
    this.notifyIfIdle();
  }

  private startAttempt(delivery: ActiveDelivery, event: TrainingEvent): void {
    this.attempt(delivery, event).catch((err: unknown) => {
      // attempt() handles every failure it expects; reaching here is a bug, so stop retrying loudly.
      this.dependencies.logger.error({ err, eventId: delivery.record.eventId }, 'webhook delivery crashed');
      this.finish(delivery, 'GAVE_UP');
    });
  }

  private async attempt(delivery: ActiveDelivery, event: TrainingEvent): Promise<void> {
    const { retryPolicy, logger, now } = this.dependencies;
    const { record } = delivery;
    const request = this.signedRequest(event, delivery.body);
    record.attempts += 1;
    record.lastAttemptAt = new Date(now()).toISOString();

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
    record.lastStatus = status;
    record.lastError = failure;
    const logFields = { eventId: record.eventId, participantId: record.participantId, platformId: record.platformId, attempt: record.attempts, status, failure };

    if (status !== null && status >= 200 && status < 300) {
      logger.debug(logFields, 'webhook delivered');
      this.finish(delivery, 'DELIVERED');
      return;
    }
    if (status !== null && status >= 400 && status < 500 && !RETRYABLE_CLIENT_STATUSES.has(status)) {
      logger.warn(logFields, 'webhook refused by the API');
      this.finish(delivery, 'REJECTED');
      return;
    }
    if (record.attempts >= retryPolicy.maxAttempts) {
      logger.warn(logFields, 'webhook delivery given up');
      this.finish(delivery, 'GAVE_UP');
      return;
    }
    const delayMs = this.backoffDelayMs(record.attempts);
    logger.info({ ...logFields, retryInMs: delayMs }, 'webhook delivery failed, will retry');
    delivery.retryTimer = setTimeout(() => this.startAttempt(delivery, event), delayMs);
  }

  /** Exponential backoff with "equal jitter": half the step is fixed, half random. */
  private backoffDelayMs(attemptsSoFar: number): number {
    const { baseDelayMs, maxDelayMs } = this.dependencies.retryPolicy;
    const step = Math.min(maxDelayMs, baseDelayMs * 2 ** (attemptsSoFar - 1));
    return Math.round(step / 2 + this.dependencies.random() * (step / 2));
  }

  private finish(delivery: ActiveDelivery, state: Exclude<WebhookDeliveryState, 'PENDING'>): void {
    delivery.record.state = state;
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
