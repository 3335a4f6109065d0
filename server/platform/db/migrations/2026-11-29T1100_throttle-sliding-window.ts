// Why: sign-in throttling kept one counter per key that was forgotten only after an hour without
// any failure, and a lock renewed by the next failure: one wrong password per lock period kept an
// account locked for ever (TRUST AA-07). Each key now keeps the instants of its recent failures
// (a sliding window, trimmed on write); the delay is computed from them and capped, never stored.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from auth_throttle;
    alter table auth_throttle
      drop column failures,
      drop column last_failure_at,
      drop column locked_until,
      add column failures_at timestamptz[] not null default '{}';
  `.execute(db);
}
