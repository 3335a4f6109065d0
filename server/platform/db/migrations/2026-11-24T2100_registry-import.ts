// Why: the registry grows what the ERP import and the household file need — leases, balances
// and their history, people's stable keys and preferences, contact sources, objections
// (« ne pas appeler »), consents and declared needs (health needs only with consent), fuzzy
// search, and the import's own tables (runs, staged lines, saved column mappings).
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- unaccent() is only STABLE; this wrapper pins the dictionary so it can back an index.
    create function lien_normalise(value text) returns text language sql immutable parallel safe as $$
      select lower(public.unaccent('public.unaccent'::regdictionary, coalesce(value, '')))
    $$;

    alter table residences add column caretaker_id uuid,
      add foreign key (organisation_id, caretaker_id) references users (organisation_id, id);
    alter table residences alter column address drop not null, alter column postal_code drop not null, alter column city drop not null;
    alter table residences add column search_text text generated always as (lien_normalise(name || ' ' || coalesce(address, '') || ' ' || coalesce(postal_code, '') || ' ' || coalesce(city, ''))) stored;
    create index residences_search_idx on residences using gin (search_text gin_trgm_ops);

    alter table households add column balance_cents bigint, add column balance_at timestamptz,
      add column left_at timestamptz, add column missing_since timestamptz, add column updated_at timestamptz not null default now();
    -- Kept from the persons (import, seed): sort by holder name and filter by age without
    -- visiting every person of a large list.
    alter table households add column holder_name text, add column oldest_birth_date date;
    create index households_org_status_idx on households (organisation_id, status);
    create index households_org_holder_idx on households (organisation_id, status, holder_name, id);
    create index households_org_oldest_idx on households (organisation_id, oldest_birth_date);

    create function lien_refresh_household_summary(ids uuid[]) returns void language sql as $$
      update households h set holder_name = s.holder_name, oldest_birth_date = s.oldest
      from (select p.household_id,
              (array_agg(p.last_name || ' ' || p.first_name order by array_position(array['holder', 'co_holder', 'occupant'], p.household_role), p.birth_date))[1] as holder_name,
              min(p.birth_date) as oldest
            from persons p where p.household_id = any(ids) group by p.household_id) s
      where h.id = s.household_id and (h.holder_name, h.oldest_birth_date) is distinct from (s.holder_name, s.oldest)
    $$;

    create table leases (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      household_id uuid not null,
      unit_id uuid not null,
      erp_ref text not null,
      start_date date,
      end_date date,
      unique (organisation_id, erp_ref),
      foreign key (organisation_id, household_id) references households (organisation_id, id),
      foreign key (organisation_id, unit_id) references housing_units (organisation_id, id)
    );
    create index leases_household_idx on leases (organisation_id, household_id);

    create table household_balances (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      household_id uuid not null,
      balance_cents bigint not null,
      recorded_at timestamptz not null default now(),
      import_id uuid,
      foreign key (organisation_id, household_id) references households (organisation_id, id)
    );
    create index household_balances_household_idx on household_balances (organisation_id, household_id, recorded_at desc);

    alter table persons add column person_key text, add column preferred_language text,
      add column preferred_channel text check (preferred_channel in ('phone', 'sms', 'email', 'letter')),
      add column updated_at timestamptz not null default now();
    update persons set person_key = 'N:' || lower(last_name) || '|' || lower(first_name) || '|' || coalesce(birth_date::text, '') || '|' || id;
    alter table persons alter column person_key set not null;
    alter table persons add constraint persons_key_unique unique (organisation_id, household_id, person_key);
    alter table persons add column search_name text generated always as (lien_normalise(first_name || ' ' || last_name)) stored;
    -- GiST trigram indexes answer "the N nearest names" (KNN) without ranking every match:
    -- « martin » matches a tenth of a large landlord's tenants.
    create index persons_search_idx on persons using gist (search_name gist_trgm_ops(siglen = 64));
    create index persons_last_name_idx on persons using gist (lien_normalise(last_name) gist_trgm_ops);
    create index persons_birth_idx on persons (organisation_id, birth_date);

    alter table contact_points add column source text not null default 'erp_import' check (source in ('erp_import', 'staff', 'tenant', 'demo')),
      add column digits text generated always as (regexp_replace(value, '[^0-9]', '', 'g')) stored,
      add column updated_at timestamptz not null default now();
    update contact_points set source = 'demo';
    create unique index contact_points_slot_idx on contact_points (organisation_id, person_id, kind, source);
    -- Byte-order (C) collation: a phone prefix becomes a plain index range, whatever the database locale.
    create index contact_points_digits_idx on contact_points (organisation_id, (digits collate "C"));

    alter table vulnerability_indicators add column recorded_by uuid;
    create unique index vulnerability_indicators_slot_idx on vulnerability_indicators (organisation_id, household_id, kind, source) where person_id is null;

    create table objections (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      household_id uuid not null,
      kind text not null check (kind in ('no_call', 'no_sms')),
      recorded_by uuid,
      recorded_at timestamptz not null default now(),
      unique (organisation_id, household_id, kind),
      foreign key (organisation_id, household_id) references households (organisation_id, id)
    );

    create table consents (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      household_id uuid not null,
      person_id uuid,
      purpose text not null check (purpose in ('health_needs')),
      channel text not null check (channel in ('phone', 'in_person', 'letter', 'portal')),
      wording_version text not null,
      given_at timestamptz not null default now(),
      recorded_by uuid,
      withdrawn_at timestamptz,
      unique (organisation_id, id),
      foreign key (organisation_id, household_id) references households (organisation_id, id)
    );
    create index consents_household_idx on consents (organisation_id, household_id);

    create table declared_needs (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      household_id uuid not null,
      category text not null check (category in ('health', 'disability', 'daily_life', 'social', 'other')),
      label text not null check (length(label) <= 200),
      source text not null check (source in ('erp_import', 'call', 'caretaker', 'tenant', 'staff')),
      consent_id uuid,
      recorded_by uuid,
      recorded_at timestamptz not null default now(),
      -- Health and disability needs exist only under a recorded consent (TRUST DP-03).
      check (category not in ('health', 'disability') or consent_id is not null),
      foreign key (organisation_id, household_id) references households (organisation_id, id),
      foreign key (organisation_id, consent_id) references consents (organisation_id, id) on delete cascade
    );
    create index declared_needs_household_idx on declared_needs (organisation_id, household_id);

    create table imports (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      status text not null check (status in ('staged', 'validating', 'previewed', 'applying', 'applied', 'failed', 'cancelled')),
      file_name text not null,
      format text not null,
      encoding text,
      delimiter text,
      headers text[] not null,
      mapping jsonb,
      full_export boolean not null default false,
      valid_only boolean not null default false,
      total_lines integer not null default 0,
      progress_done integer not null default 0,
      progress_total integer not null default 0,
      summary jsonb,
      error text,
      created_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (organisation_id, id)
    );
    create index imports_org_created_idx on imports (organisation_id, created_at desc);

    -- Raw cells as uploaded (NIR values blanked), kept until the import ends.
    create table import_cells (
      organisation_id uuid not null,
      import_id uuid not null,
      line integer not null,
      cells text[] not null,
      primary key (organisation_id, import_id, line),
      foreign key (organisation_id, import_id) references imports (organisation_id, id) on delete cascade
    );

    -- Validated lines, typed; errors is null for a valid line.
    create table import_lines (
      organisation_id uuid not null,
      import_id uuid not null,
      line integer not null,
      agency_code text, agency_name text, residence_code text, residence_name text, address text, postal_code text,
      city text, insee_code text, qpv boolean, unit_ref text, floor integer, rooms integer, has_lift boolean,
      lease_ref text, lease_start date, lease_end date, household_ref text, person_key text, civility text,
      last_name text, first_name text, birth_date date, household_role text, mobile text, landline text, email text,
      language text, balance_cents bigint, reduced_mobility boolean, disability boolean,
      errors jsonb,
      primary key (organisation_id, import_id, line),
      foreign key (organisation_id, import_id) references imports (organisation_id, id) on delete cascade
    );

    create table import_mappings (
      organisation_id uuid primary key references organisations (id),
      mapping jsonb not null,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
  for (const table of [
    'leases',
    'household_balances',
    'objections',
    'consents',
    'declared_needs',
    'imports',
    'import_cells',
    'import_lines',
    'import_mappings',
  ]) {
    await isolate(table).execute(db);
  }
}
