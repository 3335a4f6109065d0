// Why (issue 13, TRUST DP-07, found on issue 12's import): a restriction of processing empties a
// household's oldest birth date (the register's age filter is a purpose the erasure removed).
// The summary refresh that imports and staff edits of persons run filled it in again from the
// persons kept for the lease. It now keeps a restricted household's oldest birth date empty;
// its holder name (the lease's) is still refreshed.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function lien_refresh_household_summary(ids uuid[]) returns void language sql as $$
      update households h set holder_name = s.holder_name, oldest_birth_date = case when h.restricted_at is null then s.oldest end
      from (select p.household_id,
              (array_agg(p.last_name || ' ' || p.first_name
                 order by array_position(array['holder', 'co_holder', 'occupant'], p.household_role), p.birth_date, p.person_key))[1] as holder_name,
              min(p.birth_date) as oldest
            from persons p where p.household_id = any(ids) group by p.household_id) s
      where h.id = s.household_id
        and (h.holder_name, h.oldest_birth_date) is distinct from (s.holder_name, case when h.restricted_at is null then s.oldest end)
    $$;
  `.execute(db);
}
