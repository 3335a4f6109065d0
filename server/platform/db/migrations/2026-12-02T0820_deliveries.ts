// Why (issue 17, « Deliveries »): in 2020 volunteers and caretakers brought meals, groceries and
// medicines to isolated tenants, organised by phone. A delivery is a task for one household,
// assigned to a volunteer or a caretaker, who sees on a phone only the holder's first name, the
// door and a phone; medicines carry no detail (a check, not a promise of the code). « Not at home »
// twice opens a doorstep check: the doorstep visit, until now always born of a call campaign's
// queue entry, may now be born of a delivery instead (`delivery_id`, campaign and target null).
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table deliveries (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      household_id uuid not null,
      agency_id uuid not null,
      kind text not null check (kind in ('meal', 'groceries', 'medicines')),
      -- « 2 repas », « courses du Secours populaire »: never for medicines.
      detail text check (length(detail) between 1 and 200),
      due_on date not null,
      assignee_id uuid not null,
      status text not null default 'assigned' check (status in ('assigned', 'done', 'not_home', 'refused')),
      not_home_count integer not null default 0 check (not_home_count between 0 and 2),
      done_at timestamptz,
      created_by uuid,
      created_at timestamptz not null default now(),
      check (kind <> 'medicines' or detail is null),
      check ((status = 'assigned') = (done_at is null)),
      unique (organisation_id, id),
      foreign key (organisation_id, household_id) references households (organisation_id, id),
      foreign key (organisation_id, assignee_id) references users (organisation_id, id)
    );
    create index deliveries_assignee_idx on deliveries (organisation_id, assignee_id, status, due_on);
    create index deliveries_agency_idx on deliveries (organisation_id, agency_id, status, due_on);
    create index deliveries_household_idx on deliveries (organisation_id, household_id);

    alter table doorstep_visits alter column campaign_id drop not null, alter column target_id drop not null,
      add column delivery_id uuid,
      add constraint doorstep_visits_origin_check check ((target_id is not null and campaign_id is not null) or delivery_id is not null),
      add constraint doorstep_visits_delivery_key unique (organisation_id, delivery_id),
      add foreign key (organisation_id, delivery_id) references deliveries (organisation_id, id) on delete cascade;
  `.execute(db);
  await isolate('deliveries').execute(db);
}
