// Crash tests kill the stack's worker with SIGKILL (no graceful shutdown: in-flight activities
// are simply lost, as on a power cut) and start a replacement that later test files keep using.
// The replacement's pid goes into the stack file so the global teardown stops it.
import fs from 'node:fs';
import path from 'node:path';
import { startJalurProcess } from '../../scripts/stack/local-stack';
import { ensureTemporalCli, startTemporalDevServer } from '../../scripts/stack/temporal-dev-server';
import { readTestStack, TEST_DATA_DIR, writeTestStack } from './test-stack';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills the worker's whole process group (tsx runs the worker in a child of its own). */
export function killProcessGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export async function killStackWorker(): Promise<void> {
  const { workerPid } = readTestStack();
  if (!workerPid) throw new Error('The test stack has no worker to kill');
  killProcessGroup(workerPid);
  while (isAlive(workerPid)) await new Promise((resolve) => setTimeout(resolve, 50));
}

export async function startReplacementWorker(): Promise<void> {
  const state = readTestStack();
  const log = fs.createWriteStream(path.join(TEST_DATA_DIR, 'stack.log'), { flags: 'a' });
  const worker = await startJalurProcess('worker', state.env, (line) => log.write(`[replacement worker] ${line}\n`), async () => true);
  // Not awaited on purpose: the replacement outlives this test file, until the global teardown.
  worker.process.unref();
  writeTestStack({ ...state, workerPid: worker.process.pid });
}

/**
 * Restarts the stack's Temporal dev server on the same port and database file (the reliability
 * suite's full run; with an in-memory server everything would be lost, so it refuses).
 */
export async function restartTemporalDevServer(options: { signal: NodeJS.Signals }): Promise<void> {
  const state = readTestStack();
  if (!state.temporalPid || !state.temporalDevServer?.dbFile) throw new Error('The test stack runs no file-backed Temporal dev server to restart');
  try {
    process.kill(-state.temporalPid, options.signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
  while (isAlive(state.temporalPid)) await new Promise((resolve) => setTimeout(resolve, 50));
  const log = fs.createWriteStream(path.join(TEST_DATA_DIR, 'stack.log'), { flags: 'a' });
  const { port, uiPort, dbFile, codecEndpoint } = state.temporalDevServer;
  const server = await startTemporalDevServer({ cliPath: await ensureTemporalCli(), host: '127.0.0.1', port, uiPort, dbFile, codecEndpoint, output: (line) => log.write(`[restarted temporal] ${line}\n`) });
  server.process.unref();
  writeTestStack({ ...readTestStack(), temporalPid: server.process.pid });
}
