import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createSimulators, SIMULATOR_JOURNAL_FILES, type Simulators } from './app';

const message = (overrides: Record<string, unknown> = {}) => ({ to: '+6281234567890', channel: 'WHATSAPP', text: 'Halo Budi, pelatihan Anda dimulai besok.', ...overrides });

describe('simulated messaging gateway (SMS, WhatsApp)', () => {
  const nowMs = Date.UTC(2020, 3, 20, 3, 0, 0);
  const simulators = createSimulators({ populationSize: 10, now: () => nowMs });
  const { app } = simulators;
  const send = (key: string | undefined, body: object) => {
    const call = request(app).post('/messaging/messages');
    return (key === undefined ? call : call.set('Idempotency-Key', key)).send(body);
  };

  beforeEach(() => simulators.reset());

  it('accepts a message once per key and answers a repeat with the original answer', async () => {
    const first = await send('notice:p-1:TRAINING_STARTS:1', message()).expect(201);
    expect(first.body).toEqual({ messageId: expect.stringMatching(/^msg_/), status: 'ACCEPTED', acceptedAt: new Date(nowMs).toISOString() });
    await send('notice:p-1:TRAINING_STARTS:1', message()).expect(200, first.body);
    await send('notice:p-1:TRAINING_STARTS:1', message()).expect(200, first.body);
    const other = await send('notice:p-2:TRAINING_STARTS:1', message({ to: '+628111222333', channel: 'SMS' })).expect(201);
    expect(other.body.messageId).not.toBe(first.body.messageId);

    const toBudi = await request(app).get('/sim/messages').query({ to: '+6281234567890' }).expect(200);
    expect(toBudi.body).toEqual([
      {
        to: '+6281234567890',
        channel: 'WHATSAPP',
        text: 'Halo Budi, pelatihan Anda dimulai besok.',
        idempotencyKey: 'notice:p-1:TRAINING_STARTS:1',
        messageId: first.body.messageId,
        repeats: 2,
        receivedAt: first.body.acceptedAt,
      },
    ]);
    const all = await request(app).get('/sim/messages').expect(200);
    expect(all.body.map((stored: { idempotencyKey: string; repeats: number }) => [stored.idempotencyKey, stored.repeats])).toEqual([
      ['notice:p-1:TRAINING_STARTS:1', 2],
      ['notice:p-2:TRAINING_STARTS:1', 0],
    ]);
    // An unencoded "+" in the query arrives as a space: still the number meant.
    await request(app).get('/sim/messages?to=+628111222333').expect(200).expect((response) => expect(response.body).toHaveLength(1));
    await request(app).get('/sim/messages').query({ to: '+6289999999999' }).expect(200, []);
    expect(simulators.state.stats.snapshot().messaging).toMatchObject({ requests: 4, answered: { ok: 4, clientError: 0, serverError: 0 } });
  });

  it('refuses a key reused for a different message with 409, and sends nothing', async () => {
    const first = await send('notice:p-1:SURVEY:1', message()).expect(201);
    for (const changed of [{ text: 'Another text' }, { channel: 'SMS' }, { to: '+6281234567891' }]) {
      const reused = await send('notice:p-1:SURVEY:1', message(changed)).expect(409);
      expect(reused.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', requestId: expect.any(String) });
    }
    const stored = await request(app).get('/sim/messages').expect(200);
    expect(stored.body).toEqual([expect.objectContaining({ messageId: first.body.messageId, repeats: 0, text: message().text })]);
  });

  it('answers 400 naming every offending field', async () => {
    const invalid = async (key: string | undefined, body: object, paths: string[]) => {
      const response = await send(key, body).expect(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.fields.map((field: { path: string }) => field.path)).toEqual(paths);
    };
    await invalid('k-1', message({ to: '081234567890' }), ['body.to']);
    await invalid('k-1', message({ to: '+62812345' }), ['body.to']);
    await invalid('k-1', message({ to: '+6581234567' }), ['body.to']);
    await invalid('k-1', message({ to: '+6281234567890123' }), ['body.to']);
    await invalid('k-1', message({ channel: 'EMAIL' }), ['body.channel']);
    await invalid('k-1', message({ text: '' }), ['body.text']);
    await invalid('k-1', message({ text: 'x'.repeat(4097) }), ['body.text']);
    await invalid('k-1', message({ priority: 'HIGH' }), ['body']);
    await invalid(undefined, message(), ['headers.idempotency-key']);
    await invalid('has space', message(), ['headers.idempotency-key']);
    await invalid('k'.repeat(201), message(), ['headers.idempotency-key']);
    await invalid(undefined, message({ to: '+1' }), ['body.to', 'headers.idempotency-key']);
    await send('k-1', message({ text: 'x'.repeat(4096) })).expect(201);
    await send('K.1:a_b-c', message({ to: '+6281234567' })).expect(201);
    await send('k-3', message({ to: '+62812345678901' })).expect(201);
    const stored = await request(app).get('/sim/messages').expect(200);
    expect(stored.body).toHaveLength(3);
  });

  it('is behind its own fault knobs', async () => {
    await request(app).put('/sim/faults/messaging').send({ outage: true }).expect(200);
    const refused = await send('notice:p-1:X:1', message()).expect(503);
    expect(refused.body.error.code).toBe('SERVICE_UNAVAILABLE');
    await request(app).get('/sim/messages').expect(200, []);
    expect(simulators.state.stats.snapshot().messaging.rejectedByFault).toEqual({ outage: 1, errorRate: 0, rateLimit: 0 });

    await request(app).delete('/sim/faults/messaging').expect(204);
    await send('notice:p-1:X:1', message()).expect(201);
  });
});

describe('messaging gateway across restarts', () => {
  let dataDir: string;
  const running: Simulators[] = [];
  const start = (): Simulators => {
    const simulators = createSimulators({ populationSize: 10, dataDir });
    running.push(simulators);
    return simulators;
  };

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jalur-messaging-'));
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((simulators) => simulators.close()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('remembers messages, keys and repeats; reset forgets them, on disk too', async () => {
    const before = start();
    const first = await request(before.app).post('/messaging/messages').set('Idempotency-Key', 'notice:p-1:A:1').send(message()).expect(201);
    await request(before.app).post('/messaging/messages').set('Idempotency-Key', 'notice:p-1:A:1').send(message()).expect(200);
    await before.close();

    const after = start();
    await request(after.app).post('/messaging/messages').set('Idempotency-Key', 'notice:p-1:A:1').send(message()).expect(200, first.body);
    await request(after.app).post('/messaging/messages').set('Idempotency-Key', 'notice:p-1:A:1').send(message({ text: 'changed' })).expect(409);
    const stored = await request(after.app).get('/sim/messages').expect(200);
    expect(stored.body).toEqual([expect.objectContaining({ idempotencyKey: 'notice:p-1:A:1', messageId: first.body.messageId, repeats: 2, receivedAt: first.body.acceptedAt })]);

    await request(after.app).post('/sim/reset').expect(204);
    expect(fs.statSync(path.join(dataDir, SIMULATOR_JOURNAL_FILES.messages)).size).toBe(0);
    await after.close();
    const again = start();
    await request(again.app).get('/sim/messages').expect(200, []);
    await request(again.app).post('/messaging/messages').set('Idempotency-Key', 'notice:p-1:A:1').send(message({ text: 'changed' })).expect(201);
  });
});
