// One server process of the dispatch benchmark's balanced run (`bench/dispatch.bench.ts`): the
// application as `server/main.ts` builds it (same routes, pool, job queue to enqueue e-mails),
// without migrations, demo seed nor background workers, on the PostgreSQL the bench started.
// Started by the bench as a child process (IPC channel); nginx spreads the callers over several.
// Input (environment): LIEN_BENCH_OWNER_URL, LIEN_BENCH_APP_URL, LIEN_DATA_DIR, PORT.
// It counts the statements it sends as the application role and answers `stats` messages.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { APP_ROLE, openDatabase } from '../server/platform/db/database.ts';
import { createJobs } from '../server/platform/jobs/jobs.ts';
import { createLogger } from '../server/platform/logger.ts';

const ownerUrl = process.env.LIEN_BENCH_OWNER_URL as string;
const appUrl = process.env.LIEN_BENCH_APP_URL as string;
const config = loadConfig({
  LIEN_DATA_DIR: process.env.LIEN_DATA_DIR,
  DATABASE_URL: ownerUrl,
  APP_DATABASE_URL: appUrl,
  PORT: process.env.PORT,
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  DEMO_SEED: 'false',
  WORKERS: 'false',
});

// Same statement counter as the bench's own process: pg's client query, wrapped from outside.
const stats = { statements: 0 };
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if ((this as unknown as { connectionParameters?: { user?: string } }).connectionParameters?.user === APP_ROLE) stats.statements++;
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

const database = openDatabase(appUrl);
const jobs = createJobs(ownerUrl, database, createLogger('silent'));
await jobs.start();
const app = await buildApp({ config, database, jobs }, false);
await app.listen({ host: '127.0.0.1', port: config.PORT });

process.on('message', (m) => {
  if (m === 'stats') {
    const cpu = process.cpuUsage();
    process.send?.({
      statements: stats.statements,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      poolWaiting: database.pool.waitingCount,
      at: performance.now(),
    });
  }
  if (m === 'stop') {
    void (async () => {
      await app.close().catch(() => {});
      await jobs.stop().catch(() => {});
      await database.close().catch(() => {});
      process.exit(0);
    })();
  }
});
process.send?.({ ready: config.PORT });
