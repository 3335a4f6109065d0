// Why (issue 12, import speed; ADR 0013): the staging tables `import_lines` and `import_cells`
// referenced `imports` with a foreign key, checked row by row: one look-up of the same import row,
// with its lock, for every line staged — a million for 500,000 households. Measured on 194,427
// staged lines, the insert took 2.5–3.9 s with the key, 0.8–1.3 s without it. The same rules are
// now kept by triggers that run once per statement:
// - a statement that writes staged rows locks their imports (FOR KEY SHARE, as the foreign key
//   does) and fails with foreign_key_violation when one is missing — one look-up per distinct
//   import (one per statement in practice) instead of one per row;
// - deleting imports deletes their staged rows (what ON DELETE CASCADE did);
// - an import's id or organisation cannot change (what the key's NO ACTION forbade while lines
//   referred to it; nothing changes them).
// Both tables keep their row-level security (a row outside the current organisation is refused
// by WITH CHECK before the trigger runs) and their primary key.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table import_lines drop constraint import_lines_organisation_id_import_id_fkey;
    alter table import_cells drop constraint import_cells_organisation_id_import_id_fkey;

    create function lien_import_staging_check() returns trigger language plpgsql as $$
    declare
      wanted integer;
      found integer;
    begin
      select count(*) into wanted from (select distinct organisation_id, import_id from staged) s;
      with locked as (
        select i.id from imports i where (i.organisation_id, i.id) in (select organisation_id, import_id from staged) for key share of i)
      select count(*) into found from locked;
      if found < wanted then
        raise foreign_key_violation using message = format('insert or update on table "%s" refers to an import that does not exist', tg_table_name);
      end if;
      return null;
    end $$;

    create trigger import_lines_import_exists after insert on import_lines
      referencing new table as staged for each statement execute function lien_import_staging_check();
    create trigger import_lines_import_exists_update after update on import_lines
      referencing new table as staged for each statement execute function lien_import_staging_check();
    create trigger import_cells_import_exists after insert on import_cells
      referencing new table as staged for each statement execute function lien_import_staging_check();
    create trigger import_cells_import_exists_update after update on import_cells
      referencing new table as staged for each statement execute function lien_import_staging_check();

    create function lien_import_staging_cascade() returns trigger language plpgsql as $$
    begin
      delete from import_lines l using gone g where l.organisation_id = g.organisation_id and l.import_id = g.id;
      delete from import_cells c using gone g where c.organisation_id = g.organisation_id and c.import_id = g.id;
      return null;
    end $$;
    create trigger imports_staging_cascade after delete on imports
      referencing old table as gone for each statement execute function lien_import_staging_cascade();

    create function lien_import_key_fixed() returns trigger language plpgsql as $$
    begin
      raise foreign_key_violation using message = 'an import keeps its id and organisation';
    end $$;
    create trigger imports_key_fixed before update of id, organisation_id on imports
      for each row when (old.id is distinct from new.id or old.organisation_id is distinct from new.organisation_id)
      execute function lien_import_key_fixed();
  `.execute(db);
}
