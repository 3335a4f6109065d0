// Why (issue 14, the arrears view of one agency under half a second at 500,000 households): the
// view filtered the households in debt by agency through their home and its residence, one index
// probe pair per household after the merge join (quiet p95 500–733 ms for one agency against
// 315–472 ms for the whole organisation). A household now carries its agency, so the agency's
// households in debt are read in household order from one index and meet the balances in the same
// merge join (ADR 0015).
//
// The rule « a household's agency is the agency of its home's residence » lives here, in the
// database: the import writes the agency with the household (its set-based statement joins the
// residence anyway); any other writer that leaves it empty gets it filled on insert or when the
// home changes; a residence that moves to another agency, or a home that moves to another
// residence, carries its households along.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table households add column agency_id uuid`.execute(db);
  await sql`
    update households h set agency_id = r.agency_id
    from housing_units u join residences r on r.id = u.residence_id
    where u.id = h.unit_id`.execute(db);
  await sql`alter table households alter column agency_id set not null`.execute(db);

  await sql`
    create function lien_household_agency() returns trigger language plpgsql as $$
    begin
      select r.agency_id into new.agency_id
      from housing_units u join residences r on r.id = u.residence_id where u.id = new.unit_id;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger households_agency_on_insert before insert on households
    for each row when (new.agency_id is null) execute function lien_household_agency()`.execute(db);
  await sql`
    create trigger households_agency_on_move before update of unit_id on households
    for each row when (old.unit_id is distinct from new.unit_id and old.agency_id is not distinct from new.agency_id)
    execute function lien_household_agency()`.execute(db);

  await sql`
    create function lien_residence_agency_moved() returns trigger language plpgsql as $$
    begin
      update households h set agency_id = new.agency_id
      from housing_units u where u.residence_id = new.id and h.unit_id = u.id and h.agency_id <> new.agency_id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger residences_agency_moved after update of agency_id on residences
    for each row when (old.agency_id is distinct from new.agency_id) execute function lien_residence_agency_moved()`.execute(db);

  await sql`
    create function lien_unit_residence_moved() returns trigger language plpgsql as $$
    begin
      update households h set agency_id = r.agency_id
      from residences r where r.id = new.residence_id and h.unit_id = new.id and h.agency_id <> r.agency_id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger housing_units_residence_moved after update of residence_id on housing_units
    for each row when (old.residence_id is distinct from new.residence_id) execute function lien_unit_residence_moved()`.execute(db);

  await sql`
    create index households_debt_agency_idx on households (organisation_id, agency_id, id) include (unit_id, balance_cents)
    where balance_cents > 0`.execute(db);
}
