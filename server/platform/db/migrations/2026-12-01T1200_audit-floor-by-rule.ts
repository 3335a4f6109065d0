// Why (issue 13, TRUST DP-02): the audit trail's deletion (`lien_purge_audit`, migration
// 2026-12-01T0900_retention) refused only a cut-off younger than six months, so the application
// role could delete events the organisation's own rule (twelve months by default, six at least)
// still keeps: the rule lived only in TypeScript. The database now enforces it: the trail is kept
// from `lien_audit_kept_from()` — now minus the organisation's security rule in months (its
// `retention_rules` row, twelve without one, never less than six) — and the function refuses a
// younger cut-off. The purge asks the same function for the oldest cut-off it may use.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function lien_audit_kept_from() returns timestamptz
      language sql stable set search_path = public, pg_temp as $$
        select now() - make_interval(months => greatest(6, coalesce(
          (select r.months from retention_rules r where r.organisation_id = lien_current_org() and r.purpose = 'security'), 12)))
      $$;
    revoke execute on function lien_audit_kept_from() from public;
    grant execute on function lien_audit_kept_from() to lien_app;

    create or replace function lien_purge_audit(p_before timestamptz) returns bigint
      language plpgsql volatile security definer set search_path = public, pg_temp as $$
      declare n bigint;
      begin
        if lien_current_org() is null then raise exception 'no organisation'; end if;
        if p_before > lien_audit_kept_from() then
          raise exception 'the audit trail is kept as long as the organisation''s rule says (12 months by default, never less than six months)';
        end if;
        delete from audit_events where organisation_id = lien_current_org() and at < p_before;
        get diagnostics n = row_count;
        return n;
      end $$;
  `.execute(db);
}
