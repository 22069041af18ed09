// Issues a person's signed token (development and small deployments; a deployment with an
// identity provider has people sign in there instead):
//   npm run token -- --role operator --name "Budi" --ttl 8h
// Signed with the active key of AUTH_TOKEN_SIGNING_KEYS (the development key outside production).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig, PEOPLE_ROLES } from '../lib/config';
import { PeopleTokens, parseTtl } from '../lib/people-tokens';

const USAGE = `usage: npm run token -- --role <${PEOPLE_ROLES.join('|')}> --name <who> [--ttl 8h]`;

async function run(): Promise<void> {
  const { values } = parseArgs({ options: { role: { type: 'string' }, name: { type: 'string' }, ttl: { type: 'string', default: '8h' } } });
  const role = z.enum(PEOPLE_ROLES).safeParse(values.role);
  if (!role.success || !values.name) throw new Error(`--role (${PEOPLE_ROLES.join(', ')}) and --name are required\n${USAGE}`);
  const config = loadConfig();
  const tokens = new PeopleTokens(config.tokens);
  const { token, expiresAt } = await tokens.issue({ role: role.data, name: values.name, ttlSeconds: parseTtl(values.ttl) });
  console.error(`${role.data} "${values.name}", key id ${config.tokens.signing?.activeKeyId}, valid until ${expiresAt.toISOString()}`);
  console.log(token);
}

run().catch((error: unknown) => {
  console.error(`token failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
