// Where the integration tests' stack lives: started once by the global setup, described in a
// state file that each test file reads.
import fs from 'node:fs';
import path from 'node:path';

export const TEST_DATA_DIR = path.join(__dirname, '..', '..', 'data', 'test');
export const STACK_STATE_FILE = path.join(TEST_DATA_DIR, 'stack.json');

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

export function readTestStack(): TestStackState {
  return JSON.parse(fs.readFileSync(STACK_STATE_FILE, 'utf8')) as TestStackState;
}

export function writeTestStack(state: TestStackState): void {
  fs.writeFileSync(STACK_STATE_FILE, JSON.stringify(state, null, 2));
}
