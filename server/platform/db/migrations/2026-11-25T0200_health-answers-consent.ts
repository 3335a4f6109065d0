// Why: a call's answers to health questions were kept only when the tenant consented, but they
// stayed in `call_attempts.answers` after the consent was withdrawn (the needs and follow-ups
// were deleted, the raw answers were not). An attempt now names the consent its health answers
// were kept under and which answers they are; withdrawing the consent removes them (TRUST DP-03).
// Attempts recorded before this migration do not name their consent: none exist outside tests
// and the demo at this stage.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table call_attempts add column health_consent_id uuid, add column health_keys text[] not null default '{}';
    create index call_attempts_health_consent_idx on call_attempts (organisation_id, health_consent_id) where health_consent_id is not null;

    -- Withdrawing a consent ends the regular watch it allowed, deletes the follow-ups of the
    -- health needs it covered and removes the health answers kept under it, in the same transaction.
    create or replace function lien_end_watch_on_withdrawal() returns trigger language plpgsql as $$
    begin
      update watch_enrolments set status = 'ended', ended_at = new.withdrawn_at where consent_id = new.id and status = 'active';
      delete from followups where consent_id = new.id;
      update call_attempts set answers = answers - health_keys, health_keys = '{}', health_consent_id = null where health_consent_id = new.id;
      return new;
    end $$;
  `.execute(db);
}
