import fs from 'node:fs';
import path from 'node:path';
import type { LocalStack } from '../../scripts/stack/local-stack';
import { readTestStack, TEMPORAL_DB_FILE } from './test-stack';
import { killProcessGroup } from './worker-control';

export default async function globalTeardown(): Promise<void> {
  // A crash test may have replaced the stack's worker with one the stack does not know.
  const { workerPid, temporalPid } = readTestStack();
  const stack = (globalThis as { __jalurStack?: LocalStack }).__jalurStack;
  if (workerPid && !stack?.children.some((child) => child.process.pid === workerPid)) killProcessGroup(workerPid);
  // Likewise a restart test may have replaced the Temporal dev server.
  if (temporalPid && !stack?.children.some((child) => child.process.pid === temporalPid)) killProcessGroup(temporalPid);
  await stack?.stop();
  // The Temporal database may be in RAM (/dev/shm): give it back.
  if (TEMPORAL_DB_FILE.startsWith('/dev/shm/')) fs.rmSync(path.dirname(TEMPORAL_DB_FILE), { recursive: true, force: true });
}
