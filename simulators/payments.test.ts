import request from 'supertest';
import { createSimulators } from './app';

const account = { type: 'BANK', provider: 'BNI', accountNumber: '0123456789', accountName: 'Budi Santoso' };

function disbursement(overrides: Record<string, unknown> = {}) {
  return { participantId: 'p-1', amount: 600_000, currency: 'IDR', purpose: 'INCENTIVE_1', account, ...overrides };
}

describe('payment provider', () => {
  let nowMs = Date.UTC(2020, 3, 20, 3, 0, 0);
  const simulators = createSimulators({ populationSize: 10, paymentsIdempotencyWindowSeconds: 3600, now: () => nowMs });
  const { app } = simulators;
  const disburse = (key: string | undefined, body: object) => {
    const call = request(app).post('/payments/v1/disbursements');
    return (key === undefined ? call : call.set('Idempotency-Key', key)).send(body);
  };

  beforeEach(() => {
    simulators.reset();
  });

  it('pays once per idempotency key and replays the same disbursement', async () => {
    const first = await disburse('p-1:INCENTIVE:1', disbursement()).expect(201);
    expect(first.body).toMatchObject({ status: 'COMPLETED', amount: 600_000, idempotencyKey: 'p-1:INCENTIVE:1' });
    expect(first.body.disbursementId).toMatch(/^dsb_/);

    const replay = await disburse('p-1:INCENTIVE:1', disbursement()).expect(200);
    expect(replay.body).toEqual(first.body);

    const summary = await request(app).get('/sim/payments/summary').expect(200);
    expect(summary.body).toMatchObject({ requests: 2, paid: { count: 1, amount: 600_000 }, replayed: 1, rejected: 0, failed: 0, participantsPaid: 1 });
  });

  it('refuses a key reused for a different payment with 409', async () => {
    await disburse('p-1:INCENTIVE:1', disbursement()).expect(201);
    const otherAmount = await disburse('p-1:INCENTIVE:1', disbursement({ amount: 50_000 })).expect(409);
    expect(otherAmount.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await disburse('p-1:INCENTIVE:1', disbursement({ participantId: 'p-2' })).expect(409);
    const summary = await request(app).get('/sim/payments/summary').expect(200);
    expect(summary.body.paid.count).toBe(1);
    expect(summary.body.rejected).toBe(2);
  });

  it('refuses closed accounts with 422 and pays nothing, without using up the key', async () => {
    await request(app).post('/sim/payments/closed-accounts').send({ accountNumber: account.accountNumber }).expect(201);
    const refused = await disburse('p-1:INCENTIVE:1', disbursement()).expect(422);
    expect(refused.body.error.code).toBe('ACCOUNT_CLOSED');

    await request(app).delete(`/sim/payments/closed-accounts/${account.accountNumber}`).expect(204);
    await request(app).delete(`/sim/payments/closed-accounts/${account.accountNumber}`).expect(404);
    await disburse('p-1:INCENTIVE:1', disbursement()).expect(201);

    const log = await request(app).get('/sim/payments').query({ participantId: 'p-1' }).expect(200);
    expect(log.body.map((entry: { status: string }) => entry.status)).toEqual(['REJECTED', 'PAID']);
    expect(log.body[0]).toMatchObject({ reason: 'ACCOUNT_CLOSED' });
    expect(log.body[0].disbursementId).toBeUndefined();
  });

  it('forgets keys after the idempotency window, so a late replay pays again', async () => {
    const first = await disburse('p-1:INCENTIVE:1', disbursement()).expect(201);
    nowMs += 3599 * 1000;
    await disburse('p-1:INCENTIVE:1', disbursement()).expect(200);
    nowMs += 1000;
    const second = await disburse('p-1:INCENTIVE:1', disbursement()).expect(201);
    expect(second.body.disbursementId).not.toBe(first.body.disbursementId);

    const summary = await request(app).get('/sim/payments/summary').query({ byParticipant: 'true' }).expect(200);
    expect(summary.body.paid).toEqual({ count: 2, amount: 1_200_000 });
    expect(summary.body.byParticipant).toEqual({ 'p-1': { paidCount: 2, paidAmount: 1_200_000 } });
  });

  it('finds the disbursements made under a key long after the window, and lets a test shorten the window', async () => {
    await request(app).put('/sim/payments/idempotency-window').send({ seconds: 2 }).expect(200, { seconds: 2 });
    const first = await disburse('p-1:INCENTIVE:1', disbursement()).expect(201);
    nowMs += 2000;
    const second = await disburse('p-1:INCENTIVE:1', disbursement()).expect(201);
    nowMs += 86_400_000;
    const found = await request(app).get('/payments/v1/disbursements').query({ idempotencyKey: 'p-1:INCENTIVE:1' }).expect(200);
    expect(found.body.map((d: { disbursementId: string }) => d.disbursementId)).toEqual([first.body.disbursementId, second.body.disbursementId]);
    await request(app).get('/payments/v1/disbursements').query({ idempotencyKey: 'p-9:INCENTIVE:1' }).expect(200, []);
    await request(app).get('/payments/v1/disbursements').expect(400);
    await request(app).put('/sim/payments/idempotency-window').send({ seconds: 0 }).expect(400);
    simulators.reset();
    await request(app).get('/sim/payments/idempotency-window').expect(200, { seconds: 3600 });
  });

  it('logs every request in order, per participant, without account details', async () => {
    await disburse('p-1:INCENTIVE:1', disbursement()).expect(201);
    await disburse('p-2:INCENTIVE:1', disbursement({ participantId: 'p-2' })).expect(201);
    await disburse('p-1:INCENTIVE:1', disbursement()).expect(200);
    await request(app).put('/sim/faults/payments').send({ outage: true }).expect(200);
    await disburse('p-1:INCENTIVE:2', disbursement({ purpose: 'INCENTIVE_2' })).expect(503);
    await request(app).delete('/sim/faults').expect(204);

    const all = await request(app).get('/sim/payments').expect(200);
    expect(all.body).toHaveLength(4);
    const forP1 = await request(app).get('/sim/payments').query({ participantId: 'p-1' }).expect(200);
    expect(forP1.body).toEqual([
      expect.objectContaining({ idempotencyKey: 'p-1:INCENTIVE:1', amount: 600_000, purpose: 'INCENTIVE_1', status: 'PAID', disbursementId: expect.any(String) }),
      expect.objectContaining({ idempotencyKey: 'p-1:INCENTIVE:1', status: 'REPLAYED', disbursementId: forP1.body[0].disbursementId }),
      expect.objectContaining({ idempotencyKey: 'p-1:INCENTIVE:2', purpose: 'INCENTIVE_2', status: 'FAILED', reason: 'outage' }),
    ]);
    expect(JSON.stringify(all.body)).not.toContain(account.accountNumber);
    expect(forP1.body[0].receivedAt).toBe(new Date(nowMs).toISOString());
  });

  it('requires the Idempotency-Key header and a valid body', async () => {
    const noKey = await disburse(undefined, disbursement()).expect(400);
    expect(noKey.body.error.fields).toEqual([expect.objectContaining({ path: 'headers.idempotency-key' })]);
    const badBody = await disburse('k', disbursement({ amount: 600_000.5, currency: 'USD' })).expect(400);
    expect(badBody.body.error.fields.map((field: { path: string }) => field.path).sort()).toEqual(['body.amount', 'body.currency']);
    const log = await request(app).get('/sim/payments').expect(200);
    expect(log.body).toEqual([]);
  });
});

describe('payment provider statements', () => {
  // 2020-04-20 10:00 WIB.
  let nowMs = Date.UTC(2020, 3, 20, 3, 0, 0);
  const simulators = createSimulators({ populationSize: 10, paymentsIdempotencyWindowSeconds: 3600, now: () => nowMs });
  const { app } = simulators;
  const day = '2020-04-20';

  async function payFive(): Promise<string[]> {
    const keys: string[] = [];
    for (let n = 1; n <= 5; n++) {
      nowMs += 60_000;
      const key = `p-${n}:incentive:1`;
      await request(app).post('/payments/v1/disbursements').set('Idempotency-Key', key).send(disbursement({ participantId: `p-${n}` })).expect(201);
      keys.push(key);
    }
    return keys;
  }

  async function wholeStatement(limit: number): Promise<Array<{ idempotencyKey: string; amount: number; status: string; disbursementId: string }>> {
    const lines = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await request(app).get(`/payments/v1/statements/${day}`).query({ limit, ...(cursor === null ? {} : { cursor }) }).expect(200);
      lines.push(...page.body.lines);
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    return lines;
  }

  beforeEach(() => {
    nowMs = Date.UTC(2020, 3, 20, 3, 0, 0);
    simulators.reset();
  });

  it('lists the day\'s disbursements in pages, none of another WIB day', async () => {
    const keys = await payFive();
    nowMs = Date.UTC(2020, 3, 20, 17, 30, 0); // 00:30 WIB on the 21st
    await request(app).post('/payments/v1/disbursements').set('Idempotency-Key', 'p-9:incentive:1').send(disbursement({ participantId: 'p-9' })).expect(201);
    const lines = await wholeStatement(2);
    expect(lines.map((line) => line.idempotencyKey)).toEqual(keys);
    expect(lines.every((line) => line.status === 'COMPLETED' && line.amount === 600_000)).toBe(true);
  });

  it('falsifies one line per knob, the same lines on every read', async () => {
    const keys = await payFive();
    const faulted = await request(app).put(`/sim/payments/statement-faults/${day}`).send({ missing: 1, duplicate: 1, wrongAmount: 1, reversal: 1, unknown: 1 }).expect(200);
    const { effects } = faulted.body;
    const touched = [...effects.missing, ...effects.duplicate, ...effects.wrongAmount, ...effects.reversal];
    expect(new Set(touched).size).toBe(4);
    expect(touched.every((key: string) => keys.includes(key))).toBe(true);

    const lines = await wholeStatement(3);
    expect(lines.filter((line) => line.idempotencyKey === effects.missing[0])).toEqual([]);
    expect(lines.filter((line) => line.idempotencyKey === effects.duplicate[0])).toHaveLength(2);
    expect(lines.find((line) => line.idempotencyKey === effects.wrongAmount[0])?.amount).toBe(650_000);
    expect(lines.find((line) => line.idempotencyKey === effects.reversal[0])?.status).toBe('REVERSED');
    expect(lines.find((line) => line.idempotencyKey === effects.unknown[0])).toMatchObject({ amount: 600_000, status: 'COMPLETED' });
    expect(new Set(lines.map((line) => line.disbursementId)).size).toBe(lines.length);
    expect(await wholeStatement(100)).toEqual(lines);
  });

  it('shows a payment made or a knob turned after the statement was last read', async () => {
    const keys = await payFive();
    expect((await wholeStatement(2)).map((line) => line.idempotencyKey)).toEqual(keys);
    nowMs += 60_000;
    await request(app).post('/payments/v1/disbursements').set('Idempotency-Key', 'p-6:incentive:1').send(disbursement({ participantId: 'p-6' })).expect(201);
    expect((await wholeStatement(2)).map((line) => line.idempotencyKey)).toEqual([...keys, 'p-6:incentive:1']);
    const faulted = await request(app).put(`/sim/payments/statement-faults/${day}`).send({ missing: 1 }).expect(200);
    expect((await wholeStatement(2)).map((line) => line.idempotencyKey)).toEqual([...keys, 'p-6:incentive:1'].filter((key) => key !== faulted.body.effects.missing[0]));
    await request(app).put(`/sim/payments/statement-faults/${day}`).send({}).expect(200);
    expect(await wholeStatement(100)).toHaveLength(6);
  });

  it('refuses a malformed day or cursor', async () => {
    await request(app).get('/payments/v1/statements/20-04-2020').expect(400);
    await request(app).get(`/payments/v1/statements/${day}?cursor=abc`).expect(400);
    await request(app).put(`/sim/payments/statement-faults/${day}`).send({ missing: -1 }).expect(400);
  });
});
