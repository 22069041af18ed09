// Killing the worker in the middle of a payment, then starting another: the participant is
// paid exactly once. The provider is slowed down so the payment is surely in flight when the
// worker dies; the retry on the new worker reuses the idempotency key and the ledger row.
import { api, createOpenWave, eventually, FAST_CALENDAR, KEYS, sim, waitForStage } from '../support/http';
import { ledgerOf, registerAndVerify, selectInWave, setPayoutAccount, takeTraining, waitForState } from '../support/journeys';
import { killStackWorker, startReplacementWorker } from '../support/worker-control';
import { recordHistory } from '../support/replay-histories';
import { connectTestDatabase } from '../support/clients';

jest.setTimeout(240_000);

afterAll(async () => {
  await sim('PUT', '/sim/faults/payments', {});
});

it('pays once when the worker is killed in the middle of a payment', async () => {
  const wave = await createOpenWave({ calendar: { ...FAST_CALENDAR, incentiveInterval: 'PT1S' } });
  const { participantId } = await registerAndVerify();
  await setPayoutAccount(participantId);
  await selectInWave(participantId, wave.id);

  // Slow enough that the worker is surely mid-request when it dies.
  expect((await sim('PUT', '/sim/faults/payments', { latencyMs: 4_000 })).status).toBe(200);
  await takeTraining(participantId, { complete: true });
  const firstKey = `${participantId}:incentive:1`;
  // The ledger row is claimed just before the provider is called.
  await eventually(async () => ((await ledgerOf(participantId)).some((row) => row.idempotencyKey === firstKey && row.status === 'PENDING') ? true : undefined), 'the first incentive to be claimed');
  await new Promise((resolve) => setTimeout(resolve, 500));
  await killStackWorker();
  await sim('PUT', '/sim/faults/payments', {});
  await startReplacementWorker();

  // The lost activity times out (start-to-close) and is retried on the new worker.
  const paid = await waitForState(participantId, 'all four incentives', (s) => s.payments.filter((p: { kind: string }) => p.kind === 'INCENTIVE').length === 4, 150_000);
  expect(paid.payments.map((p: { sequence: number; amount: number }) => [p.sequence, p.amount])).toEqual([1, 2, 3, 4].map((n) => [n, 600_000]));

  const provider = await sim<Array<{ idempotencyKey: string; status: string; amount: number; disbursementId?: string }>>('GET', `/sim/payments?participantId=${participantId}`);
  const firstKeyRequests = provider.body.filter((r) => r.idempotencyKey === firstKey);
  // The request in flight was paid by the provider; the retry asked the provider what it had
  // paid under the key (it may have forgotten the key for idempotency by then) instead of sending
  // the payment again, and recorded that disbursement.
  expect(firstKeyRequests.map((r) => r.status)).toEqual(['PAID']);
  expect(provider.body.filter((r) => r.status === 'PAID').reduce((sum, r) => sum + r.amount, 0)).toBe(4 * 600_000);
  const db = connectTestDatabase();
  try {
    const firstRow = await db.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: firstKey } });
    expect(firstRow.providerReference).toBe(firstKeyRequests[0]!.disbursementId);
  } finally {
    await db.$disconnect();
  }

  const incentives = (await ledgerOf(participantId)).filter((row) => row.kind === 'INCENTIVE');
  expect(incentives.map(({ idempotencyKey, status, amount }) => [idempotencyKey, status, amount])).toEqual(
    [1, 2, 3, 4].map((n) => [`${participantId}:incentive:${n}`, 'SETTLED', 600_000]),
  );

  await api('POST', `/v1/participants/${participantId}/cancellation`, { key: KEYS.operator, body: { reason: 'end of test' } });
  await waitForStage(participantId, 'CANCELLED');
  await recordHistory(`participant-${participantId}`, 'journey-worker-crash');
});
