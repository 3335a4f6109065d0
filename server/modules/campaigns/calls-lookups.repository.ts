/**
 * Reads of the calls module's tables (campaign_targets, call_attempts, charter_acceptances) that
 * code outside the call code needs: the household of a target or attempt (audit journal names),
 * the callers who accepted the charter (caller pool). This file moves with the call code to
 * server/modules/calls/ (listed in scripts/check-table-owners.ts until then).
 */
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';

async function householdsOf(trx: Tx, table: 'campaign_targets' | 'call_attempts', ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const r = await sql<{ id: string; household_id: string }>`
    select x.id, x.household_id from ${sql.table(table)} x where x.id = any(${[...ids]}::uuid[])`.execute(trx);
  return new Map(r.rows.map((x) => [x.id, x.household_id]));
}

/** The household of each of these call targets, by target id. */
export const targetHouseholds = (trx: Tx, ids: readonly string[]) => householdsOf(trx, 'campaign_targets', ids);

/** The household of each of these call attempts, by attempt id. */
export const attemptHouseholds = (trx: Tx, ids: readonly string[]) => householdsOf(trx, 'call_attempts', ids);

/** Which of these users accepted this version of the callers' charter. */
export async function charterAcceptedAmong(trx: Tx, q: { userIds: readonly string[]; version: string }): Promise<Set<string>> {
  if (!q.userIds.length) return new Set();
  const rows = await trx
    .selectFrom('charter_acceptances')
    .select('user_id')
    .where('user_id', 'in', [...q.userIds])
    .where('version', '=', q.version)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}
