// The baseline for signup-spike: a bare Express endpoint that inserts the registration with
// `pg`, nothing else (no auth, no encryption, no outbox). Jalur's throughput is reported as a
// share of this one's on the same machine, database and load.
//   BASELINE_PORT=26010 DATABASE_URL=... npx tsx bench/baseline-server.ts
import { randomUUID } from 'node:crypto';
import express from 'express';
import pg from 'pg';

const port = Number(process.env.BASELINE_PORT ?? 26010);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

async function run() {
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_baseline_registration (
    id uuid PRIMARY KEY, nik text NOT NULL UNIQUE, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  const app = express();
  app.use(express.json({ limit: '100kb' }));
  app.post('/v1/registrations', async (req, res) => {
    const body = req.body as { nik?: unknown };
    if (typeof body.nik !== 'string' || !/^\d{16}$/.test(body.nik)) {
      res.status(400).json({ error: { code: 'VALIDATION_FAILED' } });
      return;
    }
    const id = randomUUID();
    try {
      await pool.query('INSERT INTO bench_baseline_registration (id, nik, body) VALUES ($1, $2, $3)', [id, body.nik, req.body]);
      res.status(202).json({ participantId: id });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') res.status(409).json({ error: { code: 'ALREADY_REGISTERED' } });
      else res.status(500).json({ error: { code: 'INTERNAL' } });
    }
  });
  const server = app.listen(port, '127.0.0.1', () => console.log(`baseline listening on ${port}`));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      server.closeIdleConnections();
      server.close(() => void pool.end().then(() => process.exit(0)));
    });
  }
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
