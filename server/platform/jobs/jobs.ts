import { CompiledQuery } from 'kysely';
import { PgBoss } from 'pg-boss';
import { z } from 'zod';
import { APP_ROLE, type Database, OWNER_ROLE, type Tx } from '../db/database.ts';
import type { Logger } from '../logger.ts';

/** Every job names its organisation; a job without one is refused (MT-07). */
const jobEnvelope = z.object({ organisationId: z.string().uuid() }).passthrough();

export type JobHandler<T> = (job: { organisationId: string; data: T; database: Database }) => Promise<void>;

/** Background jobs on pg-boss, in the same PostgreSQL. Handlers must be safe to run twice. */
export type Jobs = {
  /** Enqueue inside the caller's transaction: the job exists if and only if the change commits. */
  send: <T extends { organisationId: string }>(trx: Tx, name: string, data: T, options?: { retryLimit?: number; startAfterSeconds?: number }) => Promise<void>;
  /** Enqueue many jobs of one queue in the caller's transaction, in one statement (a send to 100,000 households). */
  sendMany: <T extends { organisationId: string }>(trx: Tx, name: string, data: readonly T[]) => Promise<void>;
  /**
   * Run a queue's jobs one after the other. `batchSize` > 1 takes that many per fetch and fetches
   * again at once while batches come full (a backlog drains without waiting a polling interval per
   * job); a job that throws fails its batch, whose jobs are retried (handlers are safe to run twice).
   * `concurrency` runs that many such loops at once in this process.
   */
  work: <T extends { organisationId: string }>(name: string, handler: JobHandler<T>, options?: { batchSize?: number; concurrency?: number }) => Promise<void>;
  /**
   * A platform-wide periodic job (cron, UTC). The one exception to MT-07: its handler receives no
   * organisation and must open one organisation-scoped transaction per organisation itself.
   */
  every: (name: 'maintenance' | 'daily-maintenance' | 'retention-purge', cron: string, handler: () => Promise<void>) => Promise<void>;
  start: () => Promise<void>;
  stop: () => Promise<void>;
};

/** Queues known to the product; each is created on start. */
export const jobQueues = [
  'outbox-send',
  'import-validate',
  'import-apply',
  'maintenance',
  'daily-maintenance',
  'retention-purge',
  'files-scan',
  'federation-refresh',
  'messaging-prepare',
] as const;

/**
 * How a queue survives a crashed worker (TRUST FT-04). A running job's worker beats every half
 * `heartbeatSeconds`; the queue monitor pass, every `SUPERVISE_SECONDS`, fails a job whose beats
 * stopped, and it is retried after `retryDelay` (with backoff). So a message whose worker was
 * killed is sent again within about heartbeat + monitor pass + first retry delay (≈ 20 + 10 + 10 s;
 * 35 s measured by `worker-crash.int.test.ts`), under the 2-minute objective; `expireInSeconds`
 * bounds a job that hangs while its worker lives.
 */
export function queuePolicy(name: (typeof jobQueues)[number]) {
  // Imports and the daily purge may run for minutes; messages must be retried quickly.
  const long = name.startsWith('import-') || name === 'retention-purge' || name === 'messaging-prepare';
  return { retryLimit: long ? 2 : 5, retryDelay: 10, retryBackoff: true, expireInSeconds: long ? 1800 : 120, heartbeatSeconds: long ? 60 : 20 };
}
const SUPERVISE_SECONDS = 10;

/** Check a job payload before any handler sees it. */
export function parseJobPayload(data: unknown): { organisationId: string } & Record<string, unknown> {
  const parsed = jobEnvelope.safeParse(data);
  if (!parsed.success) throw new Error('Job refused: payload has no valid organisationId');
  return parsed.data;
}

/** `schema`: pg-boss's own schema (tests use another one to keep their jobs apart). */
export function createJobs(ownerUrl: string, database: Database, logger: Logger, schema = 'pgboss'): Jobs {
  // pg-boss maintains its own schema as the owner role; the app role only enqueues (insert …
  // returning, reading the queue's policy): it may not change or delete anyone's jobs.
  const boss = new PgBoss({
    connectionString: ownerUrl,
    options: `-c role=${OWNER_ROLE}`,
    max: 4,
    schema,
    // Jobs whose heartbeat stopped are failed by the queue monitor pass, due every `monitorIntervalSeconds`.
    superviseIntervalSeconds: SUPERVISE_SECONDS,
    monitorIntervalSeconds: SUPERVISE_SECONDS,
    // An instance that stops beating is taken for dead after 3 beats; its supervision then passes to a live one.
    instanceHeartbeatSeconds: 10,
  });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  let started = false;
  return {
    async start() {
      await boss.start();
      started = true;
      for (const name of jobQueues) {
        // Created once; the policy of a queue created by an earlier version is brought up to date.
        await boss.createQueue(name, queuePolicy(name));
        await boss.updateQueue(name, queuePolicy(name));
      }
      await boss.getDb().executeSql(`
        grant usage on schema ${schema} to ${APP_ROLE};
        revoke insert, update, delete, truncate on all tables in schema ${schema} from ${APP_ROLE};
        grant select on all tables in schema ${schema} to ${APP_ROLE};
        grant insert on ${schema}.job to ${APP_ROLE};
        grant usage, select on all sequences in schema ${schema} to ${APP_ROLE};
        grant execute on all functions in schema ${schema} to ${APP_ROLE};
        -- Enqueuing writes a job into its queue's table (job_common, or the queue's own): that insert only.
        do $$ declare t text; begin
          for t in select distinct table_name from ${schema}.queue loop
            execute format('grant insert on %I.%I to %I', '${schema}', t, '${APP_ROLE}');
          end loop;
        end $$;
      `);
    },
    async stop() {
      if (started) await boss.stop({ graceful: true, timeout: 5000 });
    },
    async send(trx, name, data, options) {
      parseJobPayload(data);
      const db = { executeSql: async (text: string, values?: unknown[]) => trx.executeQuery(CompiledQuery.raw(text, values)) as Promise<{ rows: unknown[] }> };
      await boss.send(name, data, {
        db,
        ...(options?.retryLimit !== undefined ? { retryLimit: options.retryLimit } : {}),
        ...(options?.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
      });
    },
    async sendMany(trx, name, data) {
      if (!data.length) return;
      for (const d of data) parseJobPayload(d);
      const db = { executeSql: async (text: string, values?: unknown[]) => trx.executeQuery(CompiledQuery.raw(text, values)) as Promise<{ rows: unknown[] }> };
      await boss.insert(
        name,
        data.map((d) => ({ data: d })),
        { db },
      );
    },
    async every(name, cron, handler) {
      await boss.schedule(name, cron, {});
      await boss.work(name, { batchSize: 1, pollingIntervalSeconds: 5 }, async () => handler());
    },
    async work(name, handler, options) {
      const batchSize = options?.batchSize ?? 1;
      const concurrency = options?.concurrency ?? 1;
      const tuning = { ...(batchSize > 1 ? { burstWhenBatchFull: true } : {}), ...(concurrency > 1 ? { localConcurrency: concurrency } : {}) };
      await boss.work(name, { batchSize, pollingIntervalSeconds: 1, ...tuning }, async (jobs) => {
        let failure: unknown = null;
        for (const job of jobs) {
          try {
            const payload = parseJobPayload(job.data);
            await handler({ organisationId: payload.organisationId, data: payload as never, database });
          } catch (error) {
            // The other jobs of the batch still run; the batch then fails and is retried.
            failure ??= error;
          }
        }
        if (failure) throw failure;
      });
    },
  };
}
