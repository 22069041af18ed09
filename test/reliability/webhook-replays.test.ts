// Training platforms deliver at least once, in any order, and anyone on the path can replay a
// captured request. Concurrent duplicates, a completion that arrives before its purchase, stale
// and tampered replays and re-signed replays of a seen event have no effect beyond the
// first valid delivery. (A purchase under a new event id is a new purchase: participants may buy
// several courses while the balance lasts.)
import { signWebhook, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '../../lib/webhook-signature';
import { createOpenWave, sim, waitForStage } from '../support/http';
import { ledgerOf, registerAndVerify, selectInWave, setPayoutAccount, waitForState } from '../support/journeys';
import { recordFigures } from './support/figures';

jest.setTimeout(180_000);

interface SignedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const DUPLICATES = 20;

async function prepared(kind: 'purchases' | 'completions', participantId: string, course: { platformId: string; courseId: string }): Promise<SignedRequest> {
  const answer = await sim<SignedRequest>('POST', `/sim/training/${kind}`, { participantId, ...course, deliver: false });
  expect(answer.status).toBe(200);
  return answer.body;
}

async function deliver({ url, headers, body }: SignedRequest): Promise<{ status: number; body: any }> {
  const answer = await fetch(url, { method: 'POST', headers, body });
  const text = await answer.text();
  return { status: answer.status, body: text ? JSON.parse(text) : undefined };
}

function resigned(request: SignedRequest, body: string, timestamp: number): SignedRequest {
  const platformId = new URL(request.url).pathname.split('/')[3]!;
  const headers = { ...request.headers, [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp), [WEBHOOK_SIGNATURE_HEADER]: signWebhook(`dev-webhook-secret-${platformId}`, timestamp, body) };
  return { ...request, headers, body };
}

it('applies each training event once, whatever the order, duplication or replay of its deliveries', async () => {
  const wave = await createOpenWave();
  const { participantId } = await registerAndVerify();
  await setPayoutAccount(participantId);
  await selectInWave(participantId, wave.id);
  const catalog = await sim<Array<{ platformId: string; courseId: string; price: number }>>('GET', '/sim/training/catalog');
  const course = [...catalog.body].sort((a, b) => a.price - b.price)[0]!;
  const target = { platformId: course.platformId, courseId: course.courseId };
  const purchase = await prepared('purchases', participantId, target);
  const completion = await prepared('completions', participantId, target);

  // Out of order: the completion before the purchase is refused and leaves nothing behind.
  const early = await deliver(completion);
  expect(early.status).toBeGreaterThanOrEqual(400);
  expect(early.status).toBeLessThan(500);
  expect(early.body.error.code).toMatch(/^[A-Z_]+$/);
  expect((await waitForStage(participantId, 'SELECTED')).training).toBeNull();

  // Concurrent duplicates of the purchase: one effect.
  const purchases = await Promise.all(Array.from({ length: DUPLICATES }, () => deliver(purchase)));
  expect(purchases.filter((answer) => answer.status >= 500)).toEqual([]);
  expect(purchases.filter((answer) => answer.status === 200 && answer.body.status === 'accepted').length).toBeGreaterThanOrEqual(1);
  const inTraining = await waitForStage(participantId, 'IN_TRAINING');
  expect(inTraining.trainingBalance).toBe(1_000_000 - course.price);
  expect(await deliver(purchase)).toEqual({ status: 200, body: { status: 'duplicate' } });

  // Replays: a stale timestamp, a tampered body under the captured signature, and the same
  // purchase under a new event id.
  const stale = resigned(purchase, purchase.body, Math.floor(Date.now() / 1000) - 600);
  expect(await deliver(stale)).toMatchObject({ status: 401, body: { error: { code: 'INVALID_SIGNATURE' } } });
  const tampered = { ...purchase, body: purchase.body.replace(`"price":${course.price}`, '"price":0') };
  expect(tampered.body).not.toBe(purchase.body);
  expect(await deliver(tampered)).toMatchObject({ status: 401, body: { error: { code: 'INVALID_SIGNATURE' } } });
  // Re-signed with a fresh timestamp (what a replayer holding the secret, or the platform's own
  // retry, sends): the event id says it was seen.
  expect(await deliver(resigned(purchase, purchase.body, Math.floor(Date.now() / 1000)))).toEqual({ status: 200, body: { status: 'duplicate' } });

  // The completion, refused before, is valid now. Its refused request sent again as it was is a
  // replay (a redelivery is signed anew); redelivered, it is applied once, then a duplicate.
  expect(await deliver(completion)).toMatchObject({ status: 401, body: { error: { code: 'WEBHOOK_REPLAYED' } } });
  // Signed anew: a later second than the refused request's (within one second the signature would be the same bytes).
  const refusedAt = Number(completion.headers[WEBHOOK_TIMESTAMP_HEADER]);
  expect(Number.isInteger(refusedAt)).toBe(true);
  const redelivered = resigned(completion, completion.body, Math.max(Math.floor(Date.now() / 1000), refusedAt + 1));
  const completions = await Promise.all(Array.from({ length: DUPLICATES }, () => deliver(redelivered)));
  expect(completions.filter((answer) => answer.status >= 500)).toEqual([]);
  expect(completions.filter((answer) => answer.status === 200 && answer.body.status === 'accepted').length).toBeGreaterThanOrEqual(1);
  expect(await deliver(redelivered)).toEqual({ status: 200, body: { status: 'duplicate' } });

  const paid = await waitForState(participantId, 'all four incentives', (s) => s.payments.filter((p: { kind: string }) => p.kind === 'INCENTIVE').length === 4, 90_000);
  expect(paid.trainingBalance).toBe(1_000_000 - course.price);
  const ledger = await ledgerOf(participantId);
  expect(ledger.filter((row) => row.kind === 'TRAINING_PURCHASE').map((row) => row.amount)).toEqual([-course.price]);
  expect(ledger.filter((row) => row.kind === 'TRAINING_CREDIT').map((row) => row.amount)).toEqual([1_000_000]);
  // A moment more: no fifth incentive from the duplicated completions.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const provider = await sim<Array<{ idempotencyKey: string; status: string }>>('GET', `/sim/payments?participantId=${participantId}`);
  const incentiveKeys = provider.body.filter((record) => record.status === 'PAID' && record.idempotencyKey.includes(':incentive:')).map((record) => record.idempotencyKey);
  expect(incentiveKeys.sort()).toEqual([1, 2, 3, 4].map((n) => `${participantId}:incentive:${n}`));
  recordFigures('webhook-replays', {
    concurrentDuplicatesPerEvent: DUPLICATES,
    deliveries: 1 + DUPLICATES + 1 + 3 + 1 + DUPLICATES + 1,
    replaysRefusedOrDuplicate: 4,
    purchasesApplied: ledger.filter((row) => row.kind === 'TRAINING_PURCHASE').length,
    incentivesPaid: incentiveKeys.length,
  });
});
