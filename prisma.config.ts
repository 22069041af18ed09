// Prisma CLI configuration: migrations run through the JS/WASM schema engine and a pg driver
// adapter, so no engine binary is downloaded. adapter-pg 7.x is used here only because 6.19's
// breaks every migrate command ("Column type 'name' could not be deserialized").
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg-migrate';

// Without a DATABASE_URL (as during `npm install`), Prisma 6.19 cannot read the schema's
// datasource and falls back to downloading a query engine; generate never connects, so a
// placeholder is enough there. Migrations are always run with the real URL set.
const databaseUrl = (process.env.DATABASE_URL ??= 'postgresql://jalur@127.0.0.1:5432/jalur');

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: async () => new PrismaPg({ connectionString: databaseUrl }),
});
