// Why (issue 18, second half; TRUST DP-14): a federation (AORIF, USH Occitanie) sees the actions of
// its member landlords without seeing a person. Its administrator lists the member organisations
// (`federation_members`, rows of the federation); each member's administrator agrees, indicator by
// indicator, to what it shares (`federation_agreements`, rows of the member) and can leave at any
// time. The figures are computed inside the member's own row-level-security context into
// `federation_aggregates` (rows of the member, no identifier: organisation, period, dimension,
// indicator, value; a cell under 11 households is stored empty and marked suppressed). The
// federation reads those rows, and the other two, through a select-only policy on `federation_id`
// (or `member_id`): it writes none of them. `federation_refreshes` tracks the refresh job.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table federation_members (
      organisation_id uuid not null references organisations (id),
      member_id uuid not null references organisations (id),
      member_name text not null,
      federation_name text not null,
      report_text text not null default '' check (length(report_text) <= 2000),
      added_at timestamptz not null default now(),
      removed_at timestamptz,
      primary key (organisation_id, member_id),
      check (member_id <> organisation_id)
    );
    create index federation_members_member_idx on federation_members (member_id);

    create table federation_agreements (
      organisation_id uuid not null references organisations (id),
      federation_id uuid not null references organisations (id),
      federation_name text not null,
      indicators text[] not null default '{}',
      agreed_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      left_at timestamptz,
      primary key (organisation_id, federation_id)
    );
    create index federation_agreements_federation_idx on federation_agreements (federation_id);

    create table federation_aggregates (
      organisation_id uuid not null references organisations (id),
      federation_id uuid not null references organisations (id),
      indicator_id text not null check (indicator_id ~ '^[a-z_]{2,40}$'),
      indicator_version int not null check (indicator_version >= 1),
      period date not null check (extract(day from period) = 1),
      dimension text not null check (dimension in ('total', 'department', 'qpv')),
      dimension_value text not null check (length(dimension_value) <= 20),
      value int check (value >= 0),
      suppressed boolean not null,
      computed_at timestamptz not null default now(),
      check (suppressed = (value is null)),
      primary key (organisation_id, federation_id, indicator_id, period, dimension, dimension_value)
    );
    -- The federation's dashboard: one indicator over a range of months, every member.
    create index federation_aggregates_read_idx on federation_aggregates (federation_id, indicator_id, period)
      include (organisation_id, dimension, dimension_value, value, suppressed);

    create table federation_refreshes (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      members_total int not null default 0,
      members_done int not null default 0,
      requested_at timestamptz not null default now(),
      finished_at timestamptz,
      error text check (length(error) <= 500)
    );
    create index federation_refreshes_org_idx on federation_refreshes (organisation_id, requested_at desc);

    ${isolate('federation_members')}
    ${isolate('federation_agreements')}
    ${isolate('federation_aggregates')}
    ${isolate('federation_refreshes')}

    -- The member sees that a federation counts it among its members (and the federation's name).
    create policy federation_members_member_reads on federation_members for select using (member_id = (select lien_current_org()));
    -- The federation reads its members' agreements and aggregates; it never writes them.
    create policy federation_agreements_federation_reads on federation_agreements for select using (federation_id = (select lien_current_org()));
    create policy federation_aggregates_federation_reads on federation_aggregates for select using (federation_id = (select lien_current_org()));

    -- A federation's administrator names a landlord by its slug: its id and name, nothing else,
    -- only a landlord, and only to a transaction of a federation (a landlord learns nothing).
    create function lien_landlord_by_slug(p_slug text) returns table (id uuid, name text)
      language sql stable security definer set search_path = public, pg_temp as $$
        select o.id, o.name from organisations o
        where o.slug = p_slug and o.kind = 'landlord'
          and exists (select 1 from organisations f where f.id = lien_current_org() and f.kind = 'federation')
      $$;
    revoke all on function lien_landlord_by_slug(text) from public;
    grant execute on function lien_landlord_by_slug(text) to lien_app;

    grant select, insert, update, delete on federation_members, federation_agreements, federation_aggregates, federation_refreshes to lien_app;
  `.execute(db);
}
