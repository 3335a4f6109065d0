// Why (issue 14, « Partners and referrals »; TRUST DP-09): a case often needs someone outside the
// landlord — the CCAS, an association, Soliha, the FSL office. Partners are organisations a landlord
// knows (`partners`: kind, communes served, needs taken, how many days they have to acknowledge a
// referral); their people sign in with the role `partner` and belong to one partner
// (`partner_members`). A referral (`referrals`) sends one case's need to one partner: only the
// fields of the referral template, as a snapshot kept as sent, after the tenant's recorded
// agreement for that recipient (a consent of purpose `referral` naming the partner); health fields
// (art. 9) only under an explicit consent for that recipient (`referral_health`).
//
// A partner's user reads only the referrals addressed to their partner, whatever the code asks: a
// restrictive policy on `referrals` checks the transaction's user (`lien.user_id`). Staff and
// system work (the purge, the right-of-access export) have no partner and are not narrowed.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table partners (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      name text not null check (length(name) between 2 and 120),
      kind text not null check (kind in ('association', 'ccas', 'civil_protection', 'fsl', 'soliha', 'other')),
      -- Commune names as the registry writes them (residences.city); none: every commune.
      communes text[] not null default '{}',
      -- The case types the partner takes; none: every type.
      need_types text[] not null default '{}'
        check (need_types <@ array['isolation', 'food', 'health', 'rent', 'technical', 'violence', 'other']),
      ack_days integer not null default 5 check (ack_days between 1 and 60),
      active boolean not null default true,
      created_at timestamptz not null default now(),
      unique (organisation_id, id),
      unique (organisation_id, name)
    );

    create table partner_members (
      organisation_id uuid not null,
      user_id uuid not null,
      partner_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (organisation_id, user_id),
      foreign key (organisation_id, user_id) references users (organisation_id, id) on delete cascade,
      foreign key (organisation_id, partner_id) references partners (organisation_id, id) on delete cascade
    );
    create index partner_members_partner_idx on partner_members (organisation_id, partner_id);

    -- The tenant's agreement to a referral names its recipient.
    alter table consents drop constraint consents_purpose_check;
    alter table consents add constraint consents_purpose_check check (purpose in ('health_needs', 'regular_watch', 'referral', 'referral_health'));
    alter table consents add column partner_id uuid;
    alter table consents add constraint consents_partner_check check ((purpose in ('referral', 'referral_health')) = (partner_id is not null));
    alter table consents add foreign key (organisation_id, partner_id) references partners (organisation_id, id);

    create table referrals (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      case_id uuid not null,
      household_id uuid not null,
      -- The case's agency when sent: staff see the referrals of their agencies.
      agency_id uuid not null,
      partner_id uuid not null,
      -- The agreement it rests on, and the explicit consent that let health fields in (if any).
      consent_id uuid not null,
      health_consent_id uuid,
      -- What was sent, exactly: the template's field names and their values at the time.
      fields text[] not null,
      payload jsonb not null,
      status text not null default 'new' check (status in ('new', 'acknowledged', 'accepted', 'declined', 'reported')),
      decline_reason text check (decline_reason in ('out_of_scope', 'no_capacity', 'already_followed', 'other')),
      outcome text check (outcome in ('done', 'unreachable', 'refused', 'redirected')),
      -- The partner's words on a decline or a report (checked by the free-text guard).
      partner_note text check (length(partner_note) <= 500),
      sent_by uuid,
      sent_at timestamptz not null default now(),
      -- sent_at plus the partner's delay at the time: past it, a referral still « new » is overdue.
      ack_due_at timestamptz not null,
      acknowledged_at timestamptz,
      answered_at timestamptz,
      reported_at timestamptz,
      updated_by uuid,
      check ((status = 'declined') = (decline_reason is not null)),
      check ((status = 'reported') = (outcome is not null)),
      unique (organisation_id, id),
      foreign key (organisation_id, case_id) references cases (organisation_id, id) on delete cascade,
      foreign key (organisation_id, household_id) references households (organisation_id, id),
      foreign key (organisation_id, partner_id) references partners (organisation_id, id)
    );
    create index referrals_case_idx on referrals (organisation_id, case_id, sent_at);
    create index referrals_household_idx on referrals (organisation_id, household_id, sent_at);
    create index referrals_partner_idx on referrals (organisation_id, partner_id, status, sent_at);
    create index referrals_agency_idx on referrals (organisation_id, agency_id, sent_at);
    create index referrals_overdue_idx on referrals (organisation_id, ack_due_at) where status = 'new';

    -- The partner of the transaction's user, if they are a partner's user.
    create function lien_user_partner() returns uuid language sql stable as $$
      select m.partner_id from partner_members m where m.user_id = nullif(current_setting('lien.user_id', true), '')::uuid
    $$;
    -- Whether the transaction's user signs in as a partner (their reads are narrowed to their partner's referrals).
    create function lien_user_is_partner() returns boolean language sql stable as $$
      select exists (select 1 from users u where u.id = nullif(current_setting('lien.user_id', true), '')::uuid and u.role = 'partner')
    $$;
  `.execute(db);
  for (const table of ['partners', 'partner_members', 'referrals']) await isolate(table).execute(db);
  await sql`
    -- Each function in a sub-select: evaluated once per statement, not once per row.
    create policy referrals_partner on referrals as restrictive
      using (not (select lien_user_is_partner()) or partner_id = (select lien_user_partner()))
      with check (not (select lien_user_is_partner()) or partner_id = (select lien_user_partner()));
  `.execute(db);
}
