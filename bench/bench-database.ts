// The database a benchmark runs on: the embedded PostgreSQL 17 that `npm start` runs, new for each
// run, unless --database-url names an external server (which the scenario empties as before).
// Scenarios on startBenchStack get the embedded one from the stack; those that start their own
// pieces start it here.
import path from 'node:path';
import { startEmbeddedPostgres } from '../scripts/stack/embedded-postgres';
import { assertPortsFree } from '../scripts/stack/ports';
import { argument } from './command-line';

/** `--database-url`, else `fallback` (a scenario's BENCH_DATABASE_URL); undefined: the embedded default. */
export const externalDatabaseUrl = (fallback?: string): string | undefined => argument('database-url', fallback ?? '') || undefined;

/** `settings.database` in a result: which server the figures are of. */
export const databaseDescription = (externalUrl: string | undefined) =>
  externalUrl ? 'external PostgreSQL (--database-url)' : 'embedded PostgreSQL 17 (default)';

export interface BenchDatabase {
  url: string;
  /** Stops the embedded server; nothing for an external one. */
  stop(): Promise<void>;
}

/**
 * The external server as given, or the embedded PostgreSQL 17 on `port` with a new cluster in
 * <dataDir>/postgres (dataDir: the scenario's bench/results/<scenario>-data, just emptied by
 * freshDataDirectory). Migrations are the caller's, as they were.
 */
export async function openBenchDatabase(options: { externalUrl: string | undefined; dataDir: string; port: number; log: (line: string) => void }): Promise<BenchDatabase> {
  if (options.externalUrl) return { url: options.externalUrl, stop: async () => undefined };
  const host = '127.0.0.1';
  await assertPortsFree([{ service: 'embedded PostgreSQL', host, port: options.port }]);
  const dataDir = path.join(options.dataDir, 'postgres');
  process.stderr.write(`starting the embedded PostgreSQL 17 on ${host}:${options.port} (${dataDir})\n`);
  const server = await startEmbeddedPostgres({ dataDir, host, port: options.port, output: options.log });
  return { url: server.connectionString, stop: () => server.stop() };
}
