import express from 'express';
import request from 'supertest';
import { createSimulators } from './app';
import { PlatformSecretsFormatError, parseTrainingPlatformSecrets, webhookSecretForPlatform } from '../lib/training-platform-secrets';
import { serveOnEphemeralPort, type RunningServer } from './test-servers';
import { TRAINING_CATALOG } from './training-catalog';
import { signWebhook, verifyWebhookSignature } from '../lib/webhook-signature';

const fastRetries = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40, attemptTimeoutMs: 2000 };

describe('webhook signature', () => {
  const rawBody = '{"eventId":"evt_1","type":"PURCHASED"}';
  const nowSeconds = 1_586_584_800;
  const signature = signWebhook('s3cret', nowSeconds, rawBody);

  it('is HMAC-SHA256 over "timestamp.body", hex, prefixed sha256=', () => {
    // Computed independently: printf '%s' '1586584800.<rawBody>' | openssl dgst -sha256 -hmac s3cret
    expect(signature).toBe('sha256=359579f3d1fc444e610b3d240eb67ac06fbca6cfc1306d82d74cfcabc9d54ea7');
    expect(signWebhook('s3cret', '1586584800', Buffer.from(rawBody))).toBe(signature);
  });

  it('verifies the exact body and refuses anything else', () => {
    const base = { secret: 's3cret', timestamp: String(nowSeconds), signature, rawBody, nowSeconds };
    expect(verifyWebhookSignature(base)).toEqual({ valid: true, timestamp: nowSeconds });
    expect(verifyWebhookSignature({ ...base, rawBody: `${rawBody} ` })).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
    expect(verifyWebhookSignature({ ...base, secret: 'other' })).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
    expect(verifyWebhookSignature({ ...base, timestamp: String(nowSeconds + 1) })).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
    expect(verifyWebhookSignature({ ...base, nowSeconds: nowSeconds + 301 })).toEqual({ valid: false, reason: 'STALE_TIMESTAMP' });
    expect(verifyWebhookSignature({ ...base, signature: 'sha256=abc' })).toEqual({ valid: false, reason: 'MALFORMED_HEADERS' });
    expect(verifyWebhookSignature({ ...base, signature: undefined })).toEqual({ valid: false, reason: 'MISSING_HEADERS' });
  });
});

describe('TRAINING_PLATFORM_SECRETS', () => {
  it('parses id=secret pairs and falls back to the dev secret', () => {
    const secrets = parseTrainingPlatformSecrets(' skill-academy=abc== , tokopedia=xyz ');
    expect(webhookSecretForPlatform(secrets, 'skill-academy')).toBe('abc==');
    expect(webhookSecretForPlatform(secrets, 'tokopedia')).toBe('xyz');
    expect(webhookSecretForPlatform(secrets, 'pintaria')).toBe('dev-webhook-secret-pintaria');
    expect(parseTrainingPlatformSecrets(undefined).size).toBe(0);
  });

  it('lists every malformed entry without echoing secrets', () => {
    const parse = () => parseTrainingPlatformSecrets('tokopedia=topsecret,noequals,Bad Id=x,tokopedia=again,pintaria=');
    expect(parse).toThrow(PlatformSecretsFormatError);
    expect(parse).toThrow(/entry 2 .*entry 3 .*"tokopedia" is listed more than once.*"pintaria" has an empty secret/);
    expect(parse).not.toThrow(/topsecret|again/);
  });
});

interface ReceivedWebhook {
  platformId: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

/** A stand-in for the Jalur API that fails the first `failures` requests with `failureStatus`. */
async function startReceiver(failures: number, failureStatus = 503): Promise<{ server: RunningServer; received: ReceivedWebhook[] }> {
  const received: ReceivedWebhook[] = [];
  const receiver = express();
  receiver.post('/v1/training-platforms/:platformId/events', express.text({ type: 'application/json' }), (req, res) => {
    received.push({ platformId: req.params.platformId, headers: req.headers, rawBody: req.body as string });
    res.status(received.length <= failures ? failureStatus : 204).end();
  });
  return { server: await serveOnEphemeralPort(receiver), received };
}

describe('training platforms', () => {
  const course = TRAINING_CATALOG.find((entry) => entry.platformId === 'skill-academy');
  if (course === undefined) throw new Error('catalog lacks skill-academy');
  const purchase = { participantId: 'p-42', platformId: course.platformId, courseId: course.courseId };
  const secrets = parseTrainingPlatformSecrets('skill-academy=academy-secret');
  let receiver: { server: RunningServer; received: ReceivedWebhook[] } | undefined;

  afterEach(async () => {
    await receiver?.server.close();
    receiver = undefined;
  });

  it('offers a catalog of 2020 partner platforms with prices from Rp 100,000 to Rp 1,000,000', async () => {
    const { app } = createSimulators({ populationSize: 10 });
    const catalog = await request(app).get('/sim/training/catalog').expect(200);
    const platforms = new Set(catalog.body.map((entry: { platformId: string }) => entry.platformId));
    expect(platforms).toEqual(new Set(['tokopedia', 'skill-academy', 'maubelajarapa', 'bukalapak', 'pintaria', 'sekolahmu', 'pijar-mahir', 'sisnaker']));
    for (const entry of catalog.body as { price: number }[]) {
      expect(Number.isInteger(entry.price)).toBe(true);
      expect(entry.price).toBeGreaterThanOrEqual(100_000);
      expect(entry.price).toBeLessThanOrEqual(1_000_000);
    }
  });

  it('delivers a signed webhook, retrying while the API answers 5xx', async () => {
    receiver = await startReceiver(2);
    const simulators = createSimulators({ populationSize: 10, jalurApiUrl: receiver.server.url, trainingPlatformSecrets: secrets, webhookRetryPolicy: fastRetries });
    const accepted = await request(simulators.app).post('/sim/training/purchases').send(purchase).expect(202);
    await simulators.state.webhooks.whenIdle();

    expect(receiver.received).toHaveLength(3);
    const last = receiver.received[2];
    if (last === undefined) throw new Error('no delivery');
    expect(last.platformId).toBe('skill-academy');
    expect(JSON.parse(last.rawBody)).toEqual({
      eventId: accepted.body.eventId,
      type: 'PURCHASED',
      participantId: 'p-42',
      platformId: course.platformId,
      courseId: course.courseId,
      price: course.price,
      occurredAt: expect.any(String),
    });
    const verification = verifyWebhookSignature({
      secret: 'academy-secret',
      timestamp: String(last.headers['x-jalur-timestamp']),
      signature: String(last.headers['x-jalur-signature']),
      rawBody: last.rawBody,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    expect(verification.valid).toBe(true);
    // Every attempt carries the same event.
    expect(new Set(receiver.received.map((webhook) => webhook.rawBody)).size).toBe(1);

    const log = await request(simulators.app).get('/sim/training/webhooks').expect(200);
    expect(log.body).toEqual([expect.objectContaining({ eventId: accepted.body.eventId, attempts: 3, lastStatus: 204, state: 'DELIVERED' })]);
    await simulators.close();
  });

  it('stops at the first 4xx other than 408/429, and keeps retrying 429', async () => {
    receiver = await startReceiver(1, 400);
    const simulators = createSimulators({ populationSize: 10, jalurApiUrl: receiver.server.url, webhookRetryPolicy: fastRetries });
    await request(simulators.app).post('/sim/training/completions').send(purchase).expect(202);
    await simulators.state.webhooks.whenIdle();
    expect(receiver.received).toHaveLength(1);
    expect(simulators.state.webhooks.deliveries()[0]).toMatchObject({ attempts: 1, lastStatus: 400, state: 'REJECTED' });
    await receiver.server.close();

    receiver = await startReceiver(2, 429);
    const again = createSimulators({ populationSize: 10, jalurApiUrl: receiver.server.url, webhookRetryPolicy: fastRetries });
    await request(again.app).post('/sim/training/completions').send(purchase).expect(202);
    await again.state.webhooks.whenIdle();
    expect(again.state.webhooks.deliveries()[0]).toMatchObject({ attempts: 3, state: 'DELIVERED' });
    // The dev secret signs for a platform without a configured one.
    const delivered = receiver.received[2];
    expect(
      verifyWebhookSignature({
        secret: 'dev-webhook-secret-skill-academy',
        timestamp: String(delivered?.headers['x-jalur-timestamp']),
        signature: String(delivered?.headers['x-jalur-signature']),
        rawBody: delivered?.rawBody ?? '',
        nowSeconds: Math.floor(Date.now() / 1000),
      }).valid,
    ).toBe(true);
    await Promise.all([simulators.close(), again.close()]);
  });

  it('gives up after the bounded number of attempts when the API is unreachable', async () => {
    const closed = await startReceiver(0);
    const unreachableUrl = closed.server.url;
    await closed.server.close();
    const simulators = createSimulators({ populationSize: 10, jalurApiUrl: unreachableUrl, webhookRetryPolicy: fastRetries });
    await request(simulators.app).post('/sim/training/purchases').send(purchase).expect(202);
    await simulators.state.webhooks.whenIdle();
    expect(simulators.state.webhooks.deliveries()[0]).toMatchObject({ attempts: 4, lastStatus: null, lastError: 'ECONNREFUSED', state: 'GAVE_UP' });
  });

  it('returns a signed request without delivering it when asked, so tests can replay it', async () => {
    receiver = await startReceiver(0);
    const simulators = createSimulators({ populationSize: 10, jalurApiUrl: receiver.server.url, trainingPlatformSecrets: secrets });
    const signed = await request(simulators.app).post('/sim/training/purchases').send({ ...purchase, deliver: false }).expect(200);
    expect(signed.body.url).toBe(`${receiver.server.url}/v1/training-platforms/skill-academy/events`);
    expect(JSON.parse(signed.body.body)).toMatchObject({ type: 'PURCHASED', participantId: 'p-42' });
    expect(receiver.received).toHaveLength(0);
    expect(simulators.state.webhooks.deliveries()).toEqual([]);

    for (let copy = 0; copy < 2; copy += 1) {
      const response = await fetch(signed.body.url, { method: 'POST', headers: signed.body.headers, body: signed.body.body });
      expect(response.status).toBe(204);
    }
    expect(receiver.received.map((webhook) => webhook.rawBody)).toEqual([signed.body.body, signed.body.body]);
  });

  it('refuses unknown courses and malformed requests', async () => {
    const { app } = createSimulators({ populationSize: 10 });
    const unknown = await request(app).post('/sim/training/purchases').send({ ...purchase, courseId: 'nope' }).expect(422);
    expect(unknown.body.error.code).toBe('UNKNOWN_COURSE');
    await request(app).post('/sim/training/purchases').send({ participantId: 'p-1' }).expect(400);
  });

  it('cancels pending retries on reset', async () => {
    receiver = await startReceiver(100);
    const simulators = createSimulators({
      populationSize: 10,
      jalurApiUrl: receiver.server.url,
      webhookRetryPolicy: { ...fastRetries, maxAttempts: 10, baseDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    await request(simulators.app).post('/sim/training/purchases').send(purchase).expect(202);
    await waitFor(() => receiver?.received.length === 1);
    await request(simulators.app).post('/sim/reset').expect(204);
    await simulators.state.webhooks.whenIdle();
    expect(simulators.state.webhooks.deliveries()).toEqual([]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
