// Every refusal the simulated payment provider gives, as the engine's client receives it: those
// another payout account fixes block the payout; the rest fail the activity for good, typed.
import { MockActivityEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { OutsideSystemRejectedError } from '../../../activities/clients/errors';
import { PaymentProviderClient, type DisbursementInstruction } from '../../../activities/clients/payment-provider-client';
import { payoutBlockedBy } from '../../../activities/ledger';
import { callOutsideSystem } from '../../../activities/outside-call';
import { createSimulators } from '../../../simulators/app';
import { serveOnEphemeralPort, type RunningServer } from '../../../simulators/test-servers';

const simulators = createSimulators({ populationSize: 10 });
let server: RunningServer;
let payments: PaymentProviderClient;

beforeAll(async () => {
  server = await serveOnEphemeralPort(simulators.app);
  payments = new PaymentProviderClient({ baseUrl: server.url, timeoutMs: 2000 });
});

afterAll(async () => {
  await server.close();
  await simulators.close();
});

beforeEach(() => simulators.reset());

const instruction: DisbursementInstruction = {
  idempotencyKey: 'p-7:incentive:1',
  participantId: 'p-7',
  amount: 600_000,
  purpose: 'incentive 1',
  account: { type: 'BANK', provider: 'BNI', accountNumber: '0123456789', accountName: 'Dewi Lestari' },
};

async function refusalOf(sent: DisbursementInstruction): Promise<OutsideSystemRejectedError> {
  const refusal: unknown = await payments.disburse(sent).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(refusal instanceof OutsideSystemRejectedError)) throw new Error(`expected a refusal, got ${String(refusal)}`);
  return refusal;
}

describe('refusals another payout account fixes', () => {
  it('a closed account blocks the payout as ACCOUNT_CLOSED', async () => {
    await request(simulators.app).post('/sim/payments/closed-accounts').send({ accountNumber: instruction.account.accountNumber }).expect(201);
    expect(payoutBlockedBy(await refusalOf(instruction))).toBe('ACCOUNT_CLOSED');
  });

  it('account details the provider will not take leave the participant without a payout account', async () => {
    const refusal = await refusalOf({ ...instruction, account: { ...instruction.account, accountNumber: '1'.repeat(65) } });
    expect(refusal).toMatchObject({ code: 'VALIDATION_FAILED', refusedFields: ['body.account.accountNumber'] });
    expect(payoutBlockedBy(refusal)).toBe('ACCOUNT_INVALID');
  });
});

describe('refusals no account fixes', () => {
  it.each([
    ['an amount the provider will not pay', { ...instruction, amount: 200_000_000 }, 'PAYMENTS_VALIDATION_FAILED'],
    ['a request refused for the account and the amount together', { ...instruction, amount: 200_000_000, account: { ...instruction.account, accountName: '' } }, 'PAYMENTS_VALIDATION_FAILED'],
  ])('%s fails the activity for good', async (_case, sent, type) => {
    const refusal = await refusalOf(sent);
    expect(payoutBlockedBy(refusal)).toBeUndefined();
    const failure = new MockActivityEnvironment().run(() => callOutsideSystem(() => Promise.reject(refusal)).catch((thrown: unknown) => thrown));
    await expect(failure).resolves.toMatchObject({ type, nonRetryable: true });
  });

  it('a key reused for another instruction is no account problem', async () => {
    await payments.disburse(instruction);
    const refusal = await refusalOf({ ...instruction, account: { ...instruction.account, accountNumber: '9876543210' } });
    expect(refusal).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(payoutBlockedBy(refusal)).toBeUndefined();
  });
});
