/**
 * What other modules may know of the registry's tables, through index.ts (issue 10: one owner
 * per table): names by id, in the caller's transaction (one query per kind, never one per row),
 * and SQL fragments their own statements embed, so a list stays one query.
 */
import { type Expression, type RawBuilder, sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';

/** A household as staff know it: the holder first (then co-holder, occupant) and the ERP reference. */
const householdName = sql<string>`coalesce((
    select p.first_name || ' ' || p.last_name from persons p where p.organisation_id = h.organisation_id and p.household_id = h.id
    order by case p.household_role when 'holder' then 0 when 'co_holder' then 1 else 2 end, p.last_name limit 1
  ) || ' (' || h.erp_ref || ')', 'ménage ' || h.erp_ref)`;

/** « Prénom Nom (REF) » (or « ménage REF ») of each of these households, by id. */
export async function householdNames(trx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const r = await sql<{ id: string; name: string }>`
    select h.id, ${householdName} as name from households h where h.id = any(${[...ids]}::uuid[])`.execute(trx);
  return new Map(r.rows.map((x) => [x.id, x.name]));
}

/** Residence names by id. */
export async function residenceNames(trx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await trx
    .selectFrom('residences')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((x) => [x.id, x.name]));
}

/** File names of imports by id. */
export async function importFileNames(trx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await trx
    .selectFrom('imports')
    .select(['id', 'file_name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((x) => [x.id, x.file_name]));
}

/** The agency of a household (its residence's), or undefined when the household is not in the organisation. */
export async function householdAgencyOf(trx: Tx, householdId: string): Promise<string | undefined> {
  const r = await sql<{ agency_id: string }>`
    select r.agency_id from households h join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id
    where h.id = ${householdId}`.execute(trx);
  return r.rows[0]?.agency_id;
}

/** The ERP reference of the household whose id is `id` (a column of the embedding statement). */
export const householdRefOf = (id: Expression<string | null> | RawBuilder<unknown>): RawBuilder<string> =>
  sql<string>`(select hh.erp_ref from households hh where hh.id = ${id})`;

/** The holder's name of the household whose id is `id`, or null. */
export const householdHolderOf = (id: Expression<string | null> | RawBuilder<unknown>): RawBuilder<string | null> =>
  sql<string | null>`(select hh.holder_name from households hh where hh.id = ${id})`;

/** The name of the residence whose id is `id`. */
export const residenceNameOf = (id: Expression<string | null> | RawBuilder<unknown>): RawBuilder<string> =>
  sql<string>`(select rr.name from residences rr where rr.id = ${id})`;

type Ref = Expression<string | null> | RawBuilder<unknown>;

/**
 * The residence whose id is `id`, as a lateral row (`cross join lateral (${residenceRow(…)}) r`):
 * name, address, postal code, city, agency, caretaker.
 */
export const residenceRow = (id: Ref) =>
  sql<{
    name: string;
    address: string | null;
    postal_code: string | null;
    city: string | null;
    agency_id: string;
    caretaker_id: string | null;
  }>`select rr.name, rr.address, rr.postal_code, rr.city, rr.agency_id, rr.caretaker_id from residences rr where rr.id = ${id}`;

/** The household whose id is `id` and its dwelling, as a lateral row: holder's name, unit reference, floor. */
export const householdUnitRow = (id: Ref) => sql<{ holder: string | null; unit: string; floor: number | null }>`
  select hh.holder_name as holder, hu.erp_ref as unit, hu.floor from households hh join housing_units hu on hu.organisation_id = hh.organisation_id and hu.id = hh.unit_id where hh.id = ${id}`;

/** Whether the household whose id is `id` has a phone number (any contact point but an e-mail). */
export const householdHasPhone = (id: Ref) =>
  sql<boolean>`exists (select 1 from persons p join contact_points c on c.organisation_id = p.organisation_id and c.person_id = p.id where p.household_id = ${id} and c.kind <> 'email' and c.ended_at is null)`;

/**
 * What a referral to a partner may carry of a household (issue 14, TRUST DP-09): the holder's
 * name, a current phone number, the residence's address and commune. Undefined outside the organisation.
 */
export async function householdReferralFacts(trx: Tx, householdId: string) {
  const r = await sql<{ holder: string | null; phone: string | null; address: string | null; postal_code: string | null; city: string | null }>`
    select hh.holder_name as holder,
      (select c.value from persons p join contact_points c on c.organisation_id = p.organisation_id and c.person_id = p.id
        where p.household_id = hh.id and c.kind <> 'email' and c.ended_at is null
        order by case p.household_role when 'holder' then 0 when 'co_holder' then 1 else 2 end, c.kind = 'landline', c.updated_at desc limit 1) as phone,
      rr.address, rr.postal_code, rr.city
    from households hh join housing_units hu on hu.organisation_id = hh.organisation_id and hu.id = hh.unit_id
      join residences rr on rr.organisation_id = hu.organisation_id and rr.id = hu.residence_id
    where hh.id = ${householdId}`.execute(trx);
  return r.rows[0];
}

/** A housing unit as the solidarity module lends it (issue 17): where it is, its size, whether a household lives there. */
export type LendableUnit = {
  id: string;
  erpRef: string;
  floor: number | null;
  rooms: number | null;
  residence: string;
  address: string;
  postalCode: string;
  city: string;
  agencyId: string;
  vacant: boolean;
};

const lendableUnit = sql<LendableUnit>`json_build_object(
    'id', u.id, 'erpRef', u.erp_ref, 'floor', u.floor, 'rooms', u.rooms, 'residence', r.name, 'address', r.address,
    'postalCode', r.postal_code, 'city', r.city, 'agencyId', r.agency_id,
    'vacant', not exists (select 1 from households h where h.unit_id = u.id and h.status = 'active'))`;

/** The vacant units (no active household) of these agencies (null: all), by residence and reference; at most `limit`. */
export async function vacantUnits(trx: Tx, agencyIds: readonly string[] | null, limit = 500): Promise<LendableUnit[]> {
  const r = await sql<{ unit: LendableUnit }>`
    select ${lendableUnit} as unit from housing_units u join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id
    where not exists (select 1 from households h where h.unit_id = u.id and h.status = 'active')
      and (${agencyIds === null} or r.agency_id = any(${agencyIds ?? []}::uuid[]))
    order by r.name, u.erp_ref limit ${limit}`.execute(trx);
  return r.rows.map((x) => x.unit);
}

/** Units by id, with their address and whether they are vacant. */
export async function lendableUnits(trx: Tx, ids: readonly string[]): Promise<Map<string, LendableUnit>> {
  if (!ids.length) return new Map();
  const r = await sql<{ unit: LendableUnit }>`
    select ${lendableUnit} as unit from housing_units u join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id where u.id = any(${[...ids]}::uuid[])`.execute(
    trx,
  );
  return new Map(r.rows.map((x) => [x.unit.id, x.unit]));
}

/**
 * What a deliverer needs of a household (issue 17): the holder's first name, the door (address,
 * unit, floor) and a current phone; nothing else. Also its residence and agency, for the server.
 */
export type DeliveryFacts = {
  householdId: string;
  firstName: string | null;
  address: string;
  unit: string;
  floor: number | null;
  phone: string | null;
  residenceId: string;
  agencyId: string;
};

export async function deliveryFacts(trx: Tx, householdIds: readonly string[]): Promise<Map<string, DeliveryFacts>> {
  if (!householdIds.length) return new Map();
  const r = await sql<DeliveryFacts>`
    select hh.id as "householdId",
      (select p.first_name from persons p where p.household_id = hh.id
        order by case p.household_role when 'holder' then 0 when 'co_holder' then 1 else 2 end limit 1) as "firstName",
      rr.address || ', ' || rr.postal_code || ' ' || rr.city as address, hu.erp_ref as unit, hu.floor,
      (select c.value from persons p join contact_points c on c.organisation_id = p.organisation_id and c.person_id = p.id
        where p.household_id = hh.id and c.kind <> 'email' and c.ended_at is null
        order by case p.household_role when 'holder' then 0 when 'co_holder' then 1 else 2 end, c.kind = 'landline', c.updated_at desc limit 1) as phone,
      rr.id as "residenceId", rr.agency_id as "agencyId"
    from households hh join housing_units hu on hu.organisation_id = hh.organisation_id and hu.id = hh.unit_id
      join residences rr on rr.organisation_id = hu.organisation_id and rr.id = hu.residence_id
    where hh.id = any(${[...householdIds]}::uuid[])`.execute(trx);
  return new Map(r.rows.map((x) => [x.householdId, x]));
}

/** What a partner needs at a distribution's door (issue 17): the holder's name and how many people the household counts. */
export async function distributionListFacts(
  trx: Tx,
  householdIds: readonly string[],
): Promise<Map<string, { name: string; persons: number; agencyId: string }>> {
  if (!householdIds.length) return new Map();
  const r = await sql<{ id: string; name: string; persons: number; agency_id: string }>`
    select hh.id, coalesce((select p.last_name || ' ' || p.first_name from persons p where p.household_id = hh.id
        order by case p.household_role when 'holder' then 0 when 'co_holder' then 1 else 2 end limit 1), 'Ménage ' || hh.erp_ref) as name,
      (select count(*)::int from persons p where p.household_id = hh.id) as persons, hh.agency_id
    from households hh where hh.id = any(${[...householdIds]}::uuid[])`.execute(trx);
  return new Map(r.rows.map((x) => [x.id, { name: x.name, persons: x.persons, agencyId: x.agency_id }]));
}
