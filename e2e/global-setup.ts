import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { seedDemoIfEmpty } from '../server/modules/demo/index.ts';
import { startFederationWorker } from '../server/modules/federation/index.ts';
import { startMessagingWorkers } from '../server/modules/messaging/index.ts';
import { startRegistryWorkers } from '../server/modules/registry/index.ts';
import { connectDatabase } from '../server/platform/db/bootstrap.ts';
import { createJobs } from '../server/platform/jobs/jobs.ts';
import { createLogger } from '../server/platform/logger.ts';
import { adapterFromConfig, devMailboxDir } from '../server/platform/outbox/adapters.ts';
import { startOutboxWorker } from '../server/platform/outbox/outbox.ts';
import { freePort } from './machine.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    e2eOwnerUrl: string;
    /** The development mailbox: full texts of the e-mails, personal links included. */
    mailDir: string;
  }
}

/** The whole product, as `npm start` runs it, on a fresh embedded PostgreSQL with the demo landlord. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-e2e-'));
  await chmod(dir, 0o755);
  const port = 40000 + Math.floor(Math.random() * 20000);
  const httpPort = await freePort();
  const config = loadConfig({ LIEN_DATA_DIR: dir, LIEN_PG_PORT: String(port), PORT: String(httpPort), LOG_LEVEL: 'warn' });
  const runtime = await connectDatabase(config);
  const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('warn'));
  await jobs.start();
  await startOutboxWorker(jobs, adapterFromConfig(config));
  await startRegistryWorkers({ config, database: runtime.database, jobs });
  await startFederationWorker({ config, database: runtime.database, jobs });
  await startMessagingWorkers({ config, database: runtime.database, jobs });
  const app = await buildApp({ config, database: runtime.database, jobs }, false);
  await app.listen({ port: httpPort, host: '127.0.0.1' });
  const baseUrl = config.publicUrl;
  await seedDemoIfEmpty({ config, database: runtime.database, jobs }, { ownerUrl: runtime.ownerUrl, households: 40, seed: 3 });
  project.provide('baseUrl', baseUrl);
  project.provide('e2eOwnerUrl', runtime.ownerUrl);
  project.provide('mailDir', devMailboxDir(config));
  return async () => {
    await app.close();
    await jobs.stop();
    await runtime.shutdown();
    await rm(dir, { recursive: true, force: true });
  };
}
