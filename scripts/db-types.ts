// Generate server/platform/db/schema.generated.ts from a throw-away PostgreSQL migrated by our
// own migrations (`npm run db:types`). Run it after adding a migration and commit the result:
// an integration test (schema-types.int.test.ts) fails while the file is behind the migrations.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generatedSchemaFile, generateSchemaTypes } from '../server/platform/db/codegen.ts';
import { ensureDatabase, prepareRoles } from '../server/platform/db/database.ts';
import { startEmbeddedPostgres } from '../server/platform/db/embedded.ts';
import { migrateToLatest } from '../server/platform/db/migrate.ts';

// Open to the `postgres` user that runs the cluster as root (as in the integration tests' set-up).
const tmp = await mkdtemp(path.join(os.tmpdir(), 'lien-db-types-'));
await chmod(tmp, 0o755);
const server = await startEmbeddedPostgres({
  dataDir: tmp,
  port: 40000 + Math.floor(Math.random() * 20000),
  throwAway: true,
  flags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
});
try {
  const ownerUrl = await ensureDatabase(server.ownerUrl, 'lien_types');
  process.env.LIEN_APP_DB_PASSWORD ??= randomBytes(16).toString('hex');
  await prepareRoles(ownerUrl, {});
  await migrateToLatest(ownerUrl);
  await writeFile(generatedSchemaFile, await generateSchemaTypes(ownerUrl));
  console.log(`Types de la base écrits dans ${path.relative(process.cwd(), generatedSchemaFile)}`);
} finally {
  await server.stop();
  await rm(tmp, { recursive: true, force: true });
}
