// A payment whose answer is lost, retried after the provider has forgotten its idempotency key:
// the provider would pay again (it says so), so our ledger must find out that the first attempt
// was paid and not send the payment a second time.
import { createOpenWave, eventually, FAST_CALENDAR, sim } from '../support/http';
import { ledgerOf, registerAndVerify, selectInWave, setPayoutAccount, takeTraining, waitForState } from '../support/journeys';
import { recordFigures } from './support/figures';

jest.setTimeout(240_000);

const WINDOW_SECONDS = 2;

afterAll(async () => {
  await sim('PUT', '/sim/faults/payments', {});
  await sim('PUT', '/sim/payments/idempotency-window', { seconds: 86_400 });
});

interface ProviderRecord {
  idempotencyKey: string;
  status: string;
  amount: number;
  receivedAt: string;
}

it('pays once when the retry of a paid-but-unanswered payment comes after the idempotency window', async () => {
  const wave = await createOpenWave({ calendar: { ...FAST_CALENDAR, incentiveInterval: 'PT1S' } });
  const { participantId } = await registerAndVerify();
  await setPayoutAccount(participantId);
  await selectInWave(participantId, wave.id);

  expect((await sim('PUT', '/sim/payments/idempotency-window', { seconds: WINDOW_SECONDS })).status).toBe(200);
  // Longer than the worker's 10 s timeout: the provider pays, the worker never hears of it.
  expect((await sim('PUT', '/sim/faults/payments', { latencyMs: 11_000 })).status).toBe(200);
  await takeTraining(participantId, { complete: true });
  const firstKey = `${participantId}:incentive:1`;
  await eventually(async () => ((await ledgerOf(participantId)).some((row) => row.idempotencyKey === firstKey && row.status === 'PENDING') ? true : undefined), 'the first incentive to be claimed');
  // Then an outage: every retry fails until the provider has forgotten the key.
  expect((await sim('PUT', '/sim/faults/payments', { outage: true })).status).toBe(200);
  const paidAt = await eventually(async () => {
    const log = await sim<ProviderRecord[]>('GET', `/sim/payments?participantId=${participantId}`);
    return log.body.find((record) => record.idempotencyKey === firstKey && record.status === 'PAID')?.receivedAt;
  }, 'the provider to pay the first incentive', 30_000);
  const ledgerWhenPaid = (await ledgerOf(participantId)).find((row) => row.idempotencyKey === firstKey);
  // The worker timed out before the provider answered: our ledger does not know it was paid.
  expect(ledgerWhenPaid?.status).toBe('PENDING');
  await new Promise((resolve) => setTimeout(resolve, (WINDOW_SECONDS + 2) * 1000));
  expect((await sim('PUT', '/sim/faults/payments', {})).status).toBe(200);

  const paid = await waitForState(participantId, 'all four incentives', (s) => s.payments.filter((p: { kind: string }) => p.kind === 'INCENTIVE').length === 4, 150_000);
  expect(paid.payments.filter((p: { kind: string }) => p.kind === 'INCENTIVE').map((p: { amount: number }) => p.amount)).toEqual([600_000, 600_000, 600_000, 600_000]);

  const log = (await sim<ProviderRecord[]>('GET', `/sim/payments?participantId=${participantId}`)).body;
  const firstKeyRecords = log.filter((record) => record.idempotencyKey === firstKey);
  const paidForFirstKey = firstKeyRecords.filter((record) => record.status === 'PAID');
  const retriesAfterWindow = firstKeyRecords.filter((record) => Date.parse(record.receivedAt) > Date.parse(paidAt) + WINDOW_SECONDS * 1000).length;
  recordFigures('payment-window', {
    idempotencyWindowSeconds: WINDOW_SECONDS,
    providerRequestsForTheKey: firstKeyRecords.length,
    providerRequestsAfterTheWindow: retriesAfterWindow,
    paidForTheKey: paidForFirstKey.length,
    paidTwice: paidForFirstKey.length > 1 ? 1 : 0,
  });
  expect(paidForFirstKey).toHaveLength(1);
  expect(log.filter((record) => record.status === 'PAID').reduce((sum, record) => sum + record.amount, 0)).toBe(4 * 600_000);
  const incentives = (await ledgerOf(participantId)).filter((row) => row.kind === 'INCENTIVE');
  expect(incentives.map((row) => [row.idempotencyKey, row.status])).toEqual([1, 2, 3, 4].map((n) => [`${participantId}:incentive:${n}`, 'SETTLED']));
});
