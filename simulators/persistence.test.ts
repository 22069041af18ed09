/** The simulators keep their state in a data folder: a new instance on the same folder carries on. */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { createTransport } from 'nodemailer';
import pino from 'pino';
import request from 'supertest';
import { OUTSIDE_SYSTEMS } from '../lib/outside-systems';
import { programDateAt } from '../lib/program-day';
import { createSimulators, SIMULATOR_JOURNAL_FILES, type Simulators, type SimulatorsOptions } from './app';
import { loadSimulatorsConfig, SimulatorsConfigError } from './config';
import { JournalCorruptError } from './state-journal';
import { serveOnEphemeralPort, type RunningServer } from './test-servers';
import { TRAINING_CATALOG } from './training-catalog';

const resident = {
  nik: '3273015505900003',
  fullName: 'Siti Rahmawati',
  dateOfBirth: '1990-05-15',
  gender: 'F',
  isStudent: false,
  socialAid: ['BPNT'],
  onLaidOffList: true,
};
const pastParticipation = { nik: resident.nik, program: 'PRAKERJA_SEMI_BANSOS', year: 2021, wave: 17 };
const account = { type: 'BANK', provider: 'BNI', accountNumber: '0123456789', accountName: 'Siti Rahmawati' };
const disbursement = (overrides: Record<string, unknown> = {}) => ({ participantId: 'p-1', amount: 600_000, currency: 'IDR', purpose: 'INCENTIVE_1', account, ...overrides });
const course = TRAINING_CATALOG[0];
if (course === undefined) throw new Error('empty catalog');
const purchase = { participantId: 'p-1', platformId: course.platformId, courseId: course.courseId };
const fastRetries = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40, attemptTimeoutMs: 2000 };

/** A stand-in for the Jalur API's webhook route; `status` can change between calls. */
async function startReceiver(status: number): Promise<{ server: RunningServer; received: string[]; answer: (next: number) => void }> {
  const received: string[] = [];
  let answerWith = status;
  const receiver = express();
  receiver.post('/v1/training-platforms/:platformId/events', express.text({ type: 'application/json' }), (req, res) => {
    received.push(req.body as string);
    res.status(answerWith).end();
  });
  return { server: await serveOnEphemeralPort(receiver), received, answer: (next) => (answerWith = next) };
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('simulator state across restarts', () => {
  let dataDir: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const running: Simulators[] = [];
  const journalFile = (kind: keyof typeof SIMULATOR_JOURNAL_FILES) => path.join(dataDir, SIMULATOR_JOURNAL_FILES[kind]);

  const start = (overrides: Partial<SimulatorsOptions> = {}): Simulators => {
    const simulators = createSimulators({ populationSize: 10, dataDir, jalurApiUrl: receiver.server.url, webhookRetryPolicy: fastRetries, ...overrides });
    running.push(simulators);
    return simulators;
  };
  const disburse = (simulators: Simulators, key: string, body: object) =>
    request(simulators.app).post('/payments/v1/disbursements').set('Idempotency-Key', key).send(body);

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jalur-simulators-'));
    receiver = await startReceiver(204);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((simulators) => simulators.close()));
    await receiver.server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('remembers residents, participations, payments, mail, training events and fault knobs', async () => {
    const before = start();
    await request(before.app).post('/sim/residents').send(resident).expect(201);
    await request(before.app).post('/sim/participations').send(pastParticipation).expect(201);
    const paid = await disburse(before, 'p-1:INCENTIVE:1', disbursement()).expect(201);
    await disburse(before, 'p-2:INCENTIVE:1', disbursement({ participantId: 'p-2' })).expect(201);
    await request(before.app).post('/sim/payments/closed-accounts').send({ accountNumber: '999' }).expect(201);
    const paidOn = programDateAt(new Date(paid.body.completedAt));
    const faulted = await request(before.app).put(`/sim/payments/statement-faults/${paidOn}`).send({ reversal: 1 }).expect(200);

    await new Promise<void>((resolve) => before.smtpServer.listen(0, '127.0.0.1', () => resolve()));
    const transport = createTransport({ host: '127.0.0.1', port: (before.smtpServer.server.address() as AddressInfo).port, secure: false, ignoreTLS: true });
    await transport.sendMail({ from: 'no-reply@jalur.test', to: 'siti@example.com', subject: 'Verifikasi', text: 'Verification code: K0DE-1' });
    transport.close();

    const bought = await request(before.app).post('/sim/training/purchases').send(purchase).expect(202);
    await before.state.webhooks.whenIdle();
    await request(before.app).put('/sim/faults/kemnaker').send({ outage: true }).expect(200);
    await before.close();

    const after = start();
    const verified = await request(after.app)
      .post('/dukcapil/v1/nik-verifications')
      .send({ nik: resident.nik, fullName: resident.fullName, dateOfBirth: resident.dateOfBirth })
      .expect(200);
    expect(verified.body.result).toBe('MATCH');
    const participations = await request(after.app).get(`/participation-registry/v1/participations/${resident.nik}`).expect(200);
    expect(participations.body).toEqual({ nik: resident.nik, participations: [{ program: 'PRAKERJA_SEMI_BANSOS', year: 2021, wave: 17 }] });

    const replay = await disburse(after, 'p-1:INCENTIVE:1', disbursement()).expect(200);
    expect(replay.body).toEqual(paid.body);
    await disburse(after, 'p-1:INCENTIVE:1', disbursement({ amount: 1 })).expect(409);
    await disburse(after, 'p-3:INCENTIVE:1', disbursement({ participantId: 'p-3', account: { ...account, accountNumber: '999' } })).expect(422);
    const madeUnderKey = await request(after.app).get('/payments/v1/disbursements').query({ idempotencyKey: 'p-1:INCENTIVE:1' }).expect(200);
    expect(madeUnderKey.body).toEqual([paid.body]);
    const faultsKept = await request(after.app).get(`/sim/payments/statement-faults/${paidOn}`).expect(200);
    expect(faulted.body.effects.reversal).toHaveLength(1);
    expect(faultsKept.body.effects).toEqual(faulted.body.effects);
    const log = await request(after.app).get('/sim/payments').query({ participantId: 'p-1' }).expect(200);
    expect(log.body.map((entry: { status: string }) => entry.status)).toEqual(['PAID', 'REPLAYED', 'REJECTED']);
    const summary = await request(after.app).get('/sim/payments/summary').expect(200);
    expect(summary.body).toMatchObject({ requests: 5, paid: { count: 2, amount: 1_200_000 }, replayed: 1, rejected: 2 });

    const mail = await request(after.app).get('/sim/mail').query({ to: 'siti@example.com' }).expect(200);
    expect(mail.body).toEqual([expect.objectContaining({ subject: 'Verifikasi', token: 'K0DE-1' })]);

    const webhooks = await request(after.app).get('/sim/training/webhooks').expect(200);
    expect(webhooks.body).toEqual([expect.objectContaining({ eventId: bought.body.eventId, type: 'PURCHASED', participantId: 'p-1', attempts: 1, lastStatus: 204, state: 'DELIVERED' })]);
    await after.state.webhooks.whenIdle();
    expect(receiver.received).toHaveLength(1);

    await request(after.app).get('/sim/faults/kemnaker').expect(200, { outage: true });
    await request(after.app).get(`/kemnaker/v1/laid-off-workers/${resident.nik}`).expect(503);
    await request(after.app).get(`/dtks/v1/recipients/${resident.nik}`).expect(200, { nik: resident.nik, programs: ['BPNT'] });
  });

  it('resumes a webhook delivery that was still pending, carrying on its attempt count', async () => {
    receiver.answer(503);
    const before = start({ webhookRetryPolicy: { ...fastRetries, baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    const bought = await request(before.app).post('/sim/training/purchases').send(purchase).expect(202);
    await waitFor(() => before.state.webhooks.deliveries()[0]?.lastStatus === 503);
    await before.close();

    receiver.answer(204);
    const after = start();
    await after.state.webhooks.whenIdle();
    expect(after.state.webhooks.deliveries()).toEqual([expect.objectContaining({ eventId: bought.body.eventId, attempts: 2, lastStatus: 204, state: 'DELIVERED' })]);
    expect(receiver.received).toHaveLength(2);
    expect(new Set(receiver.received).size).toBe(1);
  });

  it('drops a torn last line with a warning and keeps appending after it', async () => {
    const before = start();
    const paid = await disburse(before, 'p-1:INCENTIVE:1', disbursement()).expect(201);
    await before.close();
    fs.appendFileSync(journalFile('payments'), '{"type":"paid","request":{"idempotencyKey":"p-2:INC');

    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
    const after = start({ logger });
    expect(warnings).toEqual([expect.stringContaining('"line":2')]);
    expect(warnings.join('')).not.toContain('p-2:INC');
    await disburse(after, 'p-1:INCENTIVE:1', disbursement()).expect(200, paid.body);
    await disburse(after, 'p-2:INCENTIVE:1', disbursement({ participantId: 'p-2' })).expect(201);
    await after.close();

    const again = start();
    const log = await request(again.app).get('/sim/payments').expect(200);
    expect(log.body.map((entry: { idempotencyKey: string; status: string }) => `${entry.idempotencyKey} ${entry.status}`)).toEqual([
      'p-1:INCENTIVE:1 PAID',
      'p-1:INCENTIVE:1 REPLAYED',
      'p-2:INCENTIVE:1 PAID',
    ]);
  });

  it('keeps a complete last line whose newline was lost', async () => {
    const before = start();
    await request(before.app).post('/sim/residents').send(resident).expect(201);
    await before.close();
    const file = journalFile('residents');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').trimEnd());

    const after = start();
    await request(after.app).get(`/sim/residents/${resident.nik}`).expect(200);
    await request(after.app).post('/sim/residents').send({ ...resident, nik: '3273015505900004' }).expect(201);
    await after.close();
    const again = start();
    await request(again.app).get(`/sim/residents/${resident.nik}`).expect(200);
    await request(again.app).get('/sim/residents/3273015505900004').expect(200);
  });

  it('refuses to start on an unreadable line before the last, naming the file and line', () => {
    const file = journalFile('mail');
    const mail = { type: 'received', mail: { to: 'a@example.com', from: 'x@jalur.test', subject: 's', text: 't', token: null, receivedAt: '2020-04-11T00:00:00.000Z' } };
    fs.writeFileSync(file, `${JSON.stringify(mail)}\n${JSON.stringify({ ...mail, mail: { ...mail.mail, token: 7 } })}\n${JSON.stringify(mail)}\n`);
    expect(() => start()).toThrow(JournalCorruptError);
    expect(() => start()).toThrow(`${file} line 2 cannot be read (mail.token: Invalid input: expected string, received number)`);
  });

  it("reads the mail system's fault knobs from a journal that names it 'smtp'", async () => {
    fs.writeFileSync(journalFile('faults'), `${JSON.stringify({ type: 'configured', system: 'smtp', settings: { errorRate: 0.5 } })}\n`);
    const simulators = start();
    await request(simulators.app).get('/sim/faults/mail').expect(200, { errorRate: 0.5 });
  });

  it('forgets everything on reset, on disk too', async () => {
    const before = start();
    await request(before.app).post('/sim/residents').send(resident).expect(201);
    await request(before.app).post('/sim/participations').send(pastParticipation).expect(201);
    await disburse(before, 'p-1:INCENTIVE:1', disbursement()).expect(201);
    await request(before.app).put('/sim/payments/idempotency-window').send({ seconds: 5 }).expect(200);
    await request(before.app).post('/sim/training/purchases').send(purchase).expect(202);
    await before.state.webhooks.whenIdle();
    await request(before.app).put('/sim/faults/dukcapil').send({ errorRate: 1 }).expect(200);
    await request(before.app).post('/sim/reset').expect(204);
    for (const file of Object.keys(SIMULATOR_JOURNAL_FILES) as (keyof typeof SIMULATOR_JOURNAL_FILES)[]) {
      expect(fs.statSync(journalFile(file)).size).toBe(0);
    }
    await request(before.app).put('/sim/faults/dtks').send({ outage: true }).expect(200);
    await request(before.app).delete('/sim/faults').expect(204);
    await before.close();

    const after = start();
    await request(after.app).get(`/sim/residents/${resident.nik}`).expect(404);
    await request(after.app).get(`/participation-registry/v1/participations/${resident.nik}`).expect(200, { nik: resident.nik, participations: [] });
    await request(after.app).get('/sim/payments').expect(200, []);
    await request(after.app).get('/sim/payments/idempotency-window').expect(200, { seconds: 86_400 });
    await request(after.app).get('/sim/training/webhooks').expect(200, []);
    const faults = await request(after.app).get('/sim/faults').expect(200);
    expect(Object.values(faults.body)).toEqual(Array(OUTSIDE_SYSTEMS.length).fill({}));
    await disburse(after, 'p-1:INCENTIVE:1', disbursement()).expect(201);
  });
});

describe('SIMULATORS_DATA_DIR', () => {
  it('defaults to <JALUR_DATA_DIR>/simulators, resolved against the working directory', () => {
    expect(loadSimulatorsConfig({}).dataDir).toBe(path.resolve('data', 'simulators'));
    expect(loadSimulatorsConfig({ JALUR_DATA_DIR: '/var/jalur' }).dataDir).toBe(path.resolve('/var/jalur/simulators'));
    expect(loadSimulatorsConfig({ JALUR_DATA_DIR: '/var/jalur', SIMULATORS_DATA_DIR: 'sim-state' }).dataDir).toBe(path.resolve('sim-state'));
    expect(() => loadSimulatorsConfig({ SIMULATORS_DATA_DIR: '' })).toThrow(SimulatorsConfigError);
  });
});
