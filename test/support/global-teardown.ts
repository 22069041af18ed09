import type { LocalStack } from '../../scripts/stack/local-stack';
import { readTestStack } from './test-stack';
import { killProcessGroup } from './worker-control';

export default async function globalTeardown(): Promise<void> {
  // A crash test may have replaced the stack's worker with one the stack does not know.
  const { workerPid } = readTestStack();
  const stack = (globalThis as { __jalurStack?: LocalStack }).__jalurStack;
  if (workerPid && !stack?.children.some((child) => child.process.pid === workerPid)) killProcessGroup(workerPid);
  await stack?.stop();
}
