// `npm run reliability`: the reliability suite's full form. Starts a private PostgreSQL (initdb
// and pg_ctl, its own port and data directory under /tmp, so restarting it disturbs nobody),
// runs test/reliability against a stack whose Temporal dev server keeps its state in a file (so
// it can be restarted and scanned), then prints the figures and writes them to one JSON file.
//   RELIABILITY_FIGURES_FILE   where the JSON goes (default data/reliability/figures.json)
//   JALUR_TEST_PORT_BASE       the stack's ports (+0..+6); PostgreSQL gets +8
//   RELIABILITY_PG_BIN         PostgreSQL's binaries (default: the embedded PostgreSQL 17's, from npm)
//   plus each scenario's size knobs (FUZZ_CASES, CHAOS_JOURNEYS, ...; see test/reliability).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pgClient from 'pg';
import { embeddedPostgresBinaryDir } from './stack/embedded-postgres';

const ROOT = path.join(__dirname, '..');
const PORT_BASE = Number(process.env.JALUR_TEST_PORT_BASE ?? 13000);
const PG_PORT = PORT_BASE + 8;
const PG_BIN = process.env.RELIABILITY_PG_BIN ?? embeddedPostgresBinaryDir();
const WORK_DIR = path.join(os.tmpdir(), `jalur-reliability-${PORT_BASE}`);
const PG_DATA = path.join(WORK_DIR, 'pg');
const FIGURES_DIR = path.join(WORK_DIR, 'figures');
const FIGURES_FILE = process.env.RELIABILITY_FIGURES_FILE ?? path.join(ROOT, 'data', 'reliability', 'figures.json');
// PostgreSQL refuses to run as root: its files and processes belong to the postgres user then.
const RUN_AS = process.getuid?.() === 0 ? 'postgres' : undefined;

function pg(tool: string, args: string[]): void {
  const command = path.join(PG_BIN, tool);
  if (RUN_AS) execFileSync('runuser', ['-u', RUN_AS, '--', command, ...args], { stdio: 'inherit' });
  else execFileSync(command, args, { stdio: 'inherit' });
}

async function startPrivatePostgres(): Promise<string> {
  fs.rmSync(WORK_DIR, { recursive: true, force: true });
  fs.mkdirSync(WORK_DIR, { recursive: true });
  if (RUN_AS) execFileSync('chown', [RUN_AS, WORK_DIR]);
  pg('initdb', ['-D', PG_DATA, '-U', 'jalur', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  fs.appendFileSync(path.join(PG_DATA, 'postgresql.conf'), `\nport = ${PG_PORT}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${WORK_DIR}'\nmax_connections = 300\nfsync = on\n`);
  pg('pg_ctl', ['-D', PG_DATA, '-w', '-l', path.join(WORK_DIR, 'postgres.log'), 'start']);
  const admin = new pgClient.Client({ connectionString: `postgresql://jalur@127.0.0.1:${PG_PORT}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE jalur_reliability');
  await admin.end();
  return `postgresql://jalur@127.0.0.1:${PG_PORT}/jalur_reliability`;
}

function stopPrivatePostgres(): void {
  try {
    pg('pg_ctl', ['-D', PG_DATA, '-m', 'fast', '-w', 'stop']);
  } catch (error) {
    console.error(`could not stop the private PostgreSQL: ${error}`);
  }
}

function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtEnd: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

async function run(): Promise<number> {
  const startedAt = new Date();
  const loadAtStart = os.loadavg().map((n) => Math.round(n * 100) / 100);
  const databaseUrl = await startPrivatePostgres();
  let status: number;
  try {
    const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest', { paths: [ROOT] }), '--runInBand', '--selectProjects', 'integration', '--', 'test/reliability'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        RELIABILITY_MODE: 'full',
        RELIABILITY_FIGURES_DIR: FIGURES_DIR,
        RELIABILITY_PG_DATA: PG_DATA,
        RELIABILITY_PG_BIN: PG_BIN,
        ...(RUN_AS ? { RELIABILITY_PG_RUN_AS: RUN_AS } : {}),
        TEST_DATABASE_URL: databaseUrl,
        JALUR_TEST_TEMPORAL_DB_FILE: path.join(WORK_DIR, 'temporal.sqlite'),
        JALUR_TEST_PORT_BASE: String(PORT_BASE),
      },
    });
    status = jest.status ?? 1;
  } finally {
    stopPrivatePostgres();
  }
  const scenarios = fs.existsSync(FIGURES_DIR)
    ? fs.readdirSync(FIGURES_DIR).filter((name) => name.endsWith('.json')).map((name) => JSON.parse(fs.readFileSync(path.join(FIGURES_DIR, name), 'utf8')))
    : [];
  const report = {
    command: 'npm run reliability',
    passed: status === 0,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { ...machine(), loadAverageAtStart: loadAtStart },
    scenarios: Object.fromEntries(scenarios.map((figures) => [figures.scenario, figures])),
  };
  fs.mkdirSync(path.dirname(FIGURES_FILE), { recursive: true });
  fs.writeFileSync(FIGURES_FILE, JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
  console.log(`\nfigures written to ${FIGURES_FILE}`);
  return status;
}

void run().then((status) => (process.exitCode = status));
