// Why: the demo landlord needs homes and people from day one. These are the registry's core
// tables (residences → housing units → households → persons → contact points, plus
// vulnerability indicators with their source); the registry module grows them.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table residences (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      agency_id uuid not null,
      erp_code text not null,
      name text not null,
      address text not null,
      postal_code text not null check (postal_code ~ '^[0-9]{5}$'),
      city text not null,
      insee_code text,
      qpv boolean not null default false,
      created_at timestamptz not null default now(),
      unique (organisation_id, erp_code),
      unique (organisation_id, id),
      foreign key (organisation_id, agency_id) references agencies (organisation_id, id)
    );
    create table housing_units (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      residence_id uuid not null,
      erp_ref text not null,
      floor integer,
      rooms integer,
      has_lift boolean,
      unique (organisation_id, erp_ref),
      unique (organisation_id, id),
      foreign key (organisation_id, residence_id) references residences (organisation_id, id)
    );
    create index housing_units_residence_idx on housing_units (organisation_id, residence_id);
    create table households (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      unit_id uuid not null,
      erp_ref text not null,
      status text not null default 'active' check (status in ('active', 'left')),
      created_at timestamptz not null default now(),
      unique (organisation_id, erp_ref),
      unique (organisation_id, id),
      foreign key (organisation_id, unit_id) references housing_units (organisation_id, id)
    );
    create index households_unit_idx on households (organisation_id, unit_id);
    create table persons (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      household_id uuid not null,
      civility text check (civility in ('M.', 'Mme')),
      first_name text not null,
      last_name text not null,
      birth_date date,
      household_role text not null check (household_role in ('holder', 'co_holder', 'occupant')),
      unique (organisation_id, id),
      foreign key (organisation_id, household_id) references households (organisation_id, id)
    );
    create index persons_household_idx on persons (organisation_id, household_id);
    create table contact_points (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      person_id uuid not null,
      kind text not null check (kind in ('mobile', 'landline', 'email')),
      value text not null,
      foreign key (organisation_id, person_id) references persons (organisation_id, id)
    );
    create index contact_points_person_idx on contact_points (organisation_id, person_id);
    create table vulnerability_indicators (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      household_id uuid not null,
      person_id uuid,
      kind text not null check (kind in ('lives_alone', 'reduced_mobility', 'disability', 'single_parent', 'financial_fragility', 'needs_interpreter')),
      source text not null check (source in ('erp_import', 'call', 'caretaker', 'tenant', 'demo')),
      recorded_at timestamptz not null default now(),
      foreign key (organisation_id, household_id) references households (organisation_id, id),
      foreign key (organisation_id, person_id) references persons (organisation_id, id)
    );
    create index vulnerability_indicators_household_idx on vulnerability_indicators (organisation_id, household_id);
  `.execute(db);
  for (const table of ['residences', 'housing_units', 'households', 'persons', 'contact_points', 'vulnerability_indicators']) {
    await isolate(table).execute(db);
  }
}
