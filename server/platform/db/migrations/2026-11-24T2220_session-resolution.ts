// Why: every API request resolves its session cookie. One SECURITY DEFINER call now returns
// the session, its user's role, status and agencies and the timeout flags, instead of a
// look-up plus a transaction of three statements (the dispatch benchmark spent a third of its
// statements there). It returns nothing but the row of the presented token hash.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function auth_resolve_session(p_token_hash bytea, p_idle_minutes integer, p_absolute_hours integer)
      returns table (session_id uuid, organisation_id uuid, user_id uuid, stage text, authenticated_at timestamptz, role text,
        user_status text, idle boolean, expired boolean, past_end boolean, stale boolean, agency_ids uuid[])
      language sql stable security definer set search_path = public, pg_temp as $$
        select s.id, s.organisation_id, s.user_id, s.stage, s.authenticated_at, u.role, u.status,
          s.last_seen_at < now() - make_interval(mins => p_idle_minutes),
          s.created_at < now() - make_interval(hours => p_absolute_hours),
          u.end_date is not null and u.end_date < (now() at time zone 'Europe/Paris')::date,
          s.last_seen_at < now() - interval '1 minute',
          array(select ua.agency_id from user_agencies ua where ua.user_id = s.user_id and ua.organisation_id = s.organisation_id order by ua.agency_id)
        from sessions s join users u on u.id = s.user_id and u.organisation_id = s.organisation_id
        where s.token_hash = p_token_hash and s.ended_at is null
      $$;
    revoke execute on function auth_resolve_session(bytea, integer, integer) from public;
    grant execute on function auth_resolve_session(bytea, integer, integer) to lien_app;
    drop function auth_session_by_token(bytea);
  `.execute(db);
}
