import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureDatabase, openDatabase, prepareRoles, withDatabase } from '../platform/db/database.ts';
import { startEmbeddedPostgres } from '../platform/db/embedded.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { createJobs } from '../platform/jobs/jobs.ts';
import { createLogger } from '../platform/logger.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    ownerUrl: string;
    appUrl: string;
    serverUrl: string;
    dataDir: string;
  }
}

/**
 * One real PostgreSQL for the integration run: `DATABASE_URL` when set (CI runs the suite a
 * second time on Debian's PostgreSQL 15 this way), otherwise an embedded cluster in a temporary
 * folder. A fresh database is created and migrated; test files share it, each with its own
 * organisations.
 */
export default async function setup(project: TestProject) {
  let stop = async () => {};
  let serverUrl: string;
  let tmp: string | null = null;
  if (process.env.DATABASE_URL) {
    serverUrl = process.env.DATABASE_URL;
  } else {
    // Open to the `postgres` user that runs the cluster as root. Should it still not reach the
    // folder (LIEN_TEST_TMP under /root), the cluster goes to /var/lib/lien, removed at the end.
    tmp = await mkdtemp(path.join(process.env.LIEN_TEST_TMP ?? os.tmpdir(), 'lien-test-'));
    await chmod(tmp, 0o755);
    const port = 40000 + Math.floor(Math.random() * 20000);
    const server = await startEmbeddedPostgres({
      dataDir: tmp,
      port,
      throwAway: true,
      flags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    });
    serverUrl = server.ownerUrl;
    stop = server.stop;
  }
  const dbName = `lien_test_${randomBytes(4).toString('hex')}`;
  const ownerUrl = await ensureDatabase(serverUrl, dbName);
  process.env.LIEN_APP_DB_PASSWORD ??= randomBytes(16).toString('hex');
  const appUrl = await prepareRoles(ownerUrl, {});
  await migrateToLatest(ownerUrl);
  // Install the job queue's schema once, before test files start their own clients.
  const database = openDatabase(appUrl, 2);
  const jobs = createJobs(ownerUrl, database, createLogger('silent'));
  await jobs.start();
  await jobs.stop();
  await database.close();
  project.provide('ownerUrl', ownerUrl);
  project.provide('appUrl', appUrl);
  project.provide('serverUrl', serverUrl);
  // One data folder for the run (message key, development mailbox): every test file's workers use the same.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lien-test-data-'));
  project.provide('dataDir', dataDir);
  return async () => {
    const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    await admin.connect().catch(() => {});
    await admin.query(`drop database if exists "${dbName}" with (force)`).catch(() => {});
    await admin.end().catch(() => {});
    await stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  };
}
