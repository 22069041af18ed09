import type { AddressInfo } from 'node:net';
import { createTransport, type Transporter } from 'nodemailer';
import request from 'supertest';
import { createSimulators, type Simulators } from './app';
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

  it('reads the code only from a "Verification code:" line', () => {
    expect(extractVerificationToken('Verification code: abc-DEF_123.')).toBe('abc-DEF_123');
    expect(extractVerificationToken('Verification code:\tX1')).toBe('X1');
    expect(extractVerificationToken('Your code is 123456')).toBeNull();
  });
});
