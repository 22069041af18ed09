// The daily reconciliation end to end on the test stack's database, Temporal and API: real
// payouts settled by the ledger activity against a payment simulator whose clock stands on a day
// of this run's own (so nothing else the stack paid falls on it), one statement fault of each
// kind injected, the workflow run twice, and a case closed through the API.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import request from 'supertest';
import { PaymentProviderClient } from '../../activities/clients/payment-provider-client';
import { createLedgerActivities, type PayoutResult } from '../../activities/ledger';
import { createPaymentReconciliationActivities } from '../../activities/payment-reconciliation';
import { loadConfig } from '../../lib/config';
import { PersonalDataCipher } from '../../lib/personal-data';
import { programDateAt, startOfProgramDay } from '../../lib/program-day';
import { temporalDataConverter, WORKFLOW_BUNDLE_CONVERTERS } from '../../lib/temporal/connection';
import { createSimulators } from '../../simulators/app';
import { serveOnEphemeralPort, type RunningServer } from '../../simulators/test-servers';
import { DAILY_RECONCILIATION_SCHEDULE_ID, reconciliationWorkflowId, type DailyReconciliationInput, type ReconciliationTotals } from '../../workflows/daily-reconciliation.definitions';
import { outsideSystemTaskQueue } from '../../workflows/outside-system-queues';
import { launchChromium } from '../support/browser';
import { connectTestDatabase, connectTestTemporal } from '../support/clients';
import { api, KEYS } from '../support/http';
import { testPayees } from '../support/payees';
import { readTestStack } from '../support/test-stack';

jest.setTimeout(180_000);

const UI_TIMEOUT = 15_000;

const stack = readTestStack();
const config = loadConfig(stack.env);
const prisma = connectTestDatabase();
const cipher = new PersonalDataCipher(config.personalDataEncryption, config.blindIndexKey);
const payees = testPayees(prisma, cipher, 'payment-reconciliation');
const PAYOUTS = 6;

// A WIB day of this run's own, between 2000 and 2019: no payout of any other test settles on it.
const day = new Date(Date.UTC(2000, 0, 1) + Math.floor(Math.random() * 7000) * 86_400_000).toISOString().slice(0, 10);
const dayColumn = new Date(`${day}T00:00:00Z`);
let simulatorNowMs = startOfProgramDay(day).getTime() + 9 * 3_600_000;
const simulators = createSimulators({ populationSize: 10, now: () => simulatorNowMs });
let provider: RunningServer;

async function cleanUpDay(): Promise<void> {
  await prisma.reconciliationResolution.deleteMany({ where: { discrepancy: { day: dayColumn } } });
  await prisma.reconciliationDiscrepancy.deleteMany({ where: { day: dayColumn } });
  await prisma.reconciliationStatementLine.deleteMany({ where: { day: dayColumn } });
  await prisma.reconciliationRun.deleteMany({ where: { day: dayColumn } });
}

beforeAll(async () => {
  provider = await serveOnEphemeralPort(simulators.app);
  await cleanUpDay();
});

afterAll(async () => {
  await cleanUpDay();
  await payees.removeAll();
  await prisma.$disconnect();
  await provider.close();
});


/** Settles payouts through the ledger activity, then dates the settlements on the provider's day (the ledger stamps its own clock). */
async function settlePayouts(): Promise<string[]> {
  const paymentProvider = new PaymentProviderClient({ baseUrl: provider.url, timeoutMs: 5_000 });
  const ledger = createLedgerActivities({ prisma, personalData: cipher, paymentProvider });
  const keys: string[] = [];
  for (let n = 0; n < PAYOUTS; n++) {
    simulatorNowMs += 60_000;
    const participantId = await payees.create();
    const paid: PayoutResult = await new MockActivityEnvironment().run(() => ledger.payParticipant({ participantId, kind: 'INCENTIVE', sequence: 1, amount: 600_000 }));
    expect(paid.status).toBe('PAID');
    await prisma.ledgerEntry.update({ where: { idempotencyKey: paid.idempotencyKey }, data: { settledAt: new Date(simulatorNowMs) } });
    keys.push(paid.idempotencyKey);
  }
  return keys;
}

/** Runs the workflow on a task queue of this test's own, with these activities. */
async function runReconciliationWorkflow(input: DailyReconciliationInput, workflowId: string, activities: object): Promise<ReconciliationTotals> {
  const dataConverter = temporalDataConverter(config);
  const taskQueue = `payment-reconciliation-${randomUUID()}`;
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows/daily-reconciliation'), ...WORKFLOW_BUNDLE_CONVERTERS, logger: undefined });
  const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: { code }, activities, dataConverter });
    const paymentsWorker = await Worker.create({ connection: nativeConnection, taskQueue: outsideSystemTaskQueue(taskQueue, 'payments'), activities, dataConverter });
    const client = new Client({ connection, dataConverter });
    const run = client.workflow.execute('dailyReconciliation', { taskQueue, workflowId, args: [input] });
    return (await worker.runUntil(paymentsWorker.runUntil(run))) as ReconciliationTotals;
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
}

function reconcileTheDay(): Promise<ReconciliationTotals> {
  const activities = createPaymentReconciliationActivities({ prisma, paymentProvider: new PaymentProviderClient({ baseUrl: provider.url, timeoutMs: 5_000 }) });
  return runReconciliationWorkflow({ day }, `${reconciliationWorkflowId(day)}-${randomUUID()}`, activities);
}

/** By kind's name, then occurrence. */
async function discrepanciesOfTheDay() {
  const rows = await prisma.reconciliationDiscrepancy.findMany({ where: { day: dayColumn } });
  return rows.sort((a, b) => a.kind.localeCompare(b.kind) || a.occurrence - b.occurrence);
}

describe('the daily payment reconciliation', () => {
  it('finds exactly the injected discrepancies, adds none on a rerun, and audits a resolution', async () => {
    const keys = await settlePayouts();
    const faulted = await request(simulators.app).put(`/sim/payments/statement-faults/${day}`).send({ missing: 1, duplicate: 1, wrongAmount: 1, reversal: 1, unknown: 1 }).expect(200);
    const effects = faulted.body.effects as Record<'missing' | 'duplicate' | 'wrongAmount' | 'reversal' | 'unknown', string[]>;

    const totals = await reconcileTheDay();
    const expected = [
      { kind: 'AMOUNT_MISMATCH', idempotencyKey: effects.wrongAmount[0], occurrence: 1, ledgerAmount: 600_000, statementAmount: 650_000 },
      { kind: 'DUPLICATE', idempotencyKey: effects.duplicate[0], occurrence: 2, ledgerAmount: 600_000, statementAmount: 600_000 },
      { kind: 'MISSING_AT_PROVIDER', idempotencyKey: effects.missing[0], occurrence: 1, ledgerAmount: 600_000, statementAmount: null },
      { kind: 'REVERSED', idempotencyKey: effects.reversal[0], occurrence: 1, ledgerAmount: 600_000, statementAmount: 600_000 },
      { kind: 'UNKNOWN_TO_LEDGER', idempotencyKey: effects.unknown[0], occurrence: 1, ledgerAmount: null, statementAmount: 600_000 },
    ];
    const found = await discrepanciesOfTheDay();
    expect(found.map(({ kind, idempotencyKey, occurrence, ledgerAmount, statementAmount }) => ({ kind, idempotencyKey, occurrence, ledgerAmount, statementAmount }))).toEqual(expected);
    // Six payouts: one missing, four falsified, one as the ledger has it; plus the duplicate's first line.
    const matchedKeys = keys.filter((key) => ![effects.missing[0], effects.wrongAmount[0], effects.reversal[0]].includes(key));
    expect(matchedKeys).toHaveLength(3);
    expect(totals).toEqual({ day, statementLines: 7, matched: { count: 3, rupiah: 1_800_000 }, unmatched: { count: 5, rupiah: 650_000 + 600_000 * 4 } });

    await reconcileTheDay();
    expect((await discrepanciesOfTheDay()).map((row) => row.id)).toEqual(found.map((row) => row.id));

    const dayAnswer = await api('GET', `/v1/reconciliation/days/${day}`, { key: KEYS.operator });
    expect(dayAnswer).toMatchObject({ status: 200, body: { day, status: 'COMPLETED', matched: { count: 3 }, unmatched: { count: 5 }, open: 5 } });
    const reversed = await api('GET', `/v1/reconciliation/days/${day}/discrepancies?kind=REVERSED&status=OPEN`, { key: KEYS.operator });
    expect(reversed.body.discrepancies).toHaveLength(1);
    const caseId: string = reversed.body.discrepancies[0].id;

    const noReason = await api('POST', `/v1/reconciliation/discrepancies/${caseId}/resolution`, { key: KEYS.operator, body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { reason: expect.any(String) } });
    expect((await api('POST', `/v1/reconciliation/discrepancies/${caseId}/override`, { key: KEYS.operator, body: { reason: 'the bank confirmed it' } })).status).toBe(403);
    expect((await api('POST', `/v1/reconciliation/discrepancies/${randomUUID()}/resolution`, { key: KEYS.operator, body: { reason: 'the bank confirmed it' } })).status).toBe(404);

    const resolved = await api('POST', `/v1/reconciliation/discrepancies/${caseId}/resolution`, { key: KEYS.operator, body: { reason: 'Reversal re-paid by the provider on the next day' } });
    expect(resolved).toMatchObject({ status: 200, body: { status: 'RESOLVED', resolutions: [{ action: 'RESOLVE', reason: 'Reversal re-paid by the provider on the next day', statusBefore: 'OPEN', statusAfter: 'RESOLVED' }] } });
    const again = await api('POST', `/v1/reconciliation/discrepancies/${caseId}/resolution`, { key: KEYS.operator, body: { reason: 'once more, by mistake' } });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'DISCREPANCY_CLOSED' } } });
    const audit = await prisma.reconciliationResolution.findMany({ where: { discrepancyId: caseId } });
    expect(audit).toEqual([expect.objectContaining({ action: 'RESOLVE', actor: expect.any(String), reason: 'Reversal re-paid by the provider on the next day', statusBefore: 'OPEN', statusAfter: 'RESOLVED' })]);

    const mismatch = found.find((row) => row.kind === 'AMOUNT_MISMATCH')!;
    const overridden = await api('POST', `/v1/reconciliation/discrepancies/${mismatch.id}/override`, { key: KEYS.programManager, body: { reason: 'Provider fee included, agreed with finance' } });
    expect(overridden).toMatchObject({ status: 200, body: { status: 'OVERRIDDEN', resolutions: [{ action: 'OVERRIDE' }] } });

    // The operator's console: the day's open cases, one closed with a reason.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${stack.apiUrl}/console/`);
      await page.getByRole('radio', { name: 'Operator' }).check();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('signed-in-as').filter({ hasText: 'Operator' }).waitFor({ timeout: UI_TIMEOUT });
      await page.getByRole('link', { name: 'Reconciliation' }).click();
      await page.getByLabel('Day (WIB)').fill(day);
      await page.getByTestId('reconciliation-totals').filter({ hasText: '3 still open' }).waitFor({ timeout: UI_TIMEOUT });
      const duplicateRow = page.getByRole('row').filter({ hasText: 'paid twice' });
      await duplicateRow.getByLabel('Reason').fill('Second line refunded by the provider');
      await duplicateRow.getByRole('button', { name: 'Resolve' }).click();
      await page.getByTestId('reconciliation-totals').filter({ hasText: '2 still open' }).waitFor({ timeout: UI_TIMEOUT });
    } finally {
      await browser.close();
    }
    const duplicate = found.find((row) => row.kind === 'DUPLICATE')!;
    expect(await prisma.reconciliationResolution.findMany({ where: { discrepancyId: duplicate.id } })).toEqual([
      expect.objectContaining({ action: 'RESOLVE', reason: 'Second line refunded by the provider', statusAfter: 'RESOLVED' }),
    ]);

    // A rerun leaves closed cases closed.
    await reconcileTheDay();
    const closedAs = new Map([[caseId, 'RESOLVED'], [duplicate.id, 'RESOLVED'], [mismatch.id, 'OVERRIDDEN']]);
    expect((await discrepanciesOfTheDay()).map((row) => [row.id, row.status])).toEqual(found.map((row) => [row.id, closedAs.get(row.id) ?? 'OPEN']));

    const metrics = await fetch(`${stack.apiUrl}/metrics`, { headers: { authorization: `Bearer ${KEYS.operator}` } });
    const text = await metrics.text();
    expect(text).toContain(`jalur_reconciliation_payments{day="${day}",result="unmatched"} 5`);
  });

  it('reconciles the WIB day before it starts when the schedule gives no day, under that day\'s workflow id', async () => {
    const daysAsked: string[] = [];
    const recordingActivities = {
      beginReconciliation: async ({ day: asked }: { day: string }) => void daysAsked.push(asked),
      importStatementPage: async () => ({ nextCursor: null, lines: 0 }),
      recordDiscrepancies: async ({ day: asked }: { day: string }) => ({ day: asked, statementLines: 0, matched: { count: 0, rupiah: 0 }, unmatched: { count: 0, rupiah: 0 } }),
    };
    const startedAt = Date.now();
    const totals = await runReconciliationWorkflow({}, `payment-reconciliation-scheduled-${randomUUID()}`, recordingActivities);
    const yesterday = programDateAt(new Date(startedAt - 86_400_000));
    expect(daysAsked).toEqual([yesterday]);
    expect(totals.day).toBe(yesterday);
  });

  it('has the worker keep a daily schedule for it', async () => {
    const temporal = await connectTestTemporal();
    try {
      const schedule = await temporal.client.schedule.getHandle(DAILY_RECONCILIATION_SCHEDULE_ID).describe();
      expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'dailyReconciliation' });
      expect(schedule.spec.timezone).toBe('Asia/Jakarta');
    } finally {
      await temporal.close();
    }
  });
});
