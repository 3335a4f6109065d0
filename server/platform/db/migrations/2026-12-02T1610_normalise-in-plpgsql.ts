// Why (issue 12, the first import's writes): lien_normalise (lower + unaccent) is computed twice
// for every person an import writes (the stored columns search_name and search_last). As an
// immutable SQL function whose body calls the stable unaccent, PostgreSQL cannot inline it and
// runs it through the SQL-function executor: 2.1 µs a call, against 0.7 µs for the same
// expression in PL/pgSQL (194,427 calls: 416 ms against 142 ms). Persons' insert of 100,000
// households: 4.72 → 3.75 s (docs/benchmarks.md, 2026-12-01, session 15). Same expression, same
// results: the stored columns and the indexes built on them stay valid.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function lien_normalise(value text) returns text language plpgsql immutable parallel safe as $$
    begin
      return lower(public.unaccent('public.unaccent'::regdictionary, coalesce(value, '')));
    end $$`.execute(db);
}
