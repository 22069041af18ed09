import express from 'express';
import request from 'supertest';
import { createErrorHandler } from '../../../api/errors';
import { shedLoadBeyond } from '../../../api/load-shedding';
import { nextPassDelayMs } from '../../../api/registrations/workflow-start-relay';
import { createLogger } from '../../../lib/logger';

describe('shedLoadBeyond', () => {
  it('answers 429 with Retry-After past the limit, and admits again once requests finish', async () => {
    const shed = shedLoadBeyond({ maxInFlight: 2, retryAfterSeconds: 3 });
    const held: Array<() => void> = [];
    const app = express();
    app.use(shed);
    app.get('/', (_req, res) => {
      held.push(() => res.status(202).json({ ok: true }));
    });
    app.use(createErrorHandler(createLogger('test', 'fatal')));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const agent = request(server);
    try {
      const first = agent.get('/').then((answer) => answer.status);
      const second = agent.get('/').then((answer) => answer.status);
      while (held.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(shed.inFlight()).toBe(2);

      const shedAnswer = await agent.get('/');
      expect(shedAnswer.status).toBe(429);
      expect(shedAnswer.headers['retry-after']).toBe('3');
      expect(shedAnswer.body.error.code).toBe('TOO_MANY_REQUESTS');

      for (const release of held.splice(0)) release();
      await expect(Promise.all([first, second])).resolves.toEqual([202, 202]);
      expect(shed.inFlight()).toBe(0);
      const admitted = agent.get('/').then((answer) => answer.status);
      while (held.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
      held.pop()!();
      await expect(admitted).resolves.toBe(202);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('nextPassDelayMs (outbox relay)', () => {
  const options = { intervalMs: 1_000, minimumAgeMs: 0, batchSize: 200, concurrency: 20, startTimeoutMs: 5_000, startsPerSecond: 400, maxBackoffMs: 30_000, maxYieldMs: 10_000 };

  it('drains a backlog at the configured rate', () => {
    expect(nextPassDelayMs({ ok: true, claimed: 200, elapsedMs: 100 }, options)).toBe(400);
    expect(nextPassDelayMs({ ok: true, claimed: 200, elapsedMs: 900 }, options)).toBe(0);
  });

  it('waits the interval once caught up', () => {
    expect(nextPassDelayMs({ ok: true, claimed: 3, elapsedMs: 10 }, options)).toBe(1_000);
    expect(nextPassDelayMs({ ok: true, claimed: 0, elapsedMs: 1 }, options)).toBe(1_000);
  });

  it('backs off exponentially while Temporal fails, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((consecutiveFailures) => nextPassDelayMs({ ok: false, consecutiveFailures }, options))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });
});
