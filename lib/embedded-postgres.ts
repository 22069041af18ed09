// Zero-install PostgreSQL for development and tests: PGlite (Postgres compiled to WASM) served
// over the wire protocol, so Prisma, pg and the migrations talk to it like to a real server.
// It runs queries one at a time: right for a laptop, wrong for load (use DATABASE_URL then).
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  connectionString: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: { dataDir?: string; host: string; port: number }): Promise<EmbeddedPostgres> {
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ?? 'memory://');
  const server = new PGLiteSocketServer({ db, host: options.host, port: options.port, maxConnections: 200 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const address = server.getServerConn();
  return {
    // PGlite accepts any user and password and has a single database named "postgres".
    connectionString: `postgresql://postgres:postgres@${address}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
