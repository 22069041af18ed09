import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import request from 'supertest';
import { createSimulators, SIMULATOR_JOURNAL_FILES, type Simulators } from './app';
import { extractVerificationToken } from './mail';

describe('simulated mail (SMTP)', () => {
  let simulators: Simulators;
  let transport: Transporter;

  beforeAll(async () => {
    simulators = createSimulators({ populationSize: 10 });
    await new Promise<void>((resolve) => simulators.smtpServer.listen(0, '127.0.0.1', () => resolve()));
    const { port } = simulators.smtpServer.server.address() as AddressInfo;
    transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  });

  afterAll(async () => {
    transport.close();
    await simulators.close();
  });

  beforeEach(() => simulators.reset());

  it('keeps every message and extracts the verification code', async () => {
    await transport.sendMail({
      from: 'Jalur <no-reply@jalur.test>',
      to: 'Budi.Santoso@Example.com',
      subject: 'Verifikasi email Anda',
      text: 'Halo Budi,\n\nVerification code: aB3_x-9Z\n\nTerima kasih.',
    });
    await transport.sendMail({ from: 'no-reply@jalur.test', to: 'budi.santoso@example.com', subject: 'Info', text: 'Tidak ada kode di sini.' });

    const mail = await request(simulators.app).get('/sim/mail').query({ to: 'budi.santoso@example.com' }).expect(200);
    expect(mail.body).toEqual([
      {
        to: 'Budi.Santoso@example.com',
        from: 'no-reply@jalur.test',
        subject: 'Verifikasi email Anda',
        text: expect.stringContaining('Verification code: aB3_x-9Z'),
        token: 'aB3_x-9Z',
        messageId: expect.stringMatching(/^<.+>$/),
        deliveries: 1,
        receivedAt: expect.any(String),
      },
      expect.objectContaining({ subject: 'Info', token: null }),
    ]);
    await request(simulators.app).get('/sim/mail').query({ to: 'nobody@example.com' }).expect(200, []);
  });

  it('files a message to several recipients under each of them', async () => {
    await transport.sendMail({ from: 'no-reply@jalur.test', to: ['a@example.com', 'b@example.com'], subject: 'Hi', text: 'Verification code: T0KEN' });
    const all = await request(simulators.app).get('/sim/mail').expect(200);
    expect(all.body.map((mail: { to: string; token: string }) => [mail.to, mail.token])).toEqual([
      ['a@example.com', 'T0KEN'],
      ['b@example.com', 'T0KEN'],
    ]);
    expect(simulators.state.stats.snapshot().mail).toMatchObject({ requests: 1, answered: { ok: 1, clientError: 0, serverError: 0 } });
  });

  it('refuses mail with a temporary SMTP error during an outage or random errors', async () => {
    await request(simulators.app).put('/sim/faults/mail').send({ outage: true }).expect(200);
    await expect(transport.sendMail({ from: 'no-reply@jalur.test', to: 'c@example.com', subject: 'x', text: 'y' })).rejects.toMatchObject({ responseCode: 421 });
    await request(simulators.app).put('/sim/faults/mail').send({ errorRate: 1 }).expect(200);
    await expect(transport.sendMail({ from: 'no-reply@jalur.test', to: 'c@example.com', subject: 'x', text: 'y' })).rejects.toMatchObject({ responseCode: 451 });
    await request(simulators.app).get('/sim/mail').expect(200, []);
    expect(simulators.state.stats.snapshot().mail.rejectedByFault).toEqual({ outage: 1, errorRate: 1, rateLimit: 0 });
  });

  it('files a message that arrives again with the same Message-ID once, counting its deliveries', async () => {
    const notice = { from: 'no-reply@jalur.test', to: 'Dewi@Example.com', subject: 'Pengingat', text: 'Survei Anda menunggu.', messageId: '<notice.p-1.SURVEY.1@jalur.test>' };
    await transport.sendMail(notice);
    await transport.sendMail({ ...notice, to: 'dewi@example.com' });
    // Another Message-ID, or the same one for another recipient: separate messages.
    await transport.sendMail({ ...notice, messageId: '<notice.p-1.SURVEY.2@jalur.test>' });
    await transport.sendMail({ ...notice, to: ['dewi@example.com', 'eko@example.com'] });

    const toDewi = await request(simulators.app).get('/sim/mail').query({ to: 'dewi@example.com' }).expect(200);
    expect(toDewi.body).toEqual([
      expect.objectContaining({ to: 'Dewi@example.com', subject: 'Pengingat', messageId: '<notice.p-1.SURVEY.1@jalur.test>', deliveries: 3 }),
      expect.objectContaining({ messageId: '<notice.p-1.SURVEY.2@jalur.test>', deliveries: 1 }),
    ]);
    const toEko = await request(simulators.app).get('/sim/mail').query({ to: 'eko@example.com' }).expect(200);
    expect(toEko.body).toEqual([expect.objectContaining({ messageId: '<notice.p-1.SURVEY.1@jalur.test>', deliveries: 1 })]);
    // Every delivery was answered 250: the sender cannot tell a repeat from a first delivery.
    expect(simulators.state.stats.snapshot().mail.answered.ok).toBe(4);
  });

  it('files every message without a Message-ID', () => {
    const { mailbox } = simulators.state;
    const mail = { to: 'f@example.com', from: 'x@jalur.test', subject: 's', text: 't', token: null, messageId: null, receivedAt: '2020-04-11T00:00:00.000Z' };
    expect([mailbox.receive(mail), mailbox.receive(mail)]).toEqual(['filed', 'filed']);
    expect(mailbox.list('f@example.com').map((kept) => kept.deliveries)).toEqual([1, 1]);
  });

  it('reads the code only from a "Verification code:" line', () => {
    expect(extractVerificationToken('Verification code: abc-DEF_123.')).toBe('abc-DEF_123');
    expect(extractVerificationToken('Verification code:\tX1')).toBe('X1');
    expect(extractVerificationToken('Your code is 123456')).toBeNull();
  });
});

describe('simulated mail across restarts', () => {
  let dataDir: string;
  const running: Simulators[] = [];

  const start = async (): Promise<{ simulators: Simulators; transport: Transporter }> => {
    const simulators = createSimulators({ populationSize: 10, dataDir });
    running.push(simulators);
    await new Promise<void>((resolve) => simulators.smtpServer.listen(0, '127.0.0.1', () => resolve()));
    const { port } = simulators.smtpServer.server.address() as AddressInfo;
    return { simulators, transport: createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }) };
  };

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jalur-mail-'));
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((simulators) => simulators.close()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the delivery count of a repeated Message-ID, and still recognises it after a restart', async () => {
    const notice = { from: 'no-reply@jalur.test', to: 'siti@example.com', subject: 'Verifikasi', text: 'Verification code: K0DE-1', messageId: '<verification.p-1.1@jalur.test>' };
    const before = await start();
    await before.transport.sendMail(notice);
    await before.transport.sendMail(notice);
    before.transport.close();
    await before.simulators.close();

    const after = await start();
    const kept = await request(after.simulators.app).get('/sim/mail').query({ to: 'siti@example.com' }).expect(200);
    expect(kept.body).toEqual([expect.objectContaining({ token: 'K0DE-1', messageId: '<verification.p-1.1@jalur.test>', deliveries: 2 })]);
    await after.transport.sendMail(notice);
    after.transport.close();
    const again = await request(after.simulators.app).get('/sim/mail').query({ to: 'siti@example.com' }).expect(200);
    expect(again.body).toEqual([expect.objectContaining({ deliveries: 3 })]);
  });

  it('reads journal lines written before Message-IDs were kept', async () => {
    const old = { type: 'received', mail: { to: 'a@example.com', from: 'x@jalur.test', subject: 's', text: 'Verification code: OLD', token: 'OLD', receivedAt: '2020-04-11T00:00:00.000Z' } };
    fs.writeFileSync(path.join(dataDir, SIMULATOR_JOURNAL_FILES.mail), `${JSON.stringify(old)}\n`);
    const { simulators, transport } = await start();
    transport.close();
    await request(simulators.app).get('/sim/mail').expect(200, [{ ...old.mail, messageId: null, deliveries: 1 }]);
  });
});
