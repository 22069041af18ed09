// Mail failures from a real SMTP exchange, sorted into the two outside-system errors.
import { createServer, type AddressInfo } from 'node:net';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { OutsideSystemRejectedError, OutsideSystemUnavailableError } from '../../../activities/clients/errors';
import { sendMail } from '../../../activities/clients/mail';

const UNKNOWN_MAILBOX = 'nobody.here@example.id';
const BUSY_MAILBOX = 'busy@example.id';

function smtpError(responseCode: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode });
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  onRcptTo(address, _session, callback) {
    // Real servers quote the address in the reply: it must not reach the error.
    if (address.address === UNKNOWN_MAILBOX) callback(smtpError(550, `5.1.1 <${UNKNOWN_MAILBOX}>: Recipient address rejected`));
    else if (address.address === BUSY_MAILBOX) callback(smtpError(451, `4.3.0 <${BUSY_MAILBOX}>: Try again later`));
    else callback();
  },
  onData(stream, _session, callback) {
    stream.on('end', () => callback());
    stream.resume();
  },
});
let port: number;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const send = (to: string, toPort = port) =>
  sendMail(createTransport({ host: '127.0.0.1', port: toPort, secure: false, ignoreTLS: true }), { from: 'no-reply@jalur.test', to, subject: 'Kode', text: 'Verification code: x' });

it('delivers', async () => {
  await expect(send('budi@example.id')).resolves.toBeUndefined();
});

it('takes a permanent reply as a refusal named by its code, without the reply text', async () => {
  const refused = send(UNKNOWN_MAILBOX);
  await expect(refused).rejects.toThrow(OutsideSystemRejectedError);
  await expect(refused).rejects.toMatchObject({ system: 'mail', status: 550, code: 'SMTP_550', message: 'mail rejected the request: SMTP_550 (SMTP 550)' });
});

it('takes a transient reply as an outage', async () => {
  const deferred = send(BUSY_MAILBOX);
  await expect(deferred).rejects.toThrow(OutsideSystemUnavailableError);
  await expect(deferred).rejects.toMatchObject({ system: 'mail', status: 451, reason: 'server-error' });
  await expect(deferred).rejects.not.toMatchObject({ message: expect.stringContaining(BUSY_MAILBOX) });
});

it('takes a refused connection as an outage', async () => {
  // A port that was free a moment ago: nothing listens there.
  const probe = createServer();
  const closedPort = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)));
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  await expect(send('budi@example.id', closedPort)).rejects.toMatchObject({ name: 'OutsideSystemUnavailableError', system: 'mail', status: null, reason: 'network' });
});
