// The local Temporal: the official CLI's `server start-dev`, a single-process Temporal with
// SQLite persistence and the Web UI, built once from the Go module proxy when absent.
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { jalurSearchAttributes } from '../../workflows/search-attributes';
import { type ManagedChild, runEnsureScript, startChild } from './child-process';

const CLI_TYPE_NAMES: Record<string, string> = {
  TEXT: 'Text', KEYWORD: 'Keyword', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList',
};

export async function ensureTemporalCli(): Promise<string> {
  return runEnsureScript(path.join(__dirname, '..', 'ensure-temporal-cli.sh'), 'a Temporal CLI');
}

export interface TemporalDevServerOptions {
  cliPath: string;
  host: string;
  port: number;
  uiPort: number;
  /** SQLite file; omitted means in memory (tests). */
  dbFile?: string;
  codecEndpoint?: string;
  output?: (line: string) => void;
  cpuPriority?: 'normal' | 'background';
}

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<ManagedChild> {
  const args = ['server', 'start-dev', '--ip', options.host, '--port', String(options.port), '--ui-port', String(options.uiPort)];
  args.push('--log-level', 'warn', '--log-format', 'pretty');
  if (options.dbFile) {
    fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
    // WAL with synchronous=NORMAL: the default pragmas manage a few workflows per second;
    // NORMAL keeps the database consistent on a crash and loses at most the last commits on power loss.
    args.push('--db-filename', options.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  if (options.codecEndpoint) args.push('--ui-codec-endpoint', options.codecEndpoint);
  for (const attribute of jalurSearchAttributes) args.push('--search-attribute', `${attribute.name}=${CLI_TYPE_NAMES[attribute.type]}`);

  const address = `${options.host}:${options.port}`;
  return startChild({
    name: 'temporal',
    command: options.cliPath,
    args,
    output: options.output,
    cpuPriority: options.cpuPriority,
    // While it stops, its services lose each other and each warns of it (dial errors, failed
    // polls): a screenful about an expected event. Errors still show.
    noiseWhileStopping: (line) => line.includes('level=WARN'),
    readyTimeoutMs: 60_000,
    ready: () => temporalServes(address),
  });
}

/** A readiness probe: a Temporal frontend at `address` answers a call. */
export async function temporalServes(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 });
  try {
    await connection.workflowService.getSystemInfo({});
    return true;
  } finally {
    await connection.close();
  }
}
