// Why (issue 17, « Vacant homes lent »): in 2020 landlords lent vacant flats free of charge to
// health workers and to women fleeing violence, matched by phone and spreadsheets. An offer is a
// vacant housing unit of the registry for some dates and a kind of guest; a request comes from a
// hospital, a care home or an association with only what matching needs (dates, area, household
// size: no name of the person); a lending joins them, from the agreement to the keys returned.
//
// The address of a flat lent as an emergency shelter for a person fleeing violence is known only
// to the two people who need it: the landlord's keeper of the offer and the requester's referent.
// Which unit an offer lends is not a column of `lending_offers` but of `lending_offer_units`, whose
// restrictive policy lets a confidential row be read or written only by a transaction whose user
// (`lien.user_id`) is one of the two: whatever the code asks, the database hides it (ADR 0018).
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table lending_offers (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      audience text not null check (audience in ('health_workers', 'violence_shelter', 'other')),
      furnished boolean not null,
      available_from date not null,
      available_to date not null check (available_to >= available_from),
      -- The area for matching (the residence's postal code and city), never the address.
      postal_code text not null check (postal_code ~ '^[0-9]{5}$'),
      city text not null,
      capacity integer not null check (capacity between 1 and 12),
      status text not null default 'open' check (status in ('open', 'matched', 'occupied', 'closed')),
      keeper_id uuid not null,
      created_at timestamptz not null default now(),
      closed_at timestamptz,
      check ((status = 'closed') = (closed_at is not null)),
      unique (organisation_id, id),
      foreign key (organisation_id, keeper_id) references users (organisation_id, id)
    );
    create index lending_offers_open_idx on lending_offers (organisation_id, audience, postal_code) where status = 'open';

    create table lending_offer_units (
      offer_id uuid primary key,
      organisation_id uuid not null,
      unit_id uuid not null,
      confidential boolean not null,
      keeper_id uuid not null,
      referent_id uuid,
      -- Set when the keys come back: the unit is vacant again and may be offered anew.
      released_at timestamptz,
      foreign key (organisation_id, offer_id) references lending_offers (organisation_id, id) on delete cascade,
      foreign key (organisation_id, unit_id) references housing_units (organisation_id, id),
      foreign key (organisation_id, keeper_id) references users (organisation_id, id),
      foreign key (organisation_id, referent_id) references users (organisation_id, id)
    );
    -- A unit is lent by one offer at a time.
    create unique index lending_offer_units_unit_idx on lending_offer_units (organisation_id, unit_id) where released_at is null;

    create table lending_requests (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      audience text not null check (audience in ('health_workers', 'violence_shelter', 'other')),
      requester_kind text not null check (requester_kind in ('hospital', 'care_home', 'association')),
      requester_name text not null check (length(requester_name) between 2 and 120),
      needed_from date not null,
      needed_to date not null check (needed_to >= needed_from),
      -- A department (2 digits) or a postal code (5 digits).
      area text not null check (area ~ '^[0-9]{2}([0-9]{3})?$'),
      household_size integer not null check (household_size between 1 and 12),
      referent_id uuid not null,
      status text not null default 'open' check (status in ('open', 'matched', 'closed')),
      created_by uuid,
      created_at timestamptz not null default now(),
      closed_at timestamptz,
      unique (organisation_id, id),
      foreign key (organisation_id, referent_id) references users (organisation_id, id)
    );
    create index lending_requests_open_idx on lending_requests (organisation_id, status, created_at);

    create table lendings (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      offer_id uuid not null,
      request_id uuid not null,
      status text not null default 'agreed' check (status in ('agreed', 'occupied', 'ended')),
      agreed_at timestamptz not null default now(),
      keys_handed_at timestamptz,
      keys_returned_at timestamptz,
      created_by uuid,
      check ((status = 'agreed') = (keys_handed_at is null)),
      check ((status = 'ended') = (keys_returned_at is not null)),
      unique (organisation_id, id),
      unique (organisation_id, request_id),
      foreign key (organisation_id, offer_id) references lending_offers (organisation_id, id) on delete cascade,
      foreign key (organisation_id, request_id) references lending_requests (organisation_id, id) on delete cascade
    );
    create unique index lendings_offer_idx on lendings (organisation_id, offer_id);
  `.execute(db);
  for (const table of ['lending_offers', 'lending_offer_units', 'lending_requests', 'lendings']) await isolate(table).execute(db);
  await sql`
    -- The two people of a confidential lending: the keeper and the referent, and nobody else.
    create function lien_knows_lent_address(p_confidential boolean, p_keeper uuid, p_referent uuid) returns boolean language sql stable as $$
      select not p_confidential
        or nullif(current_setting('lien.user_id', true), '')::uuid in (p_keeper, p_referent)
    $$;
    create policy lending_offer_units_confidential on lending_offer_units as restrictive
      using (lien_knows_lent_address(confidential, keeper_id, referent_id))
      with check (lien_knows_lent_address(confidential, keeper_id, referent_id));
  `.execute(db);
}
