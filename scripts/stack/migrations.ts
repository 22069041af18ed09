import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.join(__dirname, '..', '..');

/** `prisma migrate deploy`: applies pending migrations, never generates or resets anything. */
export async function applyMigrations(databaseUrl: string): Promise<void> {
  const prismaCli = require.resolve('prisma/build/index.js', { paths: [ROOT] });
  await promisify(execFile)(process.execPath, [prismaCli, 'migrate', 'deploy'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  }).catch((error) => {
    throw new Error(`Database migrations failed: ${error.stderr || error.stdout || error.message}`);
  });
}
