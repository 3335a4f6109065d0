// Why (issue 12, import speed; ADR 0029): the registry's seven references that an import writes by
// the hundred thousand were foreign keys, checked row by row: one look-up of the parent, with a
// row lock, for every unit, household, lease (two), balance, person and contact point written —
// about 4.2 million for 500,000 households, ≈ 7 µs each (docs/benchmarks.md). The same rules are
// now kept by triggers that set a whole statement's rows against their parents at once:
// - an insert checks that every parent it names exists (one join of the statement's new rows with
//   the parent table) and locks those parents (FOR KEY SHARE, as the foreign key does) — except
//   the ones this very transaction wrote: no other transaction sees a row we inserted, and one we
//   updated stays locked by that update until we end;
// - an update that changes a row's reference checks and locks its new parent (row by row, only
//   when the reference changes, as the foreign key does);
// - deleting a parent still referenced, or changing its key, fails (NO ACTION, as before);
// - each failure is a foreign_key_violation (SQLSTATE 23503), as before.
// Every other reference (the modules' tables towards households, persons, units) stays a foreign
// key. Row-level security still applies to every write and to the checks (they run as the writer).
import { type Kysely, sql } from 'kysely';

/** child table, its reference column, parent table, the foreign key it replaces. */
const references = [
  ['housing_units', 'residence_id', 'residences', 'housing_units_organisation_id_residence_id_fkey'],
  ['households', 'unit_id', 'housing_units', 'households_organisation_id_unit_id_fkey'],
  ['leases', 'household_id', 'households', 'leases_organisation_id_household_id_fkey'],
  ['leases', 'unit_id', 'housing_units', 'leases_organisation_id_unit_id_fkey'],
  ['household_balances', 'household_id', 'households', 'household_balances_organisation_id_household_id_fkey'],
  ['persons', 'household_id', 'households', 'persons_organisation_id_household_id_fkey'],
  ['contact_points', 'person_id', 'persons', 'contact_points_organisation_id_person_id_fkey'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A statement's new rows (transition table new_rows): every parent they name exists, and the
    -- parents another transaction could delete are locked. Arguments: reference column, parent table.
    create function lien_reference_check() returns trigger language plpgsql as $$
    declare
      wanted bigint;
      present bigint;
      others bigint;
      locked bigint;
    begin
      execute format($q$
        with wanted as (select distinct organisation_id, %1$I as id from new_rows where %1$I is not null),
        present as (select p.organisation_id, p.id, p.xmin = pg_current_xact_id()::xid as mine
                    from %3$I.%2$I p join wanted w on p.organisation_id = w.organisation_id and p.id = w.id),
        locked as (select 1 from %3$I.%2$I p where (p.organisation_id, p.id) in (select organisation_id, id from present where not mine) for key share of p)
        select (select count(*) from wanted), (select count(*) from present), (select count(*) from present where not mine), (select count(*) from locked)$q$,
        tg_argv[0], tg_argv[1], tg_table_schema) into wanted, present, others, locked;
      if present < wanted or locked < others then
        raise foreign_key_violation using message = format('insert or update on table "%s" refers to a row of "%s" that does not exist', tg_table_name, tg_argv[1]);
      end if;
      return null;
    end $$;

    -- One row whose reference changed: its new parent exists, locked. Arguments as above.
    create function lien_reference_check_row() returns trigger language plpgsql as $$
    declare
      target uuid := (to_jsonb(new) ->> tg_argv[0])::uuid;
      found boolean;
    begin
      if target is null then return null; end if;
      execute format('select true from %I.%I p where p.organisation_id = $1 and p.id = $2 for key share of p', tg_table_schema, tg_argv[1]) using new.organisation_id, target into found;
      if found is null then
        raise foreign_key_violation using message = format('insert or update on table "%s" refers to a row of "%s" that does not exist', tg_table_name, tg_argv[1]);
      end if;
      return null;
    end $$;

    -- Parents deleted by a statement (transition table old_rows), or one whose key changed: none
    -- may still be referenced. Arguments: child table, its reference column.
    create function lien_reference_restrict() returns trigger language plpgsql as $$
    declare
      referenced boolean;
    begin
      -- Under REPEATABLE READ this look-up would not see a child committed after the snapshot (a
      -- foreign key checks with a fresh one); every writer of Lien reads committed.
      if current_setting('transaction_isolation') = 'repeatable read' then
        raise feature_not_supported using message = format('rows of "%s" cannot be deleted nor rekeyed in a REPEATABLE READ transaction (ADR 0029)', tg_table_name);
      end if;
      if tg_level = 'STATEMENT' then
        execute format('select exists (select 1 from %3$I.%1$I c join old_rows o on c.organisation_id = o.organisation_id and c.%2$I = o.id)', tg_argv[0], tg_argv[1], tg_table_schema) into referenced;
      else
        execute format('select exists (select 1 from %3$I.%1$I c where c.organisation_id = $1 and c.%2$I = $2)', tg_argv[0], tg_argv[1], tg_table_schema) using old.organisation_id, old.id into referenced;
      end if;
      if referenced then
        raise foreign_key_violation using message = format('update or delete on table "%s" leaves rows of "%s" referring to it', tg_table_name, tg_argv[0]);
      end if;
      return null;
    end $$;
  `.execute(db);

  for (const [child, column, parent, constraint] of references) {
    const name = `${child}_${column}`;
    await sql`
      alter table ${sql.table(child)} drop constraint ${sql.id(constraint)};
      create trigger ${sql.id(`${name}_exists`)} after insert on ${sql.table(child)}
        referencing new table as new_rows for each statement execute function lien_reference_check(${sql.lit(column)}, ${sql.lit(parent)});
      create trigger ${sql.id(`${name}_moved`)} after update of organisation_id, ${sql.id(column)} on ${sql.table(child)}
        for each row when (old.organisation_id is distinct from new.organisation_id or old.${sql.id(column)} is distinct from new.${sql.id(column)})
        execute function lien_reference_check_row(${sql.lit(column)}, ${sql.lit(parent)});
      create trigger ${sql.id(`${name}_parent_deleted`)} after delete on ${sql.table(parent)}
        referencing old table as old_rows for each statement execute function lien_reference_restrict(${sql.lit(child)}, ${sql.lit(column)});
      create trigger ${sql.id(`${name}_parent_key`)} after update of organisation_id, id on ${sql.table(parent)}
        for each row when (old.organisation_id is distinct from new.organisation_id or old.id is distinct from new.id)
        execute function lien_reference_restrict(${sql.lit(child)}, ${sql.lit(column)});
    `.execute(db);
  }
}
