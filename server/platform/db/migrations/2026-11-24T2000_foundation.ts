// Why: the ground every module stands on — organisations and their agencies, staff accounts,
// server-side sessions, single-use tokens, the append-only audit trail and the outbox — with
// organisation isolation enforced by row-level security on every organisation-owned table.
import { type Kysely, sql } from 'kysely';

/** Enable + force RLS with one policy that checks the organisation both ways. */
export function isolate(table: string, column = 'organisation_id') {
  return sql.raw(`
    alter table ${table} enable row level security;
    alter table ${table} force row level security;
    create policy ${table}_isolation on ${table}
      using (${column} = (select lien_current_org()))
      with check (${column} = (select lien_current_org()));
  `);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function lien_current_org() returns uuid language sql stable as $$
      select nullif(current_setting('lien.org_id', true), '')::uuid
    $$;

    -- UUID version 7 (time-ordered) on PostgreSQL 15+, which has no uuidv7() before 18.
    create function lien_uuid_v7() returns uuid language sql volatile as $$
      select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
        placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
        from 1 for 6), 52, 1), 53, 1), 'hex')::uuid
    $$;

    create table organisations (
      id uuid primary key default lien_uuid_v7(),
      slug text not null unique check (slug ~ '^[a-z0-9-]{2,40}$'),
      name text not null,
      kind text not null default 'landlord' check (kind in ('landlord', 'federation')),
      created_at timestamptz not null default now()
    );

    create table agencies (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      code text not null,
      name text not null,
      duty_phone text,
      created_at timestamptz not null default now(),
      unique (organisation_id, code),
      unique (organisation_id, id)
    );

    create table users (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      email text not null check (email = lower(email)),
      first_name text not null,
      last_name text not null,
      role text not null check (role in ('org_admin', 'manager', 'staff', 'social_worker', 'caretaker', 'volunteer', 'partner', 'federation_analyst')),
      status text not null default 'invited' check (status in ('invited', 'active', 'inactive')),
      password_hash text,
      totp_secret text,
      totp_enabled boolean not null default false,
      totp_last_step bigint,
      end_date date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (organisation_id, id)
    );
    -- E-mail identifies an account at sign-in, before any organisation is known.
    create unique index users_email_key on users (email);
    create index users_org_name_idx on users (organisation_id, last_name, first_name);

    create table user_agencies (
      organisation_id uuid not null,
      user_id uuid not null,
      agency_id uuid not null,
      primary key (organisation_id, user_id, agency_id),
      foreign key (organisation_id, user_id) references users (organisation_id, id) on delete cascade,
      foreign key (organisation_id, agency_id) references agencies (organisation_id, id)
    );

    create table sessions (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      user_id uuid not null,
      token_hash bytea not null unique,
      stage text not null check (stage in ('second_factor', 'enrolment', 'active')),
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      authenticated_at timestamptz not null default now(),
      ended_at timestamptz,
      end_reason text,
      foreign key (organisation_id, user_id) references users (organisation_id, id)
    );
    create index sessions_org_user_idx on sessions (organisation_id, user_id) where ended_at is null;

    create table user_tokens (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      user_id uuid not null,
      purpose text not null check (purpose in ('password_reset', 'invitation')),
      token_hash bytea not null unique,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      foreign key (organisation_id, user_id) references users (organisation_id, id)
    );
    create index user_tokens_org_user_idx on user_tokens (organisation_id, user_id);

    -- Sign-in throttling by hashed key (account or address): not organisation data.
    create table auth_throttle (
      key text primary key,
      failures integer not null default 0,
      last_failure_at timestamptz not null default now(),
      locked_until timestamptz
    );

    create table audit_events (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      at timestamptz not null default now(),
      actor_id uuid,
      actor_role text,
      action text not null,
      object_type text,
      object_id uuid,
      ip text,
      details jsonb not null default '{}'
    );
    create index audit_events_org_at_idx on audit_events (organisation_id, at desc);
    create index audit_events_org_object_idx on audit_events (organisation_id, object_id);

    create table messages (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      channel text not null check (channel in ('email', 'sms')),
      recipient text not null,
      subject text,
      body text not null,
      purpose text not null,
      idempotency_key text not null,
      status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'delivered_locally', 'failed', 'unknown')),
      adapter text,
      provider_message_id text,
      attempts integer not null default 0,
      last_error text,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      unique (organisation_id, idempotency_key)
    );
    create index messages_org_created_idx on messages (organisation_id, created_at desc);
  `.execute(db);

  for (const table of ['agencies', 'users', 'user_agencies', 'sessions', 'user_tokens', 'audit_events', 'messages']) {
    await isolate(table).execute(db);
  }
  await isolate('organisations', 'id').execute(db);

  await sql`
    -- Look-ups that must happen before the organisation is known (sign-in, session cookie,
    -- e-mailed links). They return the minimum needed to open an organisation-scoped transaction.
    create function auth_user_by_email(p_email text)
      returns table (id uuid, organisation_id uuid)
      language sql stable security definer set search_path = public, pg_temp as $$
        select u.id, u.organisation_id from users u where u.email = lower(p_email)
      $$;
    create function auth_session_by_token(p_token_hash bytea)
      returns table (session_id uuid, organisation_id uuid)
      language sql stable security definer set search_path = public, pg_temp as $$
        select s.id, s.organisation_id from sessions s where s.token_hash = p_token_hash and s.ended_at is null
      $$;
    create function auth_token_by_hash(p_token_hash bytea)
      returns table (token_id uuid, organisation_id uuid)
      language sql stable security definer set search_path = public, pg_temp as $$
        select t.id, t.organisation_id from user_tokens t
        where t.token_hash = p_token_hash and t.used_at is null and t.expires_at > now()
      $$;
    revoke execute on function auth_user_by_email(text), auth_session_by_token(bytea), auth_token_by_hash(bytea) from public;
    grant execute on function auth_user_by_email(text), auth_session_by_token(bytea), auth_token_by_hash(bytea) to lien_app;

    -- The audit trail is append-only for the application.
    revoke update, delete, truncate on audit_events from lien_app;
  `.execute(db);
}
