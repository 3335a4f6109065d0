/**
 * The household of a call target or attempt, for the names of the audit journal. Tables of the
 * calls module (campaign_targets, call_attempts): this file moves with the call code to
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
