// Why (TRUST AA-05): every staff account now signs in with a second factor. This adds one-time
// recovery codes (stored as SHA-256 hashes, each used once), marks the demo organisation
// explicitly (its second-factor page shows the demo accounts' current code: never inferred from
// a slug a real landlord could choose, and the application role cannot set it — only the demo
// seed does, through the owner connection), and ends the open sessions of accounts without a
// second factor, so that they enrol at their next sign-in instead of keeping a password-only
// session for up to 12 hours.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table organisations add column is_demo boolean not null default false;
    revoke insert, update on organisations from lien_app;
    grant insert (id, slug, name, kind) on organisations to lien_app;
    grant update (slug, name, kind) on organisations to lien_app;

    create table user_recovery_codes (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      user_id uuid not null,
      code_hash bytea not null unique,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      foreign key (organisation_id, user_id) references users (organisation_id, id) on delete cascade
    );
    create index user_recovery_codes_org_user_idx on user_recovery_codes (organisation_id, user_id);

    update sessions s set ended_at = now(), end_reason = 'second_factor_required'
      from users u where u.id = s.user_id and s.ended_at is null and not u.totp_enabled;
  `.execute(db);
  await isolate('user_recovery_codes').execute(db);
}
