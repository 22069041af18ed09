// The daily reconciliation end to end on the test stack's database, Temporal and API: real
// payouts settled by the ledger activity against a payment simulator whose clock stands on a day
// of this run's own (so nothing else the stack paid falls on it), one statement fault of each
// kind injected, the workflow run twice, and a case closed through the API. Then, on days of
// their own: payouts settled on either side of midnight, a corrected statement closing its cases,
// and the API's answers for a day never reconciled and for bad paging.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import request from 'supertest';
import { PaymentProviderClient } from '../../activities/clients/payment-provider-client';
import type { DiscrepanciesPage } from '../../api/reconciliation/reconciliation.schema';
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
const AUDITOR_KEY = 'dev-auditor';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const daysAfter = (first: string, days: number) => new Date(Date.parse(`${first}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

// A WIB day of this run's own, between 2000 and 2019: no payout of any other test settles on it.
// The later tests take the days after it, each with its own neighbours.
const day = new Date(Date.UTC(2000, 0, 1) + Math.floor(Math.random() * 7000) * DAY_MS).toISOString().slice(0, 10);
const midnightDay = daysAfter(day, 3);
const correctedDay = daysAfter(day, 6);
const neverReconciledDay = daysAfter(day, 9);
const pagedDay = daysAfter(day, 12);
const DAYS_USED = [day, daysAfter(midnightDay, -1), midnightDay, daysAfter(midnightDay, 1), correctedDay, neverReconciledDay, pagedDay];
let simulatorNowMs = startOfProgramDay(day).getTime() + 9 * 3_600_000;
const simulators = createSimulators({ populationSize: 10, now: () => simulatorNowMs });
let provider: RunningServer;

async function cleanUpDays(): Promise<void> {
  const where = { day: { in: DAYS_USED.map((used) => new Date(`${used}T00:00:00Z`)) } };
  await prisma.reconciliationResolution.deleteMany({ where: { discrepancy: where } });
  await prisma.reconciliationDiscrepancy.deleteMany({ where });
  await prisma.reconciliationStatementLine.deleteMany({ where });
  await prisma.reconciliationRun.deleteMany({ where });
}

beforeAll(async () => {
  provider = await serveOnEphemeralPort(simulators.app);
  await cleanUpDays();
});

afterAll(async () => {
  await cleanUpDays();
  await payees.removeAll();
  await prisma.$disconnect();
  await provider.close();
});


/**
 * One payout through the ledger activity, settled by the provider at `providerAtMs` and by the
 * ledger at `ledgerAtMs` (the ledger stamps its own clock, so its date is set afterwards).
 */
async function payOut(providerAtMs: number, ledgerAtMs: number): Promise<string> {
  const paymentProvider = new PaymentProviderClient({ baseUrl: provider.url, timeoutMs: 5_000 });
  const ledger = createLedgerActivities({ prisma, personalData: cipher, paymentProvider });
  simulatorNowMs = providerAtMs;
  const participantId = await payees.create();
  const paid: PayoutResult = await new MockActivityEnvironment().run(() => ledger.payParticipant({ participantId, kind: 'INCENTIVE', sequence: 1, amount: 600_000 }));
  expect(paid.status).toBe('PAID');
  await prisma.ledgerEntry.update({ where: { idempotencyKey: paid.idempotencyKey }, data: { settledAt: new Date(ledgerAtMs) } });
  return paid.idempotencyKey;
}

/** PAYOUTS payouts a minute apart from 09:01 WIB of `onDay`, settled at the same instant by both sides. */
async function settlePayouts(onDay = day): Promise<string[]> {
  const keys: string[] = [];
  for (let n = 1; n <= PAYOUTS; n++) {
    const at = startOfProgramDay(onDay).getTime() + 9 * 3_600_000 + n * MINUTE_MS;
    keys.push(await payOut(at, at));
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

const reconciliationActivities = (midnightGraceMs = config.reconciliation.midnightGraceMs) =>
  createPaymentReconciliationActivities({ prisma, paymentProvider: new PaymentProviderClient({ baseUrl: provider.url, timeoutMs: 5_000 }), reconciliation: { midnightGraceMs } });

function reconcileTheDay(): Promise<ReconciliationTotals> {
  return runReconciliationWorkflow({ day }, `${reconciliationWorkflowId(day)}-${randomUUID()}`, reconciliationActivities());
}

/** The workflow's steps called in its order, without a worker: for the tests of what the matching decides. */
async function reconcileWithActivities(reconciledDay: string, midnightGraceMs?: number): Promise<ReconciliationTotals> {
  const activities = reconciliationActivities(midnightGraceMs);
  const environment = new MockActivityEnvironment();
  await environment.run(() => activities.beginReconciliation({ day: reconciledDay }));
  let cursor: string | undefined;
  do {
    const page: { nextCursor: string | null } = await environment.run(() => activities.importStatementPage({ day: reconciledDay, cursor }));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  const totals: ReconciliationTotals = await environment.run(() => activities.recordDiscrepancies({ day: reconciledDay }));
  return totals;
}

/** By kind's name, then occurrence. */
async function discrepanciesOfTheDay(ofDay = day) {
  const rows = await prisma.reconciliationDiscrepancy.findMany({ where: { day: new Date(`${ofDay}T00:00:00Z`) }, include: { resolutions: { orderBy: { at: 'asc' } } } });
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

    // The cases paged through by the API, two at a time, give each case once, in id order.
    const paged: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const path = `/v1/reconciliation/days/${day}/discrepancies?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
      const answer: { status: number; body: DiscrepanciesPage } = await api<DiscrepanciesPage>('GET', path, { key: AUDITOR_KEY });
      expect(answer.status).toBe(200);
      expect(answer.body.discrepancies.length).toBeLessThanOrEqual(2);
      paged.push(...answer.body.discrepancies.map((discrepancy) => discrepancy.id));
      cursor = answer.body.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(paged).toEqual(found.map((row) => row.id).sort());

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

  it('matches a payout settled on either side of midnight WIB within the grace window, on neither day a case', async () => {
    const before = daysAfter(midnightDay, -1);
    const after = daysAfter(midnightDay, 1);
    const midnight = startOfProgramDay(midnightDay).getTime();
    const nextMidnight = midnight + DAY_MS;
    // The ledger settled just before midnight, the provider just after; then the other way round,
    // at both of the day's midnights.
    const ledgerFirstAtStart = await payOut(midnight + 3 * MINUTE_MS, midnight - 2 * MINUTE_MS);
    const providerFirstAtStart = await payOut(midnight - MINUTE_MS, midnight + 2 * MINUTE_MS);
    const ledgerFirstAtEnd = await payOut(nextMidnight + 4 * MINUTE_MS, nextMidnight - 3 * MINUTE_MS);
    const providerFirstAtEnd = await payOut(nextMidnight - 2 * MINUTE_MS, nextMidnight + MINUTE_MS);
    // Forty minutes apart across midnight: beyond the grace window, so missing on the ledger's day.
    const beyondGrace = await payOut(nextMidnight + 20 * MINUTE_MS, nextMidnight - 20 * MINUTE_MS);
    expect(config.reconciliation.midnightGraceMs).toBe(10 * MINUTE_MS);

    for (const reconciledDay of [before, midnightDay, after]) await reconcileWithActivities(reconciledDay);
    const cases = await prisma.reconciliationDiscrepancy.findMany({ where: { day: { in: [before, midnightDay, after].map((used) => new Date(`${used}T00:00:00Z`)) } } });
    expect(cases.map(({ day: caseDay, kind, idempotencyKey }) => ({ day: caseDay.toISOString().slice(0, 10), kind, idempotencyKey }))).toEqual([
      { day: midnightDay, kind: 'MISSING_AT_PROVIDER', idempotencyKey: beyondGrace },
    ]);
    const matchedKeys = await prisma.reconciliationStatementLine.findMany({ where: { day: { in: [before, midnightDay, after].map((used) => new Date(`${used}T00:00:00Z`)) } } });
    expect(matchedKeys.map((line) => line.idempotencyKey).sort()).toEqual([ledgerFirstAtStart, providerFirstAtStart, ledgerFirstAtEnd, providerFirstAtEnd, beyondGrace].sort());

    // Without the window, the same statements make the pairs cases on one side of midnight (the
    // run that would have matched them is the one the window moves them to).
    for (const reconciledDay of [before, midnightDay, after]) await reconcileWithActivities(reconciledDay, 0);
    const withoutGrace = await prisma.reconciliationDiscrepancy.findMany({ where: { day: { in: [before, midnightDay, after].map((used) => new Date(`${used}T00:00:00Z`)) }, status: 'OPEN' } });
    expect(withoutGrace.map(({ kind, idempotencyKey }) => `${kind} ${idempotencyKey}`).sort()).toEqual(
      [ledgerFirstAtStart, providerFirstAtStart, ledgerFirstAtEnd, providerFirstAtEnd, beyondGrace].map((key) => `MISSING_AT_PROVIDER ${key}`).sort(),
    );
  });

  it('closes a case the corrected statement no longer shows, as the system with a recorded resolution, and reopens it if it comes back', async () => {
    await settlePayouts(correctedDay);
    const faults = { missing: 1, duplicate: 1, wrongAmount: 1 };
    await request(simulators.app).put(`/sim/payments/statement-faults/${correctedDay}`).send(faults).expect(200);
    const first = await reconcileWithActivities(correctedDay);
    expect(first.unmatched.count).toBe(3);
    const found = await discrepanciesOfTheDay(correctedDay);
    expect(found.map((row) => [row.kind, row.status])).toEqual([['AMOUNT_MISMATCH', 'OPEN'], ['DUPLICATE', 'OPEN'], ['MISSING_AT_PROVIDER', 'OPEN']]);
    const [mismatch, duplicate, missing] = found as [(typeof found)[number], (typeof found)[number], (typeof found)[number]];
    const operatorClosed = await api('POST', `/v1/reconciliation/discrepancies/${duplicate.id}/resolution`, { key: KEYS.operator, body: { reason: 'Second line refunded by the provider' } });
    expect(operatorClosed.status).toBe(200);

    // The provider corrects its statement: the re-run finds nothing, and closes what was open.
    await request(simulators.app).put(`/sim/payments/statement-faults/${correctedDay}`).send({}).expect(200);
    const corrected = await reconcileWithActivities(correctedDay);
    expect(corrected).toEqual({ day: correctedDay, statementLines: PAYOUTS, matched: { count: PAYOUTS, rupiah: PAYOUTS * 600_000 }, unmatched: { count: 0, rupiah: 0 } });
    const afterCorrection = await discrepanciesOfTheDay(correctedDay);
    expect(afterCorrection.map((row) => row.id)).toEqual(found.map((row) => row.id));
    const systemClosing = { action: 'AUTO_CLOSE', actor: 'system', reason: `No longer found when ${correctedDay} was reconciled again`, statusBefore: 'OPEN', statusAfter: 'RESOLVED' };
    expect(afterCorrection.map((row) => ({ kind: row.kind, status: row.status, resolutions: row.resolutions.map(({ action, actor, reason, statusBefore, statusAfter }) => ({ action, actor, reason, statusBefore, statusAfter })) }))).toEqual([
      { kind: 'AMOUNT_MISMATCH', status: 'RESOLVED', resolutions: [systemClosing] },
      // The operator's resolution stands; the system adds nothing to a closed case.
      { kind: 'DUPLICATE', status: 'RESOLVED', resolutions: [expect.objectContaining({ action: 'RESOLVE', reason: 'Second line refunded by the provider' })] },
      { kind: 'MISSING_AT_PROVIDER', status: 'RESOLVED', resolutions: [systemClosing] },
    ]);
    const seenByApi = await api('GET', `/v1/reconciliation/discrepancies/${mismatch.id}`, { key: AUDITOR_KEY });
    expect(seenByApi).toMatchObject({ status: 200, body: { status: 'RESOLVED', resolutions: [{ action: 'AUTO_CLOSE', actor: 'system', statusBefore: 'OPEN', statusAfter: 'RESOLVED' }] } });
    expect((await api('GET', `/v1/reconciliation/days/${correctedDay}`, { key: KEYS.operator })).body).toMatchObject({ unmatched: { count: 0 }, open: 0 });
    // A case closed by the system cannot be closed again by an operator: it is closed.
    expect((await api('POST', `/v1/reconciliation/discrepancies/${missing.id}/resolution`, { key: KEYS.operator, body: { reason: 'paid after all' } })).status).toBe(409);

    // Another re-run of the corrected statement changes nothing.
    await reconcileWithActivities(correctedDay);
    expect((await discrepanciesOfTheDay(correctedDay)).map((row) => row.resolutions.length)).toEqual([1, 1, 1]);

    // The provider's statement shows the faults again: the system's closings are undone, the operator's is not.
    await request(simulators.app).put(`/sim/payments/statement-faults/${correctedDay}`).send(faults).expect(200);
    await reconcileWithActivities(correctedDay);
    const reopened = await discrepanciesOfTheDay(correctedDay);
    expect(reopened.map((row) => row.id)).toEqual(found.map((row) => row.id));
    expect(reopened.map((row) => [row.kind, row.status, row.resolutions.map((resolution) => `${resolution.actor}:${resolution.action}`)])).toEqual([
      ['AMOUNT_MISMATCH', 'OPEN', ['system:AUTO_CLOSE', 'system:REOPEN']],
      ['DUPLICATE', 'RESOLVED', [expect.stringMatching(/:RESOLVE$/)]],
      ['MISSING_AT_PROVIDER', 'OPEN', ['system:AUTO_CLOSE', 'system:REOPEN']],
    ]);
  });

  it('answers 404 RECONCILIATION_NOT_FOUND for a day never reconciled, and 400 for bad paging', async () => {
    for (const path of [`/v1/reconciliation/days/${neverReconciledDay}`, `/v1/reconciliation/days/${neverReconciledDay}/discrepancies`]) {
      const answer = await api('GET', path, { key: KEYS.operator });
      expect(answer).toMatchObject({ status: 404, body: { error: { code: 'RECONCILIATION_NOT_FOUND', requestId: expect.any(String) } } });
    }
    const badPaging: Array<[string, string]> = [
      ['limit=0', 'query.limit'],
      ['limit=1001', 'query.limit'],
      ['limit=ten', 'query.limit'],
      ['limit=2.5', 'query.limit'],
      ['cursor=not-a-case-id', 'query.cursor'],
      ['status=CLOSED', 'query.status'],
      ['kind=LOST', 'query.kind'],
    ];
    for (const [query, field] of badPaging) {
      const answer = await api('GET', `/v1/reconciliation/days/${day}/discrepancies?${query}`, { key: KEYS.operator });
      expect({ query, status: answer.status, code: answer.body.error?.code, fields: Object.keys(answer.body.error?.fields ?? {}) }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED', fields: [field] });
    }
  });

  it('pages the open cases in the console, fifty at a time', async () => {
    // Sixty payments the ledger never asked for: sixty cases, and no payout needed.
    await request(simulators.app).put(`/sim/payments/statement-faults/${pagedDay}`).send({ unknown: 60 }).expect(200);
    expect((await reconcileWithActivities(pagedDay)).unmatched.count).toBe(60);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${stack.apiUrl}/console/`);
      await page.getByRole('radio', { name: 'Auditor' }).check();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('signed-in-as').filter({ hasText: 'Auditor' }).waitFor({ timeout: UI_TIMEOUT });
      await page.getByRole('link', { name: 'Reconciliation' }).click();
      await page.getByLabel('Day (WIB)').fill(pagedDay);
      const caseRows = page.getByRole('row').filter({ hasText: 'unknown to the ledger' });
      const pager = page.getByTestId('reconciliation-pager');
      await pager.filter({ hasText: 'Page 1' }).waitFor({ timeout: UI_TIMEOUT });
      expect(await caseRows.count()).toBe(50);
      await expect(pager.getByRole('button', { name: 'Previous page' }).isDisabled()).resolves.toBe(true);
      const firstPageKeys = await caseRows.locator('td.small').allTextContents();

      await pager.getByRole('button', { name: 'Next page' }).click();
      await pager.filter({ hasText: 'Page 2' }).waitFor({ timeout: UI_TIMEOUT });
      await caseRows.nth(9).waitFor({ timeout: UI_TIMEOUT });
      expect(await caseRows.count()).toBe(10);
      await expect(pager.getByRole('button', { name: 'Next page' }).isDisabled()).resolves.toBe(true);
      const secondPageKeys = await caseRows.locator('td.small').allTextContents();
      expect(new Set([...firstPageKeys, ...secondPageKeys]).size).toBe(60);

      await pager.getByRole('button', { name: 'Previous page' }).click();
      await pager.filter({ hasText: 'Page 1' }).waitFor({ timeout: UI_TIMEOUT });
      await caseRows.nth(49).waitFor({ timeout: UI_TIMEOUT });
      expect(await caseRows.locator('td.small').allTextContents()).toEqual(firstPageKeys);

      // A day never reconciled says so once, with no error and no pager.
      await page.getByLabel('Day (WIB)').fill(neverReconciledDay);
      await page.getByText('This day has not been reconciled.').waitFor({ timeout: UI_TIMEOUT });
      expect(await pager.count()).toBe(0);
      expect(await page.getByRole('alert').count()).toBe(0);
    } finally {
      await browser.close();
    }
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
