// Why (issue 17, « A call for help by SMS to volunteers or to tenants with a skill »): in 2020
// landlords found volunteer sewers by SMS. Staff write a short question, choose the audience —
// the volunteers with a skill, or the tenants of a registry segment —, see the dry run, then send.
// Each recipient gets a personal link (`/aide/<token>`: a short random token, only its SHA-256 is
// kept, no personal data in the address) and, with Brevo, may answer « OUI » or « NON » by SMS.
//
// The public answer page has no session, so no organisation for row-level security: the one
// function `lien_help_answer_org(hash)` (security definer) says which organisation a token belongs
// to (and its name, for the page), nothing else; the answer is then read and written in that organisation's transaction.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table help_calls (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      question text not null check (length(question) between 5 and 200),
      skill text not null check (skill in ('calls', 'deliveries', 'sewing', 'languages')),
      audience text not null check (audience in ('volunteers', 'segment')),
      -- The registry filters of a segment audience (null for volunteers).
      segment jsonb,
      -- The dry run: counts per channel and per exclusion reason (messaging's plan).
      plan jsonb not null,
      status text not null default 'draft' check (status in ('draft', 'sent', 'closed')),
      created_by uuid,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      closed_at timestamptz,
      unique (organisation_id, id),
      foreign key (organisation_id, created_by) references users (organisation_id, id) on delete set null (created_by)
    );
    create index help_calls_created_idx on help_calls (organisation_id, created_at desc);

    create table help_call_recipients (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      call_id uuid not null,
      household_id uuid,
      user_id uuid,
      mobile text not null check (mobile ~ '^\\+[0-9]{8,15}$'),
      token_hash bytea not null unique,
      answer text check (answer in ('yes', 'no')),
      note text check (length(note) <= 300),
      answered_via text check (answered_via in ('link', 'sms')),
      answered_at timestamptz,
      -- The volunteer sign-up staff made from a tenant's « oui ».
      application_id uuid,
      created_at timestamptz not null default now(),
      check (num_nonnulls(household_id, user_id) = 1),
      check ((answer is null) = (answered_at is null)),
      unique (organisation_id, id),
      unique (call_id, household_id),
      unique (call_id, user_id),
      foreign key (organisation_id, call_id) references help_calls (organisation_id, id) on delete cascade,
      foreign key (organisation_id, household_id) references households (organisation_id, id) on delete cascade,
      foreign key (organisation_id, user_id) references users (organisation_id, id) on delete cascade,
      foreign key (organisation_id, application_id) references volunteer_applications (organisation_id, id) on delete set null (application_id)
    );
    create index help_call_recipients_call_idx on help_call_recipients (organisation_id, call_id);
    create index help_call_recipients_mobile_idx on help_call_recipients (organisation_id, mobile, created_at desc);
    create index help_call_recipients_household_idx on help_call_recipients (organisation_id, household_id) where household_id is not null;
  `.execute(db);
  for (const table of ['help_calls', 'help_call_recipients']) await isolate(table).execute(db);
  await sql`
    create function lien_help_answer_org(p_hash bytea) returns table (organisation_id uuid, organisation_name text)
      language sql stable security definer set search_path = public, pg_temp as $$
      select r.organisation_id, o.name from help_call_recipients r join organisations o on o.id = r.organisation_id where r.token_hash = p_hash
    $$;
    revoke all on function lien_help_answer_org(bytea) from public;
    grant execute on function lien_help_answer_org(bytea) to lien_app;
  `.execute(db);
}
