// Why: a residence's caretaker may later be deactivated, change role or leave the residence's
// agency; their pending doorstep visits must not stay hidden from the other caretakers. Whether
// a caretaker still serves a residence's agency is one function, used by the doorstep lists (a
// visit goes to the residence's caretaker while they serve, else to every caretaker of the
// agency) and by the « Résidences » page. Also: the holder of a household (list sort) gets a
// tiebreak on the person key, so two co-holders born the same day always give the same name.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function lien_caretaker_serves(p_user uuid, p_agency uuid) returns boolean
      language sql stable set search_path = public, pg_temp as $$
        select exists (select 1 from users u where u.id = p_user and u.status = 'active' and u.role = 'caretaker'
          and (not exists (select 1 from user_agencies ua where ua.user_id = u.id)
               or exists (select 1 from user_agencies ua where ua.user_id = u.id and ua.agency_id = p_agency)))
      $$;

    create or replace function lien_refresh_household_summary(ids uuid[]) returns void language sql as $$
      update households h set holder_name = s.holder_name, oldest_birth_date = s.oldest
      from (select p.household_id,
              (array_agg(p.last_name || ' ' || p.first_name
                 order by array_position(array['holder', 'co_holder', 'occupant'], p.household_role), p.birth_date, p.person_key))[1] as holder_name,
              min(p.birth_date) as oldest
            from persons p where p.household_id = any(ids) group by p.household_id) s
      where h.id = s.household_id and (h.holder_name, h.oldest_birth_date) is distinct from (s.holder_name, s.oldest)
    $$;
  `.execute(db);
}
