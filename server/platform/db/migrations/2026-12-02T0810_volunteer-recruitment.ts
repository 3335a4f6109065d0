// Why (issue 17, « Volunteers: recruitment and onboarding »): in 2020 landlords recruited
// volunteers by word of mouth and SMS. A landlord opens a public sign-up page (`/benevoles/<slug>`,
// no account): who, availability, skills, area. Staff vet each application and accept or decline;
// an accepted volunteer gets the existing invitation, accepts the charter, enrols a second factor
// and passes the landlord's short training before any access to a household.
//
// The public page has no session, so no organisation for row-level security: the one function
// `lien_volunteer_page(slug)` (security definer) says which organisation an open page belongs to,
// and nothing else; the application is then written in that organisation's transaction.
// `lien_volunteer_gate(user)` is the gate the calls module reads with its charter check: not
// paused, and the current training passed when the landlord has written one (ADR 0018).
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table volunteer_pages (
      organisation_id uuid primary key references organisations (id),
      slug text not null unique check (slug ~ '^[a-z0-9-]{2,40}$'),
      open boolean not null default true,
      intro text not null default '' check (length(intro) <= 2000),
      updated_at timestamptz not null default now()
    );

    create table volunteer_trainings (
      organisation_id uuid primary key references organisations (id),
      version integer not null default 1 check (version >= 1),
      content text not null check (length(content) between 20 and 20000),
      -- [{ question, options: [..], answer: index }], one to ten questions.
      questions jsonb not null check (jsonb_typeof(questions) = 'array' and jsonb_array_length(questions) between 1 and 10),
      updated_by uuid,
      updated_at timestamptz not null default now()
    );

    create table volunteer_applications (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      first_name text not null check (length(first_name) between 1 and 80),
      last_name text not null check (length(last_name) between 1 and 80),
      email text not null check (length(email) between 3 and 254),
      phone text check (phone ~ '^\\+[0-9]{8,15}$'),
      availability text not null check (length(availability) between 1 and 300),
      skills text[] not null check (skills <@ array['calls', 'deliveries', 'sewing', 'languages']::text[] and cardinality(skills) >= 1),
      languages text check (length(languages) <= 200),
      area text not null check (length(area) between 1 and 100),
      status text not null default 'pending' check (status in ('pending', 'accepted', 'declined')),
      decided_by uuid,
      decided_at timestamptz,
      user_id uuid,
      created_at timestamptz not null default now(),
      check ((status = 'pending') = (decided_at is null)),
      unique (organisation_id, id),
      foreign key (organisation_id, user_id) references users (organisation_id, id) on delete set null (user_id)
    );
    create index volunteer_applications_status_idx on volunteer_applications (organisation_id, status, created_at);

    create table volunteer_profiles (
      user_id uuid primary key,
      organisation_id uuid not null,
      application_id uuid,
      training_version integer,
      training_passed_at timestamptz,
      paused_at timestamptz,
      foreign key (organisation_id, user_id) references users (organisation_id, id) on delete cascade,
      foreign key (organisation_id, application_id) references volunteer_applications (organisation_id, id) on delete set null (application_id)
    );
    create index volunteer_profiles_org_idx on volunteer_profiles (organisation_id, user_id);
  `.execute(db);
  for (const table of ['volunteer_pages', 'volunteer_trainings', 'volunteer_applications', 'volunteer_profiles']) await isolate(table).execute(db);
  await sql`
    create function lien_volunteer_page(p_slug text) returns table (organisation_id uuid, organisation_name text, intro text)
      language sql stable security definer set search_path = public, pg_temp as $$
      select p.organisation_id, o.name, p.intro from volunteer_pages p join organisations o on o.id = p.organisation_id
      where p.slug = p_slug and p.open
    $$;
    revoke all on function lien_volunteer_page(text) from public;
    grant execute on function lien_volunteer_page(text) to lien_app;

    -- Why a volunteer may not reach a household now: 'paused', 'training' (the current one not passed), or null.
    create function lien_volunteer_gate(p_user uuid) returns text language sql stable as $$
      select case
        when exists (select 1 from volunteer_profiles p where p.user_id = p_user and p.paused_at is not null) then 'paused'
        when exists (select 1 from volunteer_trainings t where t.organisation_id = lien_current_org())
          and not exists (select 1 from volunteer_profiles p join volunteer_trainings t on t.organisation_id = p.organisation_id
                          where p.user_id = p_user and p.training_version = t.version) then 'training'
      end
    $$;
  `.execute(db);
}
