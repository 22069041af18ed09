// Training platforms deliver signed webhooks at least once. A redelivered event has no second
// effect; an event whose first delivery crashed half-way (claimed, never applied) is applied by
// the redelivery instead of being lost.
import pg from 'pg';
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
