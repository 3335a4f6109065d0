import { sql } from 'kysely';
import type { Database, Tx } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Jobs } from './jobs.ts';

/** One periodic task, run in one organisation's transaction (its id given); returns how many rows it changed. Must be safe to run twice. */
export type MaintenanceTask = { name: string; run: (trx: Tx, now: Date, organisationId: string) => Promise<number> };

/**
 * Run every task for every organisation, each in its own organisation-scoped transaction. One
 * failing organisation or task does not stop the others; failures are returned (and logged).
 */
export async function runMaintenance(database: Database, tasks: MaintenanceTask[], now = new Date(), logger?: Logger): Promise<Record<string, number>> {
  const { rows } = await sql<{ id: string }>`select lien_organisation_ids() as id`.execute(database.db);
  const changed: Record<string, number> = Object.fromEntries(tasks.map((t) => [t.name, 0]));
  const failures: { organisationId: string; task: string; error: string }[] = [];
  for (const { id } of rows) {
    for (const task of tasks) {
      try {
        changed[task.name] = (changed[task.name] ?? 0) + (await database.withOrg({ organisationId: id }, (trx) => task.run(trx, now, id)));
      } catch (error) {
        failures.push({ organisationId: id, task: task.name, error: String((error as Error).message) });
        logger?.error({ organisationId: id, task: task.name, err: error }, 'maintenance task failed');
      }
    }
  }
  return { ...changed, failures: failures.length };
}

/** Every minute: expired call claims back to the queue, volunteers past their end date disabled (TRUST DP-08). */
export async function startMaintenance(jobs: Jobs, database: Database, tasks: MaintenanceTask[], logger: Logger) {
  await jobs.every('maintenance', '* * * * *', async () => {
    const changed = await runMaintenance(database, tasks, new Date(), logger);
    if (Object.values(changed).some((n) => n > 0)) logger.info({ changed }, 'maintenance');
  });
}

/** Every day at 05:00 UTC (6:00 or 7:00 in Paris, one run whatever the number of servers): the daily tasks (the arrears compliance check, the sweep of orphaned file bytes). */
export async function startDailyMaintenance(jobs: Jobs, database: Database, tasks: MaintenanceTask[], logger: Logger) {
  await jobs.every('daily-maintenance', '0 5 * * *', async () => {
    const changed = await runMaintenance(database, tasks, new Date(), logger);
    logger.info({ changed }, 'daily maintenance');
  });
}
