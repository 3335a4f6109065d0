// Why (issue 16): tenants reach Lien for the first time, through the portal (module `portal`).
// They sign in without a password, by a 6-digit code sent to a contact point the landlord knows
// (`portal_codes`, only an HMAC of the code is kept), into a session of their own
// (`tenant_sessions`). They file requests (`portal_requests`) and exchange with staff
// (`portal_request_messages`, a file attached through platform/files); staff keep internal notes
// (`portal_request_notes`) and a deadline per category (`portal_deadlines`), and write FAQ and news
// for one agency's tenants or for all (`portal_articles`).
//
// A tenant sees only their own household, in the database: the portal's tenant transactions set
// `lien.household_id` (module portal, `withTenant`), and restrictive policies narrow every portal
// table to that household — the notes, codes and sessions to nothing at all. Staff transactions
// never set it, and the permissive organisation policy applies as everywhere.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

/** Restrictive policy: in a tenant's transaction, only rows of the tenant's household. */
const ownHousehold = (table: string) =>
  sql.raw(`
    create policy ${table}_tenant on ${table} as restrictive
      using ((select lien_current_household()) is null or household_id = (select lien_current_household()))
      with check ((select lien_current_household()) is null or household_id = (select lien_current_household()));
  `);

/** Restrictive policy: nothing in a tenant's transaction (staff only). */
const staffOnly = (table: string) =>
  sql.raw(`
    create policy ${table}_staff_only on ${table} as restrictive
      using ((select lien_current_household()) is null)
      with check ((select lien_current_household()) is null);
  `);

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function lien_current_household() returns uuid language sql stable as $$
      select nullif(current_setting('lien.household_id', true), '')::uuid
    $$;

    -- The portal's page names its landlord by slug: its id and name, nothing else, only a landlord.
    create function lien_portal_landlord(p_slug text) returns table (id uuid, name text)
      language sql stable security definer set search_path = public, pg_temp as $$
        select o.id, o.name from organisations o where o.slug = p_slug and o.kind = 'landlord'
      $$;
    revoke all on function lien_portal_landlord(text) from public;
    grant execute on function lien_portal_landlord(text) to lien_app;

    create table portal_codes (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      person_id uuid not null,
      household_id uuid not null,
      contact_point_id uuid not null,
      code_hash bytea not null,
      expires_at timestamptz not null,
      attempts integer not null default 0 check (attempts between 0 and 5),
      used_at timestamptz,
      created_at timestamptz not null default now(),
      unique (organisation_id, id),
      foreign key (organisation_id, person_id) references persons (organisation_id, id) on delete cascade,
      foreign key (organisation_id, household_id) references households (organisation_id, id) on delete cascade
    );

    create table tenant_sessions (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      person_id uuid not null,
      household_id uuid not null,
      token_hash bytea not null unique,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      ended_at timestamptz,
      end_reason text,
      unique (organisation_id, id),
      foreign key (organisation_id, person_id) references persons (organisation_id, id) on delete cascade,
      foreign key (organisation_id, household_id) references households (organisation_id, id) on delete cascade
    );
    create index tenant_sessions_person_idx on tenant_sessions (organisation_id, person_id);

    create table portal_deadlines (
      organisation_id uuid not null references organisations (id),
      category text not null check (category in ('technical', 'common_areas', 'rent', 'certificate', 'neighbourhood', 'other')),
      days integer not null check (days between 1 and 90),
      primary key (organisation_id, category)
    );

    create table portal_requests (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      household_id uuid not null,
      agency_id uuid not null,
      person_id uuid,
      category text not null check (category in ('technical', 'common_areas', 'rent', 'certificate', 'neighbourhood', 'other')),
      description text not null check (length(description) between 1 and 4000),
      status text not null default 'new' check (status in ('new', 'in_progress', 'waiting_tenant', 'resolved', 'closed')),
      assigned_to uuid,
      due_at timestamptz not null,
      case_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      closed_at timestamptz,
      unique (organisation_id, id),
      foreign key (organisation_id, household_id) references households (organisation_id, id) on delete cascade,
      foreign key (organisation_id, agency_id) references agencies (organisation_id, id),
      foreign key (organisation_id, person_id) references persons (organisation_id, id) on delete set null (person_id),
      foreign key (organisation_id, assigned_to) references users (organisation_id, id) on delete set null (assigned_to),
      foreign key (organisation_id, case_id) references cases (organisation_id, id) on delete set null (case_id)
    );
    create index portal_requests_household_idx on portal_requests (organisation_id, household_id, created_at desc);
    create index portal_requests_inbox_idx on portal_requests (organisation_id, status, due_at);

    create table portal_request_messages (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      request_id uuid not null,
      household_id uuid not null,
      author text not null check (author in ('tenant', 'landlord', 'status')),
      person_id uuid,
      user_id uuid,
      body text not null check (length(body) <= 4000),
      file_id uuid,
      created_at timestamptz not null default now(),
      unique (organisation_id, id),
      check (length(body) > 0 or file_id is not null),
      foreign key (organisation_id, request_id) references portal_requests (organisation_id, id) on delete cascade,
      foreign key (organisation_id, person_id) references persons (organisation_id, id) on delete set null (person_id),
      foreign key (organisation_id, user_id) references users (organisation_id, id) on delete set null (user_id),
      foreign key (organisation_id, file_id) references files (organisation_id, id) on delete set null (file_id)
    );
    create index portal_request_messages_request_idx on portal_request_messages (organisation_id, request_id, created_at);
    create index portal_request_messages_file_idx on portal_request_messages (organisation_id, file_id) where file_id is not null;

    create table portal_request_notes (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      request_id uuid not null,
      user_id uuid,
      body text not null check (length(body) between 1 and 4000),
      created_at timestamptz not null default now(),
      unique (organisation_id, id),
      foreign key (organisation_id, request_id) references portal_requests (organisation_id, id) on delete cascade,
      foreign key (organisation_id, user_id) references users (organisation_id, id) on delete set null (user_id)
    );
    create index portal_request_notes_request_idx on portal_request_notes (organisation_id, request_id, created_at);

    -- FAQ and news written by the landlord, for one agency's tenants or for all (agency_id null).
    create table portal_articles (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      kind text not null check (kind in ('faq', 'news')),
      agency_id uuid,
      title text not null check (length(title) between 1 and 200),
      body text not null check (length(body) between 1 and 8000),
      created_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (organisation_id, id),
      foreign key (organisation_id, agency_id) references agencies (organisation_id, id) on delete cascade,
      foreign key (organisation_id, created_by) references users (organisation_id, id) on delete set null (created_by)
    );
    -- What the landlord lets its tenants see in the portal: their balance and payment plan.
    create table portal_settings (
      organisation_id uuid primary key references organisations (id),
      show_balance boolean not null default false
    );

    create index portal_articles_kind_idx on portal_articles (organisation_id, kind, created_at desc);
  `.execute(db);
  for (const table of [
    'portal_codes',
    'tenant_sessions',
    'portal_deadlines',
    'portal_requests',
    'portal_request_messages',
    'portal_request_notes',
    'portal_articles',
    'portal_settings',
  ])
    await sql`${isolate(table)}`.execute(db);
  for (const table of ['portal_requests', 'portal_request_messages']) await sql`${ownHousehold(table)}`.execute(db);
  for (const table of ['portal_codes', 'tenant_sessions', 'portal_request_notes']) await sql`${staffOnly(table)}`.execute(db);
}
