// Why: an e-mail address was unique across the whole platform, so a person working with two
// landlords (a partner association, a CCAS, a volunteer helping two) could have only one account,
// and inviting an address already used elsewhere told the admin so (an existence oracle across
// landlords, issue 9 finding 14). An address is now unique within one organisation only; the
// sign-in look-up `auth_user_by_email` (already a set-returning function) returns every account
// of the address, and sign-in asks which organisation when the password fits several.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index users_email_key;
    create unique index users_org_email_key on users (organisation_id, email);
    -- Sign-in and password reset look an address up before any organisation is known.
    create index users_email_idx on users (email);
    create or replace function auth_user_by_email(p_email text)
      returns table (id uuid, organisation_id uuid)
      language sql stable security definer set search_path = public, pg_temp as $$
        select u.id, u.organisation_id from users u where u.email = lower(p_email) order by u.organisation_id, u.id
      $$;
  `.execute(db);
}
