/** The engine's typed clients (activities/clients) against the simulators on a real port. */
import express from 'express';
import request from 'supertest';
import { DapodikClient } from '../activities/clients/dapodik-client';
import { DtksClient } from '../activities/clients/dtks-client';
import { DukcapilClient } from '../activities/clients/dukcapil-client';
import { OutsideSystemRejectedError, OutsideSystemUnavailableError } from '../activities/clients/errors';
import { KemnakerClient } from '../activities/clients/kemnaker-client';
import { MessagingGatewayClient, type TextMessage } from '../activities/clients/messaging-gateway-client';
import { ParticipationRegistryClient } from '../activities/clients/participation-registry-client';
import { PaymentProviderClient, type DisbursementInstruction } from '../activities/clients/payment-provider-client';
import { TrainingPlatformClient } from '../activities/clients/training-platform-client';
import { createSimulators } from './app';
import type { Resident } from './population';
import { serveOnEphemeralPort, type RunningServer } from './test-servers';

describe('engine clients', () => {
  const simulators = createSimulators({ populationSize: 1_000_000 });
  let server: RunningServer;
  let options: { baseUrl: string; timeoutMs: number };
  let residents: Resident[];

  beforeAll(async () => {
    server = await serveOnEphemeralPort(simulators.app);
    options = { baseUrl: server.url, timeoutMs: 2000 };
    residents = (await request(simulators.app).get('/sim/residents/sample').query({ count: 2000 })).body as Resident[];
  });

  afterAll(async () => {
    await server.close();
    await simulators.close();
  });

  beforeEach(() => simulators.reset());

  function residentWhere(matches: (resident: Resident) => boolean): Resident {
    const resident = residents.find(matches);
    if (resident === undefined) throw new Error('no matching resident in the sample');
    return resident;
  }

  const instruction: DisbursementInstruction = {
    idempotencyKey: 'p-7:INCENTIVE:1',
    participantId: 'p-7',
    amount: 600_000,
    purpose: 'INCENTIVE_1',
    account: { type: 'EWALLET', provider: 'OVO', accountNumber: '081234567890', accountName: 'Dewi Lestari' },
  };

  it('reads the government systems', async () => {
    const resident = residentWhere((r) => !r.deceased && r.isStudent && r.socialAid.length > 0);
    const verification = await new DukcapilClient(options).verifyNik({ nik: resident.nik, fullName: resident.fullName, dateOfBirth: resident.dateOfBirth });
    expect(verification).toEqual({ nik: resident.nik, result: 'MATCH', mismatchedFields: [], province: resident.province, gender: resident.gender });
    await expect(new DtksClient(options).findSocialAidPrograms(resident.nik)).resolves.toEqual(resident.socialAid);
    await expect(new DapodikClient(options).isStudent(resident.nik)).resolves.toBe(true);
    const laidOff = residentWhere((r) => r.onLaidOffList);
    await expect(new KemnakerClient(options).isOnLaidOffList(laidOff.nik)).resolves.toBe(true);
  });

  it('reads the participation registry', async () => {
    const registry = new ParticipationRegistryClient(options);
    const participant = residentWhere((r) => simulators.state.participations.participationsOf(r.nik).length > 0);
    await expect(registry.findPastParticipations(participant.nik)).resolves.toEqual(simulators.state.participations.participationsOf(participant.nik));
    const newcomer = residentWhere((r) => simulators.state.participations.participationsOf(r.nik).length === 0);
    await expect(registry.findPastParticipations(newcomer.nik)).resolves.toEqual([]);
  });

  it('pays, and tells a replay from a new payment', async () => {
    const payments = new PaymentProviderClient(options);
    const first = await payments.disburse(instruction);
    expect(first).toEqual({ disbursementId: expect.stringMatching(/^dsb_/), status: 'COMPLETED', replayed: false });
    await expect(payments.disburse(instruction)).resolves.toEqual({ ...first, replayed: true });
  });

  it('turns business refusals into OutsideSystemRejectedError without personal data', async () => {
    const payments = new PaymentProviderClient(options);
    await request(simulators.app).post('/sim/payments/closed-accounts').send({ accountNumber: instruction.account.accountNumber }).expect(201);
    const closed = payments.disburse(instruction);
    await expect(closed).rejects.toThrow(OutsideSystemRejectedError);
    await expect(closed).rejects.toMatchObject({ name: 'OutsideSystemRejectedError', system: 'payments', status: 422, code: 'ACCOUNT_CLOSED' });
    await expect(closed).rejects.not.toThrow(new RegExp(`${instruction.account.accountNumber}|Dewi`));

    await request(simulators.app).delete(`/sim/payments/closed-accounts/${instruction.account.accountNumber}`).expect(204);
    await payments.disburse(instruction);
    await expect(payments.disburse({ ...instruction, amount: 50_000 })).rejects.toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('turns outages and 5xx into OutsideSystemUnavailableError', async () => {
    await request(simulators.app).put('/sim/faults/dukcapil').send({ outage: true }).expect(200);
    const resident = residentWhere(() => true);
    const verifying = new DukcapilClient(options).verifyNik({ nik: resident.nik, fullName: resident.fullName, dateOfBirth: resident.dateOfBirth });
    await expect(verifying).rejects.toThrow(OutsideSystemUnavailableError);
    await expect(verifying).rejects.toMatchObject({ name: 'OutsideSystemUnavailableError', system: 'dukcapil', status: 503, reason: 'server-error' });
    await expect(verifying).rejects.not.toThrow(resident.nik);
  });

  it('carries Retry-After from a 429', async () => {
    await request(simulators.app).put('/sim/faults/dtks').send({ rateLimitPerSecond: 1 }).expect(200);
    const dtks = new DtksClient(options);
    const nik = residentWhere(() => true).nik;
    // Two calls in a row: at most one fits in the current second, unless the second turns in between.
    const outcomes = await Promise.allSettled([dtks.findSocialAidPrograms(nik), dtks.findSocialAidPrograms(nik), dtks.findSocialAidPrograms(nik)]);
    const limited = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(limited).toBeDefined();
    expect(limited?.status === 'rejected' ? limited.reason : undefined).toMatchObject({ status: 429, reason: 'rate-limited', retryAfterMs: 1000 });
  });

  it('times out slow answers', async () => {
    await request(simulators.app).put('/sim/faults/kemnaker').send({ latencyMs: 400 }).expect(200);
    const slowClient = new KemnakerClient({ baseUrl: server.url, timeoutMs: 100 });
    await expect(slowClient.isOnLaidOffList(residentWhere(() => true).nik)).rejects.toMatchObject({
      name: 'OutsideSystemUnavailableError',
      system: 'kemnaker',
      status: null,
      reason: 'timeout',
    });
  });

  it('reports an unreachable system as a network failure', async () => {
    const gone = await serveOnEphemeralPort(express());
    await gone.close();
    await expect(new TrainingPlatformClient({ baseUrl: gone.url, timeoutMs: 1000 }).listCatalog()).rejects.toMatchObject({
      name: 'OutsideSystemUnavailableError',
      status: null,
      reason: 'network',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('rejects answers of the wrong shape', async () => {
    const impostor = express();
    impostor.get('/dapodik/v1/students/:nik', (_req, res) => {
      res.json({ nik: 'x', isStudent: 'yes' });
    });
    const running = await serveOnEphemeralPort(impostor);
    try {
      await expect(new DapodikClient({ baseUrl: running.url, timeoutMs: 1000 }).isStudent('3201010101000001')).rejects.toMatchObject({
        name: 'OutsideSystemUnavailableError',
        reason: 'invalid-response',
        message: expect.stringContaining('isStudent'),
      });
    } finally {
      await running.close();
    }
  });

  const notice: TextMessage = { to: '+6281234567890', channel: 'WHATSAPP', text: 'Halo Dewi, insentif pertama Anda sudah dibayar.', idempotencyKey: 'notice:p-7:INCENTIVE_PAID:1' };

  it('sends a text message once per idempotency key', async () => {
    const messaging = new MessagingGatewayClient(options);
    const first = await messaging.sendTextMessage(notice);
    expect(first).toEqual({ messageId: expect.stringMatching(/^msg_/), acceptedAt: expect.any(String) });
    await expect(messaging.sendTextMessage(notice)).resolves.toEqual(first);
    const sent = await request(simulators.app).get('/sim/messages').query({ to: notice.to }).expect(200);
    expect(sent.body).toEqual([expect.objectContaining({ idempotencyKey: notice.idempotencyKey, messageId: first.messageId, channel: 'WHATSAPP', repeats: 1 })]);
  });

  it('turns messaging refusals into OutsideSystemRejectedError and outages into OutsideSystemUnavailableError, without personal data', async () => {
    const messaging = new MessagingGatewayClient(options);
    const badNumber = messaging.sendTextMessage({ ...notice, to: '0812-3456-7890' });
    await expect(badNumber).rejects.toThrow(OutsideSystemRejectedError);
    await expect(badNumber).rejects.toMatchObject({ system: 'messaging', status: 400, code: 'VALIDATION_FAILED', refusedFields: ['body.to'] });
    await expect(badNumber).rejects.not.toThrow(/0812|Dewi/);

    await messaging.sendTextMessage(notice);
    const changed = messaging.sendTextMessage({ ...notice, text: 'Halo Dewi, teks lain.' });
    await expect(changed).rejects.toMatchObject({ name: 'OutsideSystemRejectedError', system: 'messaging', status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });

    await request(simulators.app).put('/sim/faults/messaging').send({ outage: true }).expect(200);
    const down = messaging.sendTextMessage(notice);
    await expect(down).rejects.toThrow(OutsideSystemUnavailableError);
    await expect(down).rejects.toMatchObject({ system: 'messaging', status: 503, reason: 'server-error' });
    await expect(down).rejects.not.toThrow(new RegExp(`\\${notice.to}|Dewi`));
  });

  it('lists the training catalog', async () => {
    const catalog = await new TrainingPlatformClient(options).listCatalog();
    expect(catalog.length).toBeGreaterThan(8);
    expect(catalog[0]).toEqual({ platformId: expect.any(String), courseId: expect.any(String), title: expect.any(String), price: expect.any(Number) });
  });
});
