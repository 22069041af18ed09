import type { LocalStack } from '../../scripts/stack/local-stack';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __jalurStack?: LocalStack }).__jalurStack?.stop();
}
