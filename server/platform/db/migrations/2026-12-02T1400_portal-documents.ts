// Why (issue 16, « Documents »): the landlord makes documents available to one household
// (`portal_documents`: an attestation, a payment plan, a letter — a file kept through
// platform/files) and asks a household for documents (`portal_document_requests`: what is asked,
// its status asked → received → accepted | redo with a reason); each file the tenant sends for a
// request is one `portal_document_uploads` row (the tenant sends again after « à refaire »).
//
// Like the portal's other tables: the organisation policy, and the restrictive household policy
// (`lien_current_household()`, set only in a tenant's transaction) so a tenant's transaction sees
// only their household's documents and requests, whatever a query asks.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

const ownHousehold = (table: string) =>
  sql.raw(`
    create policy ${table}_tenant on ${table} as restrictive
      using ((select lien_current_household()) is null or household_id = (select lien_current_household()))
      with check ((select lien_current_household()) is null or household_id = (select lien_current_household()));
  `);

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table portal_documents (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      household_id uuid not null,
      kind text not null check (kind in ('attestation', 'plan_apurement', 'courrier', 'autre')),
      title text not null check (length(title) between 1 and 200),
      file_id uuid not null,
      published_by uuid,
      published_at timestamptz not null default now(),
      first_opened_at timestamptz,
      withdrawn_at timestamptz,
      unique (organisation_id, id),
      foreign key (organisation_id, household_id) references households (organisation_id, id) on delete cascade,
      foreign key (organisation_id, file_id) references files (organisation_id, id),
      foreign key (organisation_id, published_by) references users (organisation_id, id) on delete set null (published_by)
    );
    create index portal_documents_household_idx on portal_documents (organisation_id, household_id, published_at desc);
    create index portal_documents_file_idx on portal_documents (organisation_id, file_id);

    create table portal_document_requests (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      household_id uuid not null,
      label text not null check (length(label) between 1 and 200),
      note text check (length(note) between 1 and 2000),
      due_on date,
      asked_by uuid,
      asked_at timestamptz not null default now(),
      status text not null default 'asked' check (status in ('asked', 'received', 'accepted', 'redo')),
      redo_reason text check (length(redo_reason) between 1 and 2000),
      updated_at timestamptz not null default now(),
      closed_at timestamptz,
      unique (organisation_id, id),
      check ((status = 'redo') = (redo_reason is not null)),
      check ((status = 'accepted') = (closed_at is not null)),
      foreign key (organisation_id, household_id) references households (organisation_id, id) on delete cascade,
      foreign key (organisation_id, asked_by) references users (organisation_id, id) on delete set null (asked_by)
    );
    create index portal_document_requests_household_idx on portal_document_requests (organisation_id, household_id, asked_at desc);

    create table portal_document_uploads (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      request_id uuid not null,
      household_id uuid not null,
      file_id uuid not null,
      person_id uuid,
      uploaded_at timestamptz not null default now(),
      unique (organisation_id, id),
      foreign key (organisation_id, request_id) references portal_document_requests (organisation_id, id) on delete cascade,
      foreign key (organisation_id, household_id) references households (organisation_id, id) on delete cascade,
      foreign key (organisation_id, file_id) references files (organisation_id, id),
      foreign key (organisation_id, person_id) references persons (organisation_id, id) on delete set null (person_id)
    );
    create index portal_document_uploads_request_idx on portal_document_uploads (organisation_id, request_id, uploaded_at);
    create index portal_document_uploads_file_idx on portal_document_uploads (organisation_id, file_id);
  `.execute(db);
  for (const table of ['portal_documents', 'portal_document_requests', 'portal_document_uploads']) {
    await sql`${isolate(table)}`.execute(db);
    await sql`${ownHousehold(table)}`.execute(db);
  }
}
