// Why (issue 17, « Outreach events at the foot of buildings »): in 2020 staff and partners spent
// afternoons at the foot of a building, met tenants and surfaced arrears, technical and health
// problems that were then referred. An event: the residence, the day, the partners and the staff
// or caretakers there; on the day, contacts recorded on a phone — with or without the household —
// and the topics raised; each topic with a household opens (or joins) a case of the right type.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table outreach_events (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      residence_id uuid not null,
      held_on date not null,
      partner_ids uuid[] not null default '{}',
      staff_ids uuid[] not null default '{}',
      created_by uuid,
      created_at timestamptz not null default now(),
      unique (organisation_id, id),
      foreign key (organisation_id, residence_id) references residences (organisation_id, id)
    );
    create index outreach_events_day_idx on outreach_events (organisation_id, held_on desc);

    create table outreach_contacts (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      event_id uuid not null,
      household_id uuid,
      topics text[] not null check (topics <@ array['arrears', 'technical', 'health', 'isolation', 'other']::text[] and cardinality(topics) >= 1),
      cases_opened integer not null default 0,
      recorded_by uuid,
      recorded_at timestamptz not null default now(),
      unique (organisation_id, id),
      foreign key (organisation_id, event_id) references outreach_events (organisation_id, id) on delete cascade,
      foreign key (organisation_id, household_id) references households (organisation_id, id)
    );
    create index outreach_contacts_event_idx on outreach_contacts (organisation_id, event_id);
    create index outreach_contacts_household_idx on outreach_contacts (organisation_id, household_id) where household_id is not null;
  `.execute(db);
  for (const table of ['outreach_events', 'outreach_contacts']) await isolate(table).execute(db);
}
