// Why (issue 13, TRUST DP-02): each landlord sets, per purpose, how long its data is kept (the
// defaults come from the CNIL's framework for social housing and live in the code, see
// server/modules/retention/defaults.ts); a row here is an organisation's own choice for one
// purpose, so an organisation without rows uses the defaults (who changed a rule is in the audit trail). The daily purge deletes what has
// expired, the audit trail included: the application role may not delete audit events (the trail
// is append-only), so one function, run as the owner, deletes the current organisation's events
// older than a cut-off, and refuses a cut-off younger than six months (the trail's floor).
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table retention_rules (
      organisation_id uuid not null references organisations (id),
      purpose text not null check (purpose in ('rental_management', 'arrears', 'fragility_register', 'campaign', 'referral', 'portal', 'security', 'service_operation')),
      end_kind text not null check (end_kind in ('end_of_followup', 'purpose_lasts', 'fixed')),
      months integer not null check (months between 0 and 120),
      updated_at timestamptz not null default now(),
      primary key (organisation_id, purpose)
    );

    create function lien_purge_audit(p_before timestamptz) returns bigint
      language plpgsql volatile security definer set search_path = public, pg_temp as $$
      declare n bigint;
      begin
        if lien_current_org() is null then raise exception 'no organisation'; end if;
        if p_before > now() - interval '6 months' then raise exception 'the audit trail is kept at least six months'; end if;
        delete from audit_events where organisation_id = lien_current_org() and at < p_before;
        get diagnostics n = row_count;
        return n;
      end $$;
    revoke execute on function lien_purge_audit(timestamptz) from public;
    grant execute on function lien_purge_audit(timestamptz) to lien_app;

    -- The purge looks for old rows by their date in every table: the ones with no index for it.
    create index call_attempts_recorded_idx on call_attempts (organisation_id, recorded_at);
    create index followups_closed_idx on followups (organisation_id, closed_at) where closed_at is not null;
    -- Deleting a queue entry cascades to its attempts: without this index each deletion scanned
    -- every attempt (24 s for 4,400 entries of a 5,000-household bench).
    create index call_attempts_target_idx on call_attempts (organisation_id, target_id);
  `.execute(db);
  await isolate('retention_rules').execute(db);
}
