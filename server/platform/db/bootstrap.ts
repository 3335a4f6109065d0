import type { Config } from '../../config.ts';
import { type Database, ensureDatabase, openDatabase, prepareRoles } from './database.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { migrateToLatest } from './migrate.ts';

/** Everything the process needs from PostgreSQL, ready to use. */
export type DatabaseRuntime = {
  database: Database;
  ownerUrl: string;
  appUrl: string;
  embedded: boolean;
  /** Close the pool, then stop the embedded cluster if this process started it. */
  shutdown: () => Promise<void>;
};

/** Resolve the owner URL: `DATABASE_URL`, or an embedded cluster under the data folder. */
export async function resolveOwnerUrl(config: Config, onLog?: (line: string) => void) {
  if (config.DATABASE_URL) return { ownerUrl: config.DATABASE_URL, stop: async () => {}, embedded: false };
  const server = await startEmbeddedPostgres({ dataDir: config.LIEN_DATA_DIR, port: config.LIEN_PG_PORT, onLog });
  const ownerUrl = await ensureDatabase(server.ownerUrl, 'lien');
  return { ownerUrl, stop: server.stop, embedded: true };
}

/** Start or reach PostgreSQL, prepare roles, migrate, and open the app pool. */
export async function connectDatabase(config: Config, onLog?: (line: string) => void): Promise<DatabaseRuntime> {
  const { ownerUrl, stop, embedded } = await resolveOwnerUrl(config, onLog);
  const appUrl = await prepareRoles(ownerUrl, { appUrl: config.APP_DATABASE_URL, dataDir: embedded ? config.LIEN_DATA_DIR : null });
  await migrateToLatest(ownerUrl);
  const database = openDatabase(appUrl);
  return {
    database,
    ownerUrl,
    appUrl,
    embedded,
    shutdown: async () => {
      await database.close();
      await stop();
    },
  };
}
