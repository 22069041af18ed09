// Where the integration tests' stack lives: started once by the global setup, described in a
// state file that each test file reads.
import fs from 'node:fs';
import path from 'node:path';

export const TEST_DATA_DIR = path.join(__dirname, '..', '..', 'data', 'test');
export const STACK_STATE_FILE = path.join(TEST_DATA_DIR, 'stack.json');
/** Every line the stack's processes (Temporal, simulators, worker, API) write. */
export const STACK_LOG_FILE = path.join(TEST_DATA_DIR, 'stack.log');
/**
 * The Temporal dev server's SQLite database: a file, so the personal-data scans can read what the
 * server stores, in RAM (/dev/shm) where there is one, so it costs about what the in-memory
 * database did (a disk-backed file slows the whole stack under the signup spike).
 */
export const TEMPORAL_DB_FILE = fs.existsSync('/dev/shm')
  ? path.join('/dev/shm', `jalur-test-${process.env.JALUR_TEST_PORT_BASE ?? 13000}`, 'temporal.db')
  : path.join(TEST_DATA_DIR, 'temporal', 'temporal.db');

export interface TestStackState {
  apiUrl: string;
  simulatorsUrl: string;
  temporalAddress: string;
  temporalUiUrl: string;
  databaseUrl: string;
  taskQueue: string;
  env: NodeJS.ProcessEnv;
  /** The worker process now serving the task queue; a crash test replaces it and records the new one. */
  workerPid?: number;
  /** The Temporal dev server now running, and how to start it again (the reliability suite restarts it). */
  temporalPid?: number;
  temporalDevServer?: { port: number; uiPort: number; dbFile?: string; codecEndpoint: string };
}

/** JALUR_STACK_STATE_FILE points the same helpers at another stack (the stack-restart test starts its own). */
const stateFile = () => process.env.JALUR_STACK_STATE_FILE ?? STACK_STATE_FILE;

export function readTestStack(): TestStackState {
  return JSON.parse(fs.readFileSync(stateFile(), 'utf8')) as TestStackState;
}

export function writeTestStack(state: TestStackState): void {
  fs.writeFileSync(stateFile(), JSON.stringify(state, null, 2));
}
