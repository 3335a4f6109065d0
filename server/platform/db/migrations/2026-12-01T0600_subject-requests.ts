// Why (issue 13, TRUST DP-06): a tenant's request to see everything Lien holds about them must be
// answered within the legal month (RGPD art. 12.3). Each request is recorded with the day it was
// received and its due day, so the DPO's screen shows what is late; `kind` leaves room for the
// erasure and objection requests of DP-07. One row per request, isolated per organisation. The
// export reads each table by household, person or recipient, so those lookups get an index.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table subject_requests (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      household_id uuid not null,
      person_id uuid not null,
      kind text not null check (kind in ('access', 'erasure', 'objection')),
      received_on date not null,
      due_on date not null,
      status text not null default 'open' check (status in ('open', 'answered')),
      recorded_by uuid,
      recorded_at timestamptz not null default now(),
      answered_at timestamptz,
      answered_by uuid,
      notes text check (length(notes) <= 2000),
      check (due_on > received_on),
      check ((status = 'answered') = (answered_at is not null)),
      foreign key (organisation_id, household_id) references households (organisation_id, id),
      foreign key (organisation_id, person_id) references persons (organisation_id, id)
    );
    create index subject_requests_due_idx on subject_requests (organisation_id, status, due_on);
    create index subject_requests_person_idx on subject_requests (organisation_id, person_id);

    -- The export reads every table by household, person or recipient: the ones that had no index
    -- for it (a person's messages among a campaign's SMS, a household's visits and enrolments).
    create index messages_recipient_idx on messages (organisation_id, recipient);
    create index doorstep_visits_household_idx on doorstep_visits (organisation_id, household_id);
    create index watch_enrolments_household_idx on watch_enrolments (organisation_id, household_id);
  `.execute(db);
  await isolate('subject_requests').execute(db);
}
