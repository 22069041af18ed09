// The local stack as the benchmarks start it: on an emptied PostgreSQL database, with the ports
// at a base of their own, every process's output in bench/results/<scenario>-data/stack.log.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../scripts/stack/local-stack';

const ROOT = path.join(__dirname, '..');

async function emptyDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA public CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}

export interface BenchStack {
  stack: LocalStack;
  /** The scenario's JALUR_DATA_DIR, emptied first. */
  dataDir: string;
  log: fs.WriteStream;
}

/** API on portBase, simulators +1, SMTP +2, Temporal +3 (UI +4); the caller's env for every Jalur process. */
export async function startBenchStack(options: { scenario: string; databaseUrl: string; portBase: number; run: LocalStackOptions['run']; env: NodeJS.ProcessEnv }): Promise<BenchStack> {
  process.stderr.write(`emptying ${options.databaseUrl.replace(/:[^:@/]+@/, ':***@')}\n`);
  await emptyDatabase(options.databaseUrl);
  const dataDir = path.join(ROOT, 'bench', 'results', `${options.scenario}-data`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const log = fs.createWriteStream(path.join(dataDir, 'stack.log'));
  const { portBase } = options;
  const stack = await startLocalStack({
    host: '127.0.0.1',
    apiPort: portBase,
    simulatorsPort: portBase + 1,
    smtpPort: portBase + 2,
    temporal: { devPort: portBase + 3, uiPort: portBase + 4 },
    database: { url: options.databaseUrl, embeddedPort: portBase + 5 },
    run: options.run,
    env: { JALUR_DATA_DIR: dataDir, ...options.env },
    output: (line) => log.write(`${line}\n`),
  });
  return { stack, dataDir, log };
}
