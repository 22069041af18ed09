// Training platforms deliver signed webhooks at least once. A redelivered event has no second
// effect; an event whose first delivery crashed half-way (claimed, never applied) is applied by
// the redelivery instead of being lost.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ApiKeyAdministration } from '../../lib/api-keys';
import { createPrismaClient } from '../../lib/database';
import { signWebhook } from '../../lib/webhook-signature';
import { createOpenWave, sim, waitForStage } from '../support/http';
import { registerAndVerify, selectInWave, waitForState } from '../support/journeys';
import { readTestStack } from '../support/test-stack';

jest.setTimeout(120_000);

interface SignedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

async function signedPurchase(participantId: string): Promise<{ request: SignedRequest; price: number; eventId: string; platformId: string; courseId: string }> {
  const catalog = await sim<Array<{ platformId: string; courseId: string; price: number }>>('GET', '/sim/training/catalog');
  const course = [...catalog.body].sort((a, b) => a.price - b.price)[0]!;
  const prepared = await sim<SignedRequest>('POST', '/sim/training/purchases', { participantId, platformId: course.platformId, courseId: course.courseId, deliver: false });
  expect(prepared.status).toBe(200);
  return { request: prepared.body, price: course.price, eventId: JSON.parse(prepared.body.body).eventId, platformId: course.platformId, courseId: course.courseId };
}

const deliver = async ({ url, headers, body }: SignedRequest) => {
  const answer = await fetch(url, { method: 'POST', headers, body });
  return { status: answer.status, body: await answer.json() };
};

async function selectedParticipant() {
  const wave = await createOpenWave();
  const { participantId } = await registerAndVerify();
  await selectInWave(participantId, wave.id);
  return participantId;
}

it('applies a redelivered purchase once', async () => {
  const participantId = await selectedParticipant();
  const { request, price } = await signedPurchase(participantId);
  expect(await deliver(request)).toEqual({ status: 200, body: { status: 'accepted' } });
  expect(await deliver(request)).toEqual({ status: 200, body: { status: 'duplicate' } });
  const inTraining = await waitForStage(participantId, 'IN_TRAINING');
  expect(inTraining.trainingBalance).toBe(1_000_000 - price);
});

it('applies an event whose first delivery was claimed but never applied', async () => {
  const participantId = await selectedParticipant();
  const { request, price, eventId, platformId, courseId } = await signedPurchase(participantId);
  // What a crash between the claim and the journey's answer leaves behind.
  const db = new pg.Client({ connectionString: readTestStack().databaseUrl });
  await db.connect();
  try {
    await db.query(`INSERT INTO "TrainingEvent" ("platformId", "eventId", "participantId", type, "courseId", price) VALUES ($1, $2, $3, 'PURCHASED', $4, $5)`, [
      platformId,
      eventId,
      participantId,
      courseId,
      price,
    ]);
    expect(await deliver(request)).toEqual({ status: 200, body: { status: 'accepted' } });
    const applied = await waitForState(participantId, 'the purchase to be applied', (s) => s.stage === 'IN_TRAINING');
    expect(applied.trainingBalance).toBe(1_000_000 - price);
    const { rows } = await db.query(`SELECT "appliedAt" FROM "TrainingEvent" WHERE "platformId" = $1 AND "eventId" = $2`, [platformId, eventId]);
    expect(rows[0].appliedAt).toBeInstanceOf(Date);
  } finally {
    await db.end();
  }
  expect(await deliver(request)).toEqual({ status: 200, body: { status: 'duplicate' } });
});

/** A request signed as the platform would (the development secret of the test stack), at `timestamp`. */
function signedEvent(event: Record<string, unknown> & { platformId: string }, timestamp = Math.floor(Date.now() / 1000)): SignedRequest {
  const body = JSON.stringify(event);
  return {
    url: `${readTestStack().apiUrl}/v1/training-platforms/${event.platformId}/events`,
    headers: { 'Content-Type': 'application/json', 'X-Jalur-Timestamp': String(timestamp), 'X-Jalur-Signature': signWebhook(`dev-webhook-secret-${event.platformId}`, timestamp, body) },
    body,
  };
}

const completion = (participantId: string, platformId: string) => ({
  eventId: `evt-${randomUUID()}`,
  type: 'COMPLETED',
  participantId,
  platformId,
  courseId: `${platformId}-course`,
  price: 0,
  occurredAt: new Date().toISOString(),
});

it('refuses a completion from a platform the participant bought nothing on', async () => {
  const participantId = await selectedParticipant();
  const { request, platformId } = await signedPurchase(participantId);
  expect((await deliver(request)).status).toBe(200);
  await waitForStage(participantId, 'IN_TRAINING');
  const otherPlatform = platformId === 'pintaria' ? 'tokopedia' : 'pintaria';
  const answer = await deliver(signedEvent(completion(participantId, otherPlatform)));
  expect(answer).toMatchObject({ status: 422, body: { error: { code: 'TRAINING_PLATFORM_MISMATCH' } } });
  expect((await waitForStage(participantId, 'IN_TRAINING')).stage).toBe('IN_TRAINING');
});

it('refuses a replayed request that had been refused, and a stale one', async () => {
  const participantId = await selectedParticipant();
  // Nothing bought yet: the completion is refused (409 WRONG_STAGE), its claim released.
  const refused = signedEvent(completion(participantId, 'tokopedia'));
  expect(await deliver(refused)).toMatchObject({ status: 409, body: { error: { code: 'WRONG_STAGE' } } });
  // Played back byte for byte, within the window: refused as a replay, whatever the journey would say now.
  expect(await deliver(refused)).toMatchObject({ status: 401, body: { error: { code: 'WEBHOOK_REPLAYED' } } });
  // The same event signed anew (a genuine redelivery, another second) is judged again.
  const resigned = signedEvent(JSON.parse(refused.body), Number(refused.headers['X-Jalur-Timestamp']) + 1);
  expect((await deliver(resigned)).status).toBe(409);
  // Signed six minutes ago: outside the five-minute window.
  const stale = signedEvent(completion(participantId, 'tokopedia'), Math.floor(Date.now() / 1000) - 360);
  expect(await deliver(stale)).toMatchObject({ status: 401, body: { error: { code: 'INVALID_SIGNATURE' } } });
});

it('accepts a platform\'s own API key alongside the signature, and no other platform\'s', async () => {
  const prisma = createPrismaClient(readTestStack().databaseUrl);
  try {
    const keys = new ApiKeyAdministration(prisma);
    const own = await keys.create({ name: `tokopedia-${randomUUID().slice(0, 8)}`, role: 'training-platform', platformId: 'tokopedia' });
    const other = await keys.create({ name: `pintaria-${randomUUID().slice(0, 8)}`, role: 'training-platform', platformId: 'pintaria' });
    const event = completion(randomUUID(), 'tokopedia');
    const withKey = (key: string) => {
      const request = signedEvent({ ...event, eventId: `evt-${randomUUID()}` });
      return deliver({ ...request, headers: { ...request.headers, Authorization: `Bearer ${key}` } });
    };
    expect((await withKey(other.key)).status).toBe(403);
    expect((await withKey('dev-backend')).status).toBe(403);
    // Past authentication: a participant nobody registered.
    expect((await withKey(own.key)).status).toBe(404);
  } finally {
    await prisma.$disconnect();
  }
});
