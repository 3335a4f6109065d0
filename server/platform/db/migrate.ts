import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FileMigrationProvider, Kysely, Migrator, PostgresDialect } from 'kysely';
import { openOwnerPool } from './database.ts';

const folder = path.join(import.meta.dirname, 'migrations');

/**
 * Apply pending migrations as the owner role. Kysely runs them in one transaction under an
 * advisory lock, so a failed migration leaves the database as it was.
 */
export async function migrateToLatest(ownerUrl: string, migrationFolder = folder): Promise<string[]> {
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: openOwnerPool(ownerUrl, 1) }) });
  try {
    const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error');
      throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return (results ?? []).map((r) => r.migrationName);
  } finally {
    await db.destroy();
  }
}
