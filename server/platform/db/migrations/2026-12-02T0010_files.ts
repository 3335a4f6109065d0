// Why (issue 16, TRUST IN-08): tenants will send photos and documents. A file is recorded once it
// is checked and written under a random name; it opens only when ClamAV found it clean. The bytes
// live in the data directory, not in the database (platform/files).
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table files (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      storage_name text not null check (storage_name ~ '^[0-9a-f]{32}$'),
      file_name text not null check (length(file_name) between 1 and 130),
      content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
      size_bytes integer not null check (size_bytes > 0),
      purpose text not null check (length(purpose) between 1 and 60),
      scan_status text not null default 'pending' check (scan_status in ('pending', 'clean', 'infected')),
      scan_signature text,
      scanned_at timestamptz,
      created_by uuid,
      created_at timestamptz not null default now(),
      unique (organisation_id, id),
      unique (organisation_id, storage_name),
      foreign key (organisation_id, created_by) references users (organisation_id, id) on delete set null (created_by)
    );
  `.execute(db);
  await sql`${isolate('files')}`.execute(db);
}
