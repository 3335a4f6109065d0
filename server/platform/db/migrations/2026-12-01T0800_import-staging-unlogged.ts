// Why (issue 12, import speed; ADR 0011): `import_lines` holds an export's lines between staging
// and apply, and is emptied when the import is applied, cancelled or expired. Written in full on
// every import (a million rows for 500,000 households), updated (duplicates, surname case) and
// deleted again, it cost the WAL of every one of those rows. Unlogged, it keeps its row-level
// security, its foreign key to `imports` and its primary key; a crash of PostgreSQL empties it,
// which loses only the staged file of an import not yet applied (it is sent again; the import
// row stays and expires after a day like an abandoned one). Only this transient staging table is
// unlogged: the registry and the imports' history are not.
// The names trigger normalises each distinct first name once, instead of once per person
// (the same set of names, a fraction of the unaccent calls: a file has thousands of persons per
// first name).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table import_lines set unlogged;

    create or replace function lien_person_names_add() returns trigger language plpgsql as $$
    begin
      insert into person_names (organisation_id, kind, name)
      select distinct organisation_id, 'last', search_last from new_persons where search_last <> ''
      union select f.organisation_id, 'first', lien_normalise(f.first_name)
        from (select distinct organisation_id, first_name from new_persons where first_name <> '') f
      on conflict do nothing;
      return null;
    end $$;
  `.execute(db);
}
