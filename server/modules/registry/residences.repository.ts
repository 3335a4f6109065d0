import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import { agencyNameOf, userNameOf } from '../identity/index.ts';
import type { Scope } from './households.repository.ts';

export type ResidenceListRow = {
  id: string;
  erp_code: string;
  name: string;
  address: string | null;
  postal_code: string | null;
  city: string | null;
  qpv: boolean;
  agency_id: string;
  agency: string;
  households: number;
  caretaker_id: string | null;
  caretaker_name: string | null;
  caretaker_serving: boolean;
};

/** Residences inside the scope, by agency then name, with their present households and caretaker. */
export async function listResidences(trx: Tx, scope: Scope, filter: { agencyId?: string | undefined; q?: string | undefined }) {
  const r = await sql<ResidenceListRow>`
    select r.id, r.erp_code, r.name, r.address, r.postal_code, r.city, r.qpv, r.agency_id, ${agencyNameOf(sql.ref('r.agency_id'))} as agency, r.caretaker_id,
      ${userNameOf(sql.ref('r.caretaker_id'))} as caretaker_name, lien_caretaker_serves(r.caretaker_id, r.agency_id) as caretaker_serving,
      (select count(*) from housing_units hu join households h on h.organisation_id = hu.organisation_id and h.unit_id = hu.id where hu.residence_id = r.id and h.status = 'active')::int as households
    from residences r
    where true
      ${scope ? sql`and r.agency_id = any(${scope}::uuid[])` : sql``}
      ${filter.agencyId ? sql`and r.agency_id = ${filter.agencyId}` : sql``}
      ${filter.q ? sql`and (strpos(r.search_text, lien_normalise(${filter.q})) > 0 or lower(r.erp_code) = lower(${filter.q}))` : sql``}
    order by ${agencyNameOf(sql.ref('r.agency_id'))} collate "fr-FR-x-icu", r.name collate "fr-FR-x-icu", r.erp_code
    limit 1000`.execute(trx);
  return r.rows;
}

export async function findResidence(trx: Tx, id: string, scope: Scope) {
  const r = await sql<{ id: string; agency_id: string; caretaker_id: string | null }>`
    select id, agency_id, caretaker_id from residences where id = ${id} ${scope ? sql`and agency_id = any(${scope}::uuid[])` : sql``}
    for update`.execute(trx);
  return r.rows[0];
}

/** Set the caretaker; the doorstep lists read it, so pending visits follow at once. */
export async function setCaretaker(trx: Tx, id: string, caretakerId: string | null) {
  await sql`update residences set caretaker_id = ${caretakerId} where id = ${id}`.execute(trx);
}
