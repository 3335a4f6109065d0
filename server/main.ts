import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { appointmentReminders } from './modules/appointments/index.ts';
import { arrearsCompliance } from './modules/arrears/index.ts';
import { purgeCallerEvents, releaseAbandonedCalls, requeueDueCalls } from './modules/calls/index.ts';
import { seedDemoIfEmpty } from './modules/demo/index.ts';
import { startFederationWorker } from './modules/federation/index.ts';
import { caseTaskReminders } from './modules/followups/index.ts';
import { activeOrgAdmins, expireVolunteers, settleDeferredWork } from './modules/identity/index.ts';
import { startMessagingWorkers } from './modules/messaging/index.ts';
import { startRegistryWorkers } from './modules/registry/index.ts';
import { startRetentionPurge } from './modules/retention/index.ts';
import { connectDatabase } from './platform/db/bootstrap.ts';
import { startFilesWorker, sweepOrphanFiles } from './platform/files/files.ts';
import { createJobs } from './platform/jobs/jobs.ts';
import { startDailyMaintenance, startMaintenance } from './platform/jobs/maintenance.ts';
import { createLogger } from './platform/logger.ts';
import { adapterFromConfig } from './platform/outbox/adapters.ts';
import { delayedMessagesAlert, eraseExpiredSecrets, startOutboxWorker } from './platform/outbox/outbox.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const started = Date.now();

logger.info(config.DATABASE_URL ? 'Connexion à PostgreSQL (DATABASE_URL)…' : `Démarrage de PostgreSQL embarqué dans ${config.LIEN_DATA_DIR}…`);
const runtime = await connectDatabase(config);
const jobs = createJobs(runtime.ownerUrl, runtime.database, logger);
await jobs.start();
const deps = { config, database: runtime.database, jobs };
if (config.WORKERS) {
  await startOutboxWorker(jobs, adapterFromConfig(config));
  await startRegistryWorkers(deps);
  await startFederationWorker(deps);
  await startMessagingWorkers(deps);
  await startFilesWorker(jobs, config);
  await startMaintenance(
    jobs,
    runtime.database,
    [
      releaseAbandonedCalls,
      requeueDueCalls,
      purgeCallerEvents,
      expireVolunteers,
      eraseExpiredSecrets,
      caseTaskReminders(jobs, config.publicUrl),
      appointmentReminders(jobs),
      delayedMessagesAlert(jobs, config.publicUrl, activeOrgAdmins),
    ],
    logger,
  );
  await startDailyMaintenance(jobs, runtime.database, [arrearsCompliance, sweepOrphanFiles(config)], logger);
  await startRetentionPurge(jobs, runtime.database, logger, config);
}
if (config.DEMO_SEED) {
  const demo = await seedDemoIfEmpty(deps, { ownerUrl: runtime.ownerUrl, households: 300, seed: 1 });
  if (demo) console.log(demo.banner);
}

const app = await buildApp(deps, logger);
await app.listen({ port: config.PORT, host: config.HOST });
console.log(
  `\nLien est prêt sur ${config.publicUrl} (en ${((Date.now() - started) / 1000).toFixed(1)} s). Documentation de l'API : ${config.publicUrl}/api/docs\n`,
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'arrêt en cours');
  await app.close().catch(() => {});
  // Password-reset e-mails prepared after their answer had left (constant-time answer).
  await settleDeferredWork().catch(() => {});
  await jobs.stop().catch(() => {});
  await runtime.shutdown().catch(() => {});
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
