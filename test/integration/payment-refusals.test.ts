// What each answer of the payment provider does to a payout: the real ledger activity on the test
// stack's database, against a provider that answers as told. A refusal no account fixes fails the
// payout once, typed, and stays on the ledger row; an outage is waited out; an account the
// provider will not pay blocks the payout; a key an earlier attempt was paid under settles it.
import { randomUUID } from 'node:crypto';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import express from 'express';
import { PaymentProviderClient } from '../../activities/clients/payment-provider-client';
import { createLedgerActivities, type PayoutKind } from '../../activities/ledger';
import { loadConfig } from '../../lib/config';
import { PersonalDataCipher } from '../../lib/personal-data';
import { temporalDataConverter, WORKFLOW_BUNDLE_CONVERTERS } from '../../lib/temporal/connection';
import { serveOnEphemeralPort, type RunningServer } from '../../simulators/test-servers';
import { getStateQuery, setPayoutAccountUpdate } from '../../workflows/participant-journey.definitions';
import { outsideSystemTaskQueue } from '../../workflows/outside-system-queues';
import { connectTestDatabase } from '../support/clients';
import { testPayees } from '../support/payees';
import { readTestStack } from '../support/test-stack';

jest.setTimeout(120_000);

interface ProviderAnswer {
  status: number;
  body: unknown;
  retryAfterSeconds?: number;
}

/** A payment provider that gives the queued answers to disbursements, then pays. */
function scriptedProvider() {
  const script = { answers: [] as ProviderAnswer[], disbursementRequestsAt: [] as number[], paidUnderKey: [] as Array<{ disbursementId: string; amount: number }> };
  const app = express();
  app.use(express.json());
  app.post('/payments/v1/disbursements', (req, res) => {
    script.disbursementRequestsAt.push(Date.now());
    const body = req.body as { amount: number };
    const answer = script.answers.shift() ?? {
      status: 201,
      body: { disbursementId: `dsb_${randomUUID()}`, status: 'COMPLETED', amount: body.amount, idempotencyKey: req.get('Idempotency-Key') },
    };
    if (answer.retryAfterSeconds !== undefined) res.set('Retry-After', String(answer.retryAfterSeconds));
    res.status(answer.status).json(answer.body);
  });
  app.get('/payments/v1/disbursements', (req, res) => {
    res.json(script.paidUnderKey.map((paid) => ({ ...paid, status: 'COMPLETED', idempotencyKey: req.query.idempotencyKey })));
  });
  return { app, script };
}

const refusal = (status: number, code: string, fields?: string[]) => ({ status, body: { error: { code, message: 'refused', fields: fields?.map((path) => ({ path, message: 'invalid' })) } } });

const stack = readTestStack();
const config = loadConfig(stack.env);
const prisma = connectTestDatabase();
const cipher = new PersonalDataCipher(config.personalDataEncryption, config.blindIndexKey);
const payees = testPayees(prisma, cipher, 'payment-refusals');
const provider = scriptedProvider();
let providerServer: RunningServer;
let ledger: ReturnType<typeof createLedgerActivities>;

const payout = (participantId: string) => ({ participantId, kind: 'INCENTIVE' as PayoutKind, sequence: 1, amount: 600_000 });

beforeAll(async () => {
  providerServer = await serveOnEphemeralPort(provider.app);
  ledger = createLedgerActivities({ prisma, personalData: cipher, paymentProvider: new PaymentProviderClient({ baseUrl: providerServer.url, timeoutMs: 5_000 }) });
});

beforeEach(() => {
  provider.script.answers = [];
  provider.script.disbursementRequestsAt = [];
  provider.script.paidUnderKey = [];
});

afterAll(async () => {
  await payees.removeAll();
  await prisma.$disconnect();
  await providerServer.close();
});


const payoutRow = (participantId: string) => prisma.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: `${participantId}:incentive:1` } });

describe("the journey's payment step", () => {
  it('waits as PAYMENT_REFUSED when the provider refuses a payment for good, and pays once a new payout account is given', async () => {
    const participantId = await payees.create();
    provider.script.answers = [refusal(400, 'VALIDATION_FAILED', ['body.amount'])];
    const dataConverter = temporalDataConverter(config);
    const taskQueue = `payment-refusals-journey-${randomUUID()}`;
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../support/workflows/paying-journey'), ...WORKFLOW_BUNDLE_CONVERTERS, logger: undefined });
    const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      // The journey's own activities, but for the account store this step does not exercise.
      const journeyWorker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: { code }, activities: { storePayoutAccount: async () => undefined }, dataConverter });
      const paymentsWorker = await Worker.create({ connection: nativeConnection, taskQueue: outsideSystemTaskQueue(taskQueue, 'payments'), activities: { payParticipant: ledger.payParticipant }, dataConverter });
      const client = new Client({ connection, dataConverter });
      const input = { participantId, province: 'DKI Jakarta', employmentStatus: 'LAID_OFF' as const, microBusinessLostIncome: false, channel: 'SELF' as const, registeredAt: new Date().toISOString() };
      const handle = await client.workflow.start('payingJourney', { taskQueue, workflowId: `payment-refusals-journey-${participantId}`, args: [input] });
      const journey = (async () => {
        const deadline = Date.now() + 30_000;
        while ((await handle.query(getStateQuery)).payoutBlocked !== 'PAYMENT_REFUSED') {
          if (Date.now() > deadline) throw new Error('the journey never showed the refusal');
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(provider.script.disbursementRequestsAt).toHaveLength(1);
        expect(await payoutRow(participantId)).toMatchObject({ status: 'PENDING', failureCode: 'VALIDATION_FAILED' });
        await handle.executeUpdate(setPayoutAccountUpdate, { args: [{ sealedAccount: 'sealed' }] });
        return handle.result();
      })();
      const finished = await paymentsWorker.runUntil(journeyWorker.runUntil(journey));
      expect(finished.payments).toEqual([expect.objectContaining({ kind: 'INCENTIVE', sequence: 1, amount: 600_000 })]);
      expect(finished.payoutBlocked).toBeUndefined();
      expect(provider.script.disbursementRequestsAt).toHaveLength(2);
      expect(await payoutRow(participantId)).toMatchObject({ status: 'SETTLED', failureCode: null });
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });
});

describe('under the journey\'s payment retry profile', () => {
  async function runPayout(participantId: string): Promise<unknown> {
    const dataConverter = temporalDataConverter(config);
    const taskQueue = `payment-refusals-${randomUUID()}`;
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../support/workflows/paying-participant'), ...WORKFLOW_BUNDLE_CONVERTERS, logger: undefined });
    const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: { code }, activities: { payParticipant: ledger.payParticipant }, dataConverter });
      const client = new Client({ connection, dataConverter });
      const run = client.workflow.execute('payingParticipant', { taskQueue, workflowId: `payment-refusals-${participantId}`, args: [payout(participantId)] });
      return await worker.runUntil(run.catch((error: unknown) => error));
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  }

  it('a refusal no account fixes fails the payout after one request, typed, and stays on the ledger row', async () => {
    const participantId = await payees.create();
    provider.script.answers = [refusal(400, 'VALIDATION_FAILED', ['body.amount'])];

    const outcome = await runPayout(participantId);
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (outcome as WorkflowFailedError).cause;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    expect(activityFailure?.cause).toBeInstanceOf(ApplicationFailure);
    expect(activityFailure?.cause).toMatchObject({ type: 'PAYMENTS_VALIDATION_FAILED', nonRetryable: true });
    expect(provider.script.disbursementRequestsAt).toHaveLength(1);
    expect(await payoutRow(participantId)).toMatchObject({ status: 'PENDING', failureCode: 'VALIDATION_FAILED', providerReference: null });
  });

  it('an outage is waited out, as long as Retry-After asks, and the payout is paid once', async () => {
    const participantId = await payees.create();
    // Longer than the first retry's own backoff (at most 2 s), so only Retry-After explains the wait.
    provider.script.answers = [{ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE' } }, retryAfterSeconds: 3 }];

    await expect(runPayout(participantId)).resolves.toMatchObject({ status: 'PAID' });
    const [outageAt, paidAt] = provider.script.disbursementRequestsAt;
    expect(provider.script.disbursementRequestsAt).toHaveLength(2);
    expect(paidAt! - outageAt!).toBeGreaterThanOrEqual(3_000);
    expect(await payoutRow(participantId)).toMatchObject({ status: 'SETTLED', failureCode: null });
  });
});

describe('payParticipant', () => {
  const pay = (participantId: string) => new MockActivityEnvironment().run(() => ledger.payParticipant(payout(participantId)));

  it('blocks on account details the provider will not pay, until the participant gives others', async () => {
    const participantId = await payees.create();
    provider.script.answers = [refusal(400, 'VALIDATION_FAILED', ['body.account.accountNumber'])];

    await expect(pay(participantId)).resolves.toMatchObject({ status: 'ACCOUNT_INVALID' });
    expect(await payoutRow(participantId)).toMatchObject({ status: 'PENDING', failureCode: 'VALIDATION_FAILED' });
    await expect(pay(participantId)).resolves.toMatchObject({ status: 'PAID' });
    expect(await payoutRow(participantId)).toMatchObject({ status: 'SETTLED', failureCode: null });
  });

  it('blocks on a closed account, as before', async () => {
    const participantId = await payees.create();
    provider.script.answers = [refusal(422, 'ACCOUNT_CLOSED')];

    await expect(pay(participantId)).resolves.toMatchObject({ status: 'ACCOUNT_CLOSED' });
    expect(await payoutRow(participantId)).toMatchObject({ status: 'PENDING', failureCode: 'ACCOUNT_CLOSED' });
  });

  it('settles, without paying again, a key an attempt in flight was paid under with other details', async () => {
    const participantId = await payees.create();
    provider.script.answers = [refusal(409, 'IDEMPOTENCY_KEY_REUSED')];
    provider.script.paidUnderKey = [{ disbursementId: 'dsb_earlier', amount: 600_000 }];

    await expect(pay(participantId)).resolves.toMatchObject({ status: 'PAID' });
    expect(provider.script.disbursementRequestsAt).toHaveLength(1);
    expect(await payoutRow(participantId)).toMatchObject({ status: 'SETTLED', providerReference: 'dsb_earlier', failureCode: null });
  });

  it('fails for good on a reused key the provider holds no payment under', async () => {
    const participantId = await payees.create();
    provider.script.answers = [refusal(409, 'IDEMPOTENCY_KEY_REUSED')];

    await expect(pay(participantId)).rejects.toMatchObject({ type: 'PAYMENTS_IDEMPOTENCY_KEY_REUSED', nonRetryable: true });
    expect(await payoutRow(participantId)).toMatchObject({ status: 'PENDING', failureCode: 'IDEMPOTENCY_KEY_REUSED' });
  });
});
