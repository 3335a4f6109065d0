// Why (issue 12, ADR 0011): importing 500,000 households took 145 s, most of it maintaining two
// GiST trigram indexes on every person row. The fuzzy name search moves to `person_names`, the
// distinct normalised last names and first names of each organisation: its trigram index grows
// with the number of distinct names (tens of thousands), not of persons (millions). Persons keep
// plain B-tree indexes on their normalised names, which the search reaches once it has chosen
// the names. Statement-level triggers (one set-based insert per statement, whoever writes:
// import, demo seed, benchmarks, tests) keep the table complete; a name nobody bears any more
// stays and finds nobody (the search always goes back to the persons).
// The search also finds a household by the last digits of a phone (a missed-call list): phones'
// digits reversed, so a suffix becomes a prefix, i.e. an index range.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table person_names (
      organisation_id uuid not null references organisations (id),
      kind text not null check (kind in ('last', 'first')),
      name text not null,
      primary key (organisation_id, kind, name)
    );
    create index person_names_trgm_idx on person_names using gist (name gist_trgm_ops);
  `.execute(db);
  await isolate('person_names').execute(db);
  await sql`
    alter table persons add column search_last text generated always as (lien_normalise(last_name)) stored;
    create index persons_search_last_idx on persons (organisation_id, search_last);
    drop index persons_search_idx;
    drop index persons_last_name_idx;

    insert into person_names (organisation_id, kind, name)
    select distinct organisation_id, 'last', search_last from persons where search_last <> ''
    union select distinct organisation_id, 'first', lien_normalise(first_name) from persons where first_name <> '';

    create function lien_person_names_add() returns trigger language plpgsql as $$
    begin
      insert into person_names (organisation_id, kind, name)
      select distinct organisation_id, 'last', search_last from new_persons where search_last <> ''
      union select distinct organisation_id, 'first', lien_normalise(first_name) from new_persons where first_name <> ''
      on conflict do nothing;
      return null;
    end $$;
    create trigger persons_names_inserted after insert on persons referencing new table as new_persons
      for each statement execute function lien_person_names_add();
    create trigger persons_names_updated after update on persons referencing new table as new_persons
      for each statement execute function lien_person_names_add();

    -- Phones only (an e-mail's digits are no phone); a future « ended » contact is left out by
    -- adding its condition to this index and to the search.
    alter table contact_points add column digits_reversed text generated always as (reverse(regexp_replace(value, '[^0-9]', '', 'g'))) stored;
    create index contact_points_digits_suffix_idx on contact_points (organisation_id, (digits_reversed collate "C")) where kind in ('mobile', 'landline');
  `.execute(db);
}
