import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';

type Row<T extends keyof DB> = Omit<Insertable<DB[T]>, 'organisation_id'>;

const CHUNK = 500;

async function insertChunks<T extends keyof DB>(trx: Tx, table: T, rows: Row<T>[], conflict: readonly string[] | null) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows.slice(i, i + CHUNK).map((r) => ({ ...r, organisation_id: sql<string>`lien_current_org()` }));
    let q = trx.insertInto(table).values(values as never);
    if (conflict) q = q.onConflict((oc) => oc.columns(conflict as never).doNothing());
    await q.execute();
  }
}

export function insertResidences(trx: Tx, rows: Row<'residences'>[]) {
  return insertChunks(trx, 'residences', rows, ['organisation_id', 'erp_code']);
}
export function insertUnits(trx: Tx, rows: Row<'housing_units'>[]) {
  return insertChunks(trx, 'housing_units', rows, ['organisation_id', 'erp_ref']);
}
export function insertHouseholds(trx: Tx, rows: Row<'households'>[]) {
  return insertChunks(trx, 'households', rows, ['organisation_id', 'erp_ref']);
}
export function insertPersons(trx: Tx, rows: Row<'persons'>[]) {
  return insertChunks(trx, 'persons', rows, null);
}
export function insertContactPoints(trx: Tx, rows: Row<'contact_points'>[]) {
  return insertChunks(trx, 'contact_points', rows, null);
}
export function insertIndicators(trx: Tx, rows: Row<'vulnerability_indicators'>[]) {
  return insertChunks(trx, 'vulnerability_indicators', rows, null);
}

/** Ids by ERP reference, to attach children after a bulk insert. */
export async function idsByRef(trx: Tx, table: 'residences' | 'housing_units' | 'households', refs: string[]) {
  const column = table === 'residences' ? 'erp_code' : 'erp_ref';
  const map = new Map<string, string>();
  for (let i = 0; i < refs.length; i += 5000) {
    const rows = await sql<{
      id: string;
      ref: string;
    }>`select id, ${sql.ref(column)} as ref from ${sql.table(table)} where ${sql.ref(column)} = any(${refs.slice(i, i + 5000)})`.execute(trx);
    for (const r of rows.rows) map.set(r.ref, r.id);
  }
  return map;
}

/** Households that have no person yet (a re-run of a seed skips filled ones). */
export async function emptyHouseholds(trx: Tx, ids: string[]) {
  if (!ids.length) return new Set<string>();
  const rows = await sql<{
    id: string;
  }>`select h.id from households h where h.id = any(${ids}::uuid[]) and not exists (select 1 from persons p where p.household_id = h.id)`.execute(trx);
  return new Set(rows.rows.map((r) => r.id));
}

export async function countHouseholds(trx: Tx) {
  const r = await trx.selectFrom('households').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Refresh the holder name and oldest birth date kept on households (after persons change). */
export async function refreshHouseholdSummaries(trx: Tx, householdIds: string[]) {
  await sql`select lien_refresh_household_summary(${householdIds}::uuid[])`.execute(trx);
}

/** Give residences (by ERP code) a caretaker, e.g. the demo's caretaker for their agency's residences. */
export async function setResidenceCaretaker(trx: Tx, erpCodes: string[], caretakerId: string) {
  await trx.updateTable('residences').set({ caretaker_id: caretakerId }).where('erp_code', 'in', erpCodes).execute();
}

/** A household someone reached (call or doorstep visit): its last contact moves forward, never back. */
export async function markHouseholdContacted(trx: Tx, contact: { householdId: string; at: Date }) {
  await trx
    .updateTable('households')
    .set({ last_contact_at: contact.at })
    .where('id', '=', contact.householdId)
    .where((eb) => eb.or([eb('last_contact_at', 'is', null), eb('last_contact_at', '<', contact.at)]))
    .execute();
}
