// Why (issue 17, « Food aid »): in 2020 landlords and associations distributed food parcels
// (130 families in Drancy, « paniers solidaires »), meals and hygiene kits, with lists kept in
// spreadsheets. A distribution: the partner association, the day and place, the capacity, the
// kind; the households invited (from a segment of the registry or from the open cases of type
// food), who came, and a list the partner prints with only what it needs at the door.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table distributions (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      partner_id uuid not null,
      kind text not null check (kind in ('food_parcel', 'meals', 'hygiene_kit')),
      held_on date not null,
      place text not null check (length(place) between 2 and 200),
      capacity integer not null check (capacity between 1 and 2000),
      status text not null default 'planned' check (status in ('planned', 'held', 'cancelled')),
      created_by uuid,
      created_at timestamptz not null default now(),
      unique (organisation_id, id),
      foreign key (organisation_id, partner_id) references partners (organisation_id, id)
    );
    create index distributions_day_idx on distributions (organisation_id, held_on desc);

    create table distribution_invitees (
      organisation_id uuid not null,
      distribution_id uuid not null,
      household_id uuid not null,
      source text not null check (source in ('segment', 'food_case')),
      invited_at timestamptz not null default now(),
      attended boolean,
      marked_at timestamptz,
      primary key (distribution_id, household_id),
      foreign key (organisation_id, distribution_id) references distributions (organisation_id, id) on delete cascade,
      foreign key (organisation_id, household_id) references households (organisation_id, id)
    );
    create index distribution_invitees_org_idx on distribution_invitees (organisation_id, distribution_id);
    create index distribution_invitees_household_idx on distribution_invitees (organisation_id, household_id);
  `.execute(db);
  for (const table of ['distributions', 'distribution_invitees']) await isolate(table).execute(db);
}
