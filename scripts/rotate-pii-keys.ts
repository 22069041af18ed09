// `npm run rotate-pii-keys [-- --batch-size 500 --max-batches N]`: re-encrypts personal data at
// rest under the active key. Rotation: append the new key to PII_ENCRYPTION_KEYS (it becomes the
// active one, or name it in PII_ENCRYPTION_KEY_ID), restart the API and workers (new writes use it),
// run this until it reports complete, then remove the old key. Safe to stop and run again.
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { createPrismaClient } from '../lib/database';
import { createLogger } from '../lib/logger';
import { PersonalDataCipher } from '../lib/personal-data';
import { rotatePersonalDataKeys } from '../lib/personal-data-rotation';

const logger = createLogger('rotate-pii-keys');

async function run() {
  const { values } = parseArgs({ options: { 'batch-size': { type: 'string', default: '500' }, 'max-batches': { type: 'string' } } });
  const config = loadConfig();
  // npm start's embedded PostgreSQL, when no DATABASE_URL is set.
  const databaseUrl = config.database.url ?? `postgresql://postgres:postgres@127.0.0.1:${config.database.embeddedPort}/postgres?sslmode=disable`;
  const prisma = createPrismaClient(databaseUrl, { maxConnections: 2 });
  try {
    const cipher = new PersonalDataCipher(config.personalDataEncryption, config.blindIndexKey);
    logger.info({ activeKeyId: cipher.activeKeyId }, 'rotating personal data to the active key');
    const progress = await rotatePersonalDataKeys({
      prisma,
      cipher,
      batchSize: Number(values['batch-size']),
      maxBatches: values['max-batches'] ? Number(values['max-batches']) : undefined,
      onBatch: (soFar) => logger.info(soFar, 'batch rewritten'),
    });
    logger.info(progress, progress.complete ? 'every row is under the active key' : 'stopped before the end; run again to continue');
  } finally {
    await prisma.$disconnect();
  }
}

run().catch((error) => {
  logger.error({ err: error }, 'key rotation failed');
  process.exit(1);
});
