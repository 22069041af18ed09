// Manages stored API keys: `npm run keys -- create|list|rotate|revoke`. The secret of a new key
// is printed once, here, and never stored: only its SHA-256 digest goes to the database.
//   npm run keys -- create --name crm --role backend [--expires 2027-01-01]
//   npm run keys -- create --name tokopedia --role training-platform --platform tokopedia
//   npm run keys -- list
//   npm run keys -- rotate --name crm [--old-expires-in 7d]
//   npm run keys -- revoke --id <keyId>
import { parseArgs } from 'node:util';
import { ApiKeyAdministration, isKeyRole, type StoredKeyView } from '../lib/api-keys';
import { KEY_ROLES, loadConfig } from '../lib/config';
import { createPrismaClient } from '../lib/database';
import { parseTtl } from '../lib/people-tokens';

const USAGE = `usage: npm run keys -- <command> [options]
  create --name <name> --role <${KEY_ROLES.join('|')}> [--platform <platformId>] [--expires <ISO date>]
  list
  rotate --name <name> [--old-expires-in <30m|8h|7d>] [--expires <ISO date>]
  revoke --id <keyId>
The database is DATABASE_URL (for npm start's embedded one: postgresql://postgres:postgres@127.0.0.1:5433/postgres?sslmode=disable).
The API notices a revocation within API_KEY_CACHE_SECONDS (30 s by default).`;

function describe(key: StoredKeyView, now: Date): string {
  const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : key.expiresAt && key.expiresAt <= now ? `expired ${key.expiresAt.toISOString()}` : key.expiresAt ? `live until ${key.expiresAt.toISOString()}` : 'live';
  return [key.id, key.name, key.role + (key.platformId ? `(${key.platformId})` : ''), `${key.displayPrefix}…`, `created ${key.createdAt.toISOString()}`, state].join('\t');
}

function parseDate(value: string | undefined, option: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--${option} must be a date (ISO 8601)`);
  return date;
}

class UsageError extends Error {}

async function run(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      platform: { type: 'string' },
      expires: { type: 'string' },
      'old-expires-in': { type: 'string' },
      id: { type: 'string' },
    },
  });
  const command = positionals[0];
  if (!command || !['create', 'list', 'rotate', 'revoke'].includes(command)) throw new UsageError('a command is required');
  const config = loadConfig();
  if (!config.database.url) throw new UsageError('DATABASE_URL is not set');
  const prisma = createPrismaClient(config.database.url, { maxConnections: 1 });
  const keys = new ApiKeyAdministration(prisma);
  const now = new Date();
  try {
    if (command === 'create') {
      if (!values.name || !values.role) throw new UsageError('create needs --name and --role');
      if (!isKeyRole(values.role)) throw new UsageError(`--role must be one of ${KEY_ROLES.join(', ')}`);
      const { key, record } = await keys.create({ name: values.name, role: values.role, platformId: values.platform, expiresAt: parseDate(values.expires, 'expires') });
      console.log(describe(record, now));
      console.log(`\nThe key (shown once; store it in the caller's secret store):\n${key}`);
    } else if (command === 'list') {
      for (const key of await keys.list()) console.log(describe(key, now));
    } else if (command === 'rotate') {
      if (!values.name) throw new UsageError('rotate needs --name');
      const oldKeysExpireAt = values['old-expires-in'] ? new Date(now.getTime() + parseTtl(values['old-expires-in']) * 1000) : undefined;
      const { key, record, previous } = await keys.rotate(values.name, { oldKeysExpireAt, expiresAt: parseDate(values.expires, 'expires') });
      console.log(describe(record, now));
      console.log(`\nThe new key (shown once):\n${key}\n`);
      console.log(
        oldKeysExpireAt
          ? `The previous key(s) ${previous.map((k) => k.id).join(', ')} stop working at ${oldKeysExpireAt.toISOString()}.`
          : `The previous key(s) ${previous.map((k) => k.id).join(', ')} keep working until you revoke them: npm run keys -- revoke --id <keyId>`,
      );
    } else {
      if (!values.id) throw new UsageError('revoke needs --id');
      console.log(describe(await keys.revoke(values.id, now), now));
    }
  } finally {
    await prisma.$disconnect();
  }
}

run().catch((error: unknown) => {
  console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : `keys failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
