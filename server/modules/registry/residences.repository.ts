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
};

/** Residences inside the scope, by agency then name, with their present households and caretaker. */
export async function listResidences(trx: Tx, scope: Scope, filter: { agencyId?: string | undefined; q?: string | undefined }) {
  const r = await sql<ResidenceListRow>`
    select r.id, r.erp_code, r.name, r.address, r.postal_code, r.city, r.qpv, r.agency_id, a.name as agency, r.caretaker_id,
      u.first_name || ' ' || u.last_name as caretaker_name, coalesce(c.n, 0)::int as households
    from residences r join agencies a on a.id = r.agency_id left join users u on u.id = r.caretaker_id
    left join (select hu.residence_id, count(*) as n from households h join housing_units hu on hu.id = h.unit_id
               where h.status = 'active' group by hu.residence_id) c on c.residence_id = r.id
    where true
      ${scope ? sql`and r.agency_id = any(${scope}::uuid[])` : sql``}
      ${filter.agencyId ? sql`and r.agency_id = ${filter.agencyId}` : sql``}
      ${filter.q ? sql`and (strpos(r.search_text, lien_normalise(${filter.q})) > 0 or lower(r.erp_code) = lower(${filter.q}))` : sql``}
    order by a.name, r.name, r.erp_code
    limit 1000`.execute(trx);
  return r.rows;
}

export async function findResidence(trx: Tx, id: string, scope: Scope) {
  const r = await sql<{ id: string; agency_id: string; caretaker_id: string | null }>`
    select id, agency_id, caretaker_id from residences where id = ${id} ${scope ? sql`and agency_id = any(${scope}::uuid[])` : sql``}
    for update`.execute(trx);
  return r.rows[0];
}

/** Active caretakers of the organisation, with their agencies (none: the whole organisation). */
export async function caretakers(trx: Tx) {
  const r = await sql<{ id: string; name: string; agency_ids: string[] }>`
    select u.id, u.first_name || ' ' || u.last_name as name,
      array(select ua.agency_id from user_agencies ua where ua.user_id = u.id order by ua.agency_id) as agency_ids
    from users u where u.role = 'caretaker' and u.status = 'active' order by u.last_name, u.first_name`.execute(trx);
  return r.rows;
}

/** Set the caretaker; pending doorstep visits of the residence follow (trigger). */
export async function setCaretaker(trx: Tx, id: string, caretakerId: string | null) {
  await sql`update residences set caretaker_id = ${caretakerId} where id = ${id}`.execute(trx);
}
