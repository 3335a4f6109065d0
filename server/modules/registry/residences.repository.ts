import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
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
    select r.id, r.erp_code, r.name, r.address, r.postal_code, r.city, r.qpv, r.agency_id, a.name as agency, r.caretaker_id,
      u.first_name || ' ' || u.last_name as caretaker_name, lien_caretaker_serves(r.caretaker_id, r.agency_id) as caretaker_serving,
      (select count(*) from housing_units hu join households h on h.unit_id = hu.id where hu.residence_id = r.id and h.status = 'active')::int as households
    from residences r join agencies a on a.id = r.agency_id left join users u on u.id = r.caretaker_id
    where true
      ${scope ? sql`and r.agency_id = any(${scope}::uuid[])` : sql``}
      ${filter.agencyId ? sql`and r.agency_id = ${filter.agencyId}` : sql``}
      ${filter.q ? sql`and (strpos(r.search_text, lien_normalise(${filter.q})) > 0 or lower(r.erp_code) = lower(${filter.q}))` : sql``}
    order by a.name collate "fr-FR-x-icu", r.name collate "fr-FR-x-icu", r.erp_code
    limit 1000`.execute(trx);
  return r.rows;
}

export async function findResidence(trx: Tx, id: string, scope: Scope) {
  const r = await sql<{ id: string; agency_id: string; caretaker_id: string | null }>`
    select id, agency_id, caretaker_id from residences where id = ${id} ${scope ? sql`and agency_id = any(${scope}::uuid[])` : sql``}
    for update`.execute(trx);
  return r.rows[0];
}

/** Active caretakers of the organisation who may serve the scope: of one of its agencies, or of the whole organisation. */
export async function caretakers(trx: Tx, scope: Scope) {
  const r = await sql<{ id: string; name: string; agency_ids: string[] }>`
    select u.id, u.first_name || ' ' || u.last_name as name,
      array(select ua.agency_id from user_agencies ua where ua.user_id = u.id order by ua.agency_id) as agency_ids
    from users u where u.role = 'caretaker' and u.status = 'active'
      ${
        scope
          ? sql`and (not exists (select 1 from user_agencies ua where ua.user_id = u.id)
              or exists (select 1 from user_agencies ua where ua.user_id = u.id and ua.agency_id = any(${scope}::uuid[])))`
          : sql``
      }
    order by u.last_name collate "fr-FR-x-icu", u.first_name collate "fr-FR-x-icu"`.execute(trx);
  return r.rows;
}

/** An active caretaker of the organisation, and whether they serve this agency (`lien_caretaker_serves`). */
export async function caretakerFor(trx: Tx, caretakerId: string, agencyId: string) {
  const r = await sql<{ name: string; serves: boolean }>`
    select u.first_name || ' ' || u.last_name as name, lien_caretaker_serves(u.id, ${agencyId}) as serves
    from users u where u.id = ${caretakerId} and u.role = 'caretaker' and u.status = 'active'`.execute(trx);
  return r.rows[0];
}

/** Set the caretaker; the doorstep lists read it, so pending visits follow at once. */
export async function setCaretaker(trx: Tx, id: string, caretakerId: string | null) {
  await sql`update residences set caretaker_id = ${caretakerId} where id = ${id}`.execute(trx);
}
