/** The simulators as their own process, as `npm start` and the integration tests run them. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net, { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const repositoryRoot = path.resolve(__dirname, '..');
const tsxCli = path.join(repositoryRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
// Never the repository's own data folder: that is where `npm start` keeps its simulators' state.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jalur-simulators-process-'));

function startSimulatorsProcess(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [tsxCli, 'simulators/main.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, SIMULATORS_DATA_DIR: dataDir, ...env },
  });
}

function collectOutput(child: ChildProcessWithoutNullStreams): { text: () => string } {
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { text: () => output };
}

function exitCodeOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function waitForLine(output: { text: () => string }, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = output.text().split('\n').find((candidate) => pattern.test(candidate));
    if (line !== undefined) return line;
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} in:\n${output.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function occupyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address !== null ? address.port : 0 });
    });
  });
}

async function startListening(
  env: Record<string, string> = {},
): Promise<{ child: ChildProcessWithoutNullStreams; exited: Promise<number | null>; url: string; smtpPort: number }> {
  const child = startSimulatorsProcess({ SIMULATORS_PORT: '0', SIM_SMTP_PORT: '0', ...env });
  const output = collectOutput(child);
  const exited = exitCodeOf(child);
  const line = await waitForLine(output, /simulators listening on/);
  const { httpPort, smtpPort } = JSON.parse(line) as { httpPort: number; smtpPort: number };
  return { child, exited, url: `http://127.0.0.1:${httpPort}`, smtpPort };
}

/** Talks SMTP by hand up to the end of a message's data, without waiting for the answer to it: the open socket. */
async function sendMessageWithoutWaitingForTheAnswer(port: number, to: string): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  let replies = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (replies += chunk));
  const waitForReply = async (code: string): Promise<void> => {
    while (!new RegExp(`(^|\\n)${code} `).test(replies)) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  await waitForReply('220');
  for (const [command, code] of [['EHLO worker', '250'], ['MAIL FROM:<no-reply@jalur.test>', '250'], [`RCPT TO:<${to}>`, '250'], ['DATA', '354']] as const) {
    replies = '';
    socket.write(`${command}\r\n`);
    await waitForReply(code);
  }
  socket.write('Subject: Pemberitahuan\r\n\r\nA whole message.\r\n.\r\n');
  return socket;
}

describe('simulators process', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('starts, serves HTTP and stops cleanly on SIGTERM', async () => {
    const { child, exited, url } = await startListening();
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    child.kill('SIGTERM');
    await expect(exited).resolves.toBe(0);
  });

  it('goes on serving after a mail sender dies while its message is being taken in', async () => {
    const { child, exited, url, smtpPort } = await startListening();
    try {
      // Slow mail: the simulator holds each message before it answers, as in the test that kills
      // the worker while notices are in flight.
      const slow = await fetch(`${url}/sim/faults/mail`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ latencyMs: 300 }) });
      expect(slow.status).toBe(200);
      const socket = await sendMessageWithoutWaitingForTheAnswer(smtpPort, 'cut@example.com');
      await new Promise((resolve) => setTimeout(resolve, 50));
      // What a sender killed with SIGKILL leaves: its connection reset in the middle of the transaction.
      socket.resetAndDestroy();
      await new Promise((resolve) => setTimeout(resolve, 600));

      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      const socketAfter = await sendMessageWithoutWaitingForTheAnswer(smtpPort, 'after@example.com');
      socketAfter.destroy();
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('exits non-zero with a clear message when the port is taken', async () => {
    const taken = await occupyPort();
    try {
      const child = startSimulatorsProcess({ SIMULATORS_PORT: String(taken.port), SIM_SMTP_PORT: '0' });
      const output = collectOutput(child);
      await expect(exitCodeOf(child)).resolves.toBe(1);
      expect(output.text()).toContain(`cannot listen on 127.0.0.1:${taken.port}: the port is already in use`);
    } finally {
      await new Promise<void>((resolve) => taken.server.close(() => resolve()));
    }
  });

  it('lists every invalid setting and exits non-zero', async () => {
    const child = startSimulatorsProcess({ SIM_POPULATION_SIZE: 'many', JALUR_API_URL: 'not a url', TRAINING_PLATFORM_SECRETS: 'tokopedia' });
    const output = collectOutput(child);
    await expect(exitCodeOf(child)).resolves.toBe(1);
    expect(output.text()).toMatch(/SIM_POPULATION_SIZE.*JALUR_API_URL.*TRAINING_PLATFORM_SECRETS/s);
  });

  it('still knows an added resident after a restart', async () => {
    const residentDataDir = path.join(dataDir, 'restart');
    const resident = { nik: '3273015505900003', fullName: 'Siti Rahmawati', dateOfBirth: '1990-05-15', gender: 'F', isStudent: false, socialAid: [], onLaidOffList: false };
    const post = (url: string, body: object) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    const first = await startListening({ SIMULATORS_DATA_DIR: residentDataDir });
    expect((await post(`${first.url}/sim/residents`, resident)).status).toBe(201);
    first.child.kill('SIGINT');
    await expect(first.exited).resolves.toBe(0);

    const second = await startListening({ SIMULATORS_DATA_DIR: residentDataDir });
    const verification = await post(`${second.url}/dukcapil/v1/nik-verifications`, { nik: resident.nik, fullName: resident.fullName, dateOfBirth: resident.dateOfBirth });
    expect(await verification.json()).toMatchObject({ result: 'MATCH' });
    second.child.kill('SIGTERM');
    await expect(second.exited).resolves.toBe(0);
  });

  it('exits non-zero naming the journal line it cannot read', async () => {
    const brokenDataDir = path.join(dataDir, 'broken');
    fs.mkdirSync(brokenDataDir);
    fs.writeFileSync(path.join(brokenDataDir, 'faults.jsonl'), 'not json\n{"type":"configured","system":"dtks","settings":{}}\n');
    const child = startSimulatorsProcess({ SIMULATORS_PORT: '0', SIM_SMTP_PORT: '0', SIMULATORS_DATA_DIR: brokenDataDir });
    const output = collectOutput(child);
    await expect(exitCodeOf(child)).resolves.toBe(1);
    expect(output.text()).toContain(`${path.join(brokenDataDir, 'faults.jsonl')} line 1 cannot be read (not valid JSON)`);
  });
});
