import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';

/** Free failures before a key is locked, per kind of key. */
const allowance: Record<string, number> = { acct: 5, ip: 30, totp: 5 };
const maxLockSeconds = 15 * 60;

function kindOf(key: string) {
  return key.split(':')[0] ?? '';
}

/** Refuse with 429 and a French message while any key is locked. No permanent lockout. */
export async function assertNotThrottled(database: Database, keys: string[]): Promise<void> {
  const row = await database.db
    .selectFrom('auth_throttle')
    .select(sql<number>`ceil(extract(epoch from max(locked_until) - now()))`.as('seconds'))
    .where('key', 'in', keys)
    .where('locked_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  const seconds = Number(row?.seconds ?? 0);
  if (seconds > 0) {
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    throw new AppError('too_many_attempts', 429, `Trop de tentatives infructueuses. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.`, {
      retryAfterSeconds: seconds,
    });
  }
}

/**
 * Count a failure. Past the allowance the key is locked for a delay that doubles with each
 * further failure (30 s, 1 min, 2 min … up to 15 min). Failures older than an hour are forgotten.
 */
export async function recordFailure(database: Database, keys: string[]): Promise<void> {
  for (const key of keys) {
    const free = allowance[kindOf(key)] ?? 5;
    await sql`
      insert into auth_throttle (key, failures, last_failure_at) values (${key}, 1, now())
      on conflict (key) do update set
        failures = case when auth_throttle.last_failure_at < now() - interval '1 hour' then 1 else auth_throttle.failures + 1 end,
        last_failure_at = now(),
        locked_until = case
          when auth_throttle.last_failure_at >= now() - interval '1 hour' and auth_throttle.failures + 1 >= ${free}
          then now() + make_interval(secs => least(${maxLockSeconds}, 30 * power(2, auth_throttle.failures + 1 - ${free})))
          else auth_throttle.locked_until end
    `.execute(database.db);
  }
}

/** Forget failures after a success. */
export async function clearFailures(database: Database, keys: string[]): Promise<void> {
  await database.db.deleteFrom('auth_throttle').where('key', 'in', keys).execute();
}
