// Why: call campaigns (veille téléphonique). A campaign is a segment of the registry, a script,
// a pool of callers, a retry policy and call windows; its targets are the dispatch queue (one
// caller at a time, most fragile first). Attempts keep every call, follow-ups carry the needs a
// call reveals, doorstep visits take over when nobody answers, the regular watch is the opt-in
// fragility register, and volunteers sign a versioned confidentiality charter.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Last time someone of the household was reached by a call: the « no contact since » filter.
    alter table households add column last_contact_at timestamptz;
    create index households_org_contact_idx on households (organisation_id, last_contact_at);

    -- Volunteers accept the confidentiality charter (versioned) before their first call.
    create table charter_acceptances (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      user_id uuid not null,
      version text not null,
      accepted_at timestamptz not null default now(),
      unique (organisation_id, user_id, version),
      foreign key (organisation_id, user_id) references users (organisation_id, id) on delete cascade
    );

    -- The regular watch is entered only with the tenant's recorded consent.
    alter table consents drop constraint consents_purpose_check;
    alter table consents add constraint consents_purpose_check check (purpose in ('health_needs', 'regular_watch'));

    create table campaigns (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      name text not null check (length(name) between 1 and 120),
      purpose text not null default '' check (length(purpose) <= 1000),
      status text not null default 'draft' check (status in ('draft', 'active', 'paused', 'closed')),
      segment jsonb not null,
      script jsonb not null,
      retry_policy jsonb not null,
      call_windows jsonb not null,
      claim_timeout_minutes integer not null default 15 check (claim_timeout_minutes between 2 and 240),
      excluded_no_call integer not null default 0,
      -- The agencies of the manager who created it (null: the whole organisation): the segment stays
      -- inside them and managers of other agencies do not see the campaign.
      agency_ids uuid[],
      created_by uuid,
      created_at timestamptz not null default now(),
      launched_at timestamptz,
      closed_at timestamptz,
      updated_at timestamptz not null default now(),
      unique (organisation_id, id)
    );
    create index campaigns_org_created_idx on campaigns (organisation_id, created_at desc);

    create table campaign_callers (
      organisation_id uuid not null,
      campaign_id uuid not null,
      user_id uuid not null,
      added_at timestamptz not null default now(),
      primary key (organisation_id, campaign_id, user_id),
      foreign key (organisation_id, campaign_id) references campaigns (organisation_id, id) on delete cascade,
      foreign key (organisation_id, user_id) references users (organisation_id, id) on delete cascade
    );
    create index campaign_callers_user_idx on campaign_callers (organisation_id, user_id);

    -- The dispatch queue: one row per household of the campaign.
    create table campaign_targets (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      campaign_id uuid not null,
      household_id uuid not null,
      agency_id uuid not null,
      residence_id uuid not null,
      priority integer not null,
      last_contact_at timestamptz,
      -- queued: callable now; waiting: a retry or a callback not due yet (kept out of the queue index).
      status text not null default 'queued' check (status in ('queued', 'waiting', 'assigned', 'done', 'doorstep')),
      next_attempt_at timestamptz not null default now(),
      attempts integer not null default 0,
      -- Slots (morning, midday…) of unanswered calls: retries go to other slots; their number is
      -- what the retry policy counts.
      tried_slots text[] not null default '{}',
      assigned_to uuid,
      assigned_at timestamptz,
      claim_expires_at timestamptz,
      callback_user_id uuid,
      final_outcome text,
      updated_at timestamptz not null default now(),
      unique (organisation_id, campaign_id, household_id),
      unique (organisation_id, id),
      foreign key (organisation_id, campaign_id) references campaigns (organisation_id, id) on delete cascade,
      foreign key (organisation_id, household_id) references households (organisation_id, id)
    );
    create index campaign_targets_queue_idx on campaign_targets (organisation_id, campaign_id, priority desc, last_contact_at asc nulls first, id)
      where status = 'queued';
    create index campaign_targets_callback_idx on campaign_targets (organisation_id, campaign_id, callback_user_id, next_attempt_at)
      where status = 'waiting' and callback_user_id is not null;
    create index campaign_targets_waiting_idx on campaign_targets (organisation_id, next_attempt_at) where status = 'waiting';
    create index campaign_targets_claims_idx on campaign_targets (organisation_id, claim_expires_at) where status = 'assigned';
    create index campaign_targets_household_idx on campaign_targets (organisation_id, household_id);
    create index campaign_targets_stats_idx on campaign_targets (organisation_id, campaign_id, status, agency_id);

    create table call_attempts (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      campaign_id uuid not null,
      target_id uuid not null,
      household_id uuid not null,
      caller_id uuid not null,
      claimed_at timestamptz not null,
      recorded_at timestamptz not null default now(),
      outcome text not null check (outcome in ('reached', 'no_answer', 'voicemail', 'busy', 'wrong_number', 'refused', 'callback', 'in_hospital', 'moved', 'deceased')),
      slot text not null,
      callback_at timestamptz,
      answers jsonb not null default '{}',
      note text check (length(note) <= 1000),
      note_flags text[] not null default '{}',
      note_review text check (note_review in ('pending', 'kept', 'redacted')),
      urgent boolean not null default false,
      unique (organisation_id, id),
      foreign key (organisation_id, target_id) references campaign_targets (organisation_id, id) on delete cascade,
      foreign key (organisation_id, household_id) references households (organisation_id, id)
    );
    create index call_attempts_campaign_idx on call_attempts (organisation_id, campaign_id, recorded_at);
    create index call_attempts_household_idx on call_attempts (organisation_id, household_id, recorded_at desc);
    create index call_attempts_review_idx on call_attempts (organisation_id, recorded_at) where note_review = 'pending';

    -- Needs revealed by a call, routed to the team of the household's agency.
    create table followups (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      household_id uuid not null,
      agency_id uuid not null,
      campaign_id uuid,
      attempt_id uuid,
      -- Set for a health need: withdrawing the consent deletes the follow-up too (TRUST DP-03).
      consent_id uuid,
      need text not null,
      label text not null check (length(label) <= 200),
      urgent boolean not null default false,
      status text not null default 'open' check (status in ('open', 'closed')),
      assigned_to uuid,
      resolution text check (length(resolution) <= 500),
      created_at timestamptz not null default now(),
      closed_at timestamptz,
      closed_by uuid,
      unique (organisation_id, attempt_id, need),
      foreign key (organisation_id, household_id) references households (organisation_id, id),
      foreign key (organisation_id, attempt_id) references call_attempts (organisation_id, id) on delete cascade,
      foreign key (organisation_id, assigned_to) references users (organisation_id, id)
    );
    create index followups_org_status_idx on followups (organisation_id, status, agency_id, created_at desc);
    create index followups_household_idx on followups (organisation_id, household_id);

    -- « Porte-à-porte »: when the retry policy is exhausted, the caretaker knocks on the door.
    create table doorstep_visits (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      campaign_id uuid not null,
      target_id uuid not null,
      household_id uuid not null,
      residence_id uuid not null,
      agency_id uuid not null,
      caretaker_id uuid,
      status text not null default 'pending' check (status in ('pending', 'done')),
      result text check (result in ('met', 'absent', 'refused', 'concern', 'moved', 'in_hospital')),
      note text check (length(note) <= 1000),
      created_at timestamptz not null default now(),
      visited_at timestamptz,
      visited_by uuid,
      unique (organisation_id, target_id),
      foreign key (organisation_id, target_id) references campaign_targets (organisation_id, id) on delete cascade,
      foreign key (organisation_id, household_id) references households (organisation_id, id)
    );
    create index doorstep_visits_org_status_idx on doorstep_visits (organisation_id, status, agency_id, created_at);

    -- « Veille régulière »: the opt-in fragility register (TRUST DP-03).
    create table watch_enrolments (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      household_id uuid not null,
      consent_id uuid not null,
      frequency text not null check (frequency in ('weekly', 'fortnightly', 'monthly')),
      status text not null default 'active' check (status in ('active', 'ended')),
      campaign_id uuid,
      enrolled_by uuid,
      enrolled_at timestamptz not null default now(),
      ended_at timestamptz,
      foreign key (organisation_id, household_id) references households (organisation_id, id),
      foreign key (organisation_id, consent_id) references consents (organisation_id, id)
    );
    create unique index watch_enrolments_active_idx on watch_enrolments (organisation_id, household_id) where status = 'active';

    -- Withdrawing a consent ends the regular watch it allowed and deletes the follow-ups of the
    -- health needs it covered, in the same transaction.
    create function lien_end_watch_on_withdrawal() returns trigger language plpgsql as $$
    begin
      update watch_enrolments set status = 'ended', ended_at = new.withdrawn_at where consent_id = new.id and status = 'active';
      delete from followups where consent_id = new.id;
      return new;
    end $$;
    create trigger consents_withdrawal_ends_watch after update of withdrawn_at on consents
      for each row when (new.withdrawn_at is not null and old.withdrawn_at is null) execute function lien_end_watch_on_withdrawal();

    -- A freshly filled queue needs statistics at once, or the planner sorts it for every claim
    -- until autovacuum comes by; the application role does not own the table.
    create function lien_analyze_campaign_targets() returns void
      language sql security definer set search_path = public, pg_temp as $$ analyze campaign_targets $$;
    revoke execute on function lien_analyze_campaign_targets() from public;
    grant execute on function lien_analyze_campaign_targets() to lien_app;

    -- Platform maintenance (expired claims, volunteers past their end date) runs organisation by
    -- organisation; this is the only way the application role learns which organisations exist.
    create function lien_organisation_ids() returns setof uuid
      language sql stable security definer set search_path = public, pg_temp as $$ select id from organisations order by id $$;
    revoke execute on function lien_organisation_ids() from public;
    grant execute on function lien_organisation_ids() to lien_app;
  `.execute(db);
  for (const table of [
    'charter_acceptances',
    'campaigns',
    'campaign_callers',
    'campaign_targets',
    'call_attempts',
    'followups',
    'doorstep_visits',
    'watch_enrolments',
  ]) {
    await isolate(table).execute(db);
  }
}
