/**
 * Rent balances (issue 14, « Arrears and payment plans »): the SQL of the dated balance history
 * (`household_balances`, also written by the ERP import) and of the staged balance files
 * (`balance_imports`). The arrears module reads and writes them only through these functions,
 * in its own transaction.
 */
import { sql } from 'kysely';
import type { Tx } from '../../../platform/db/database.ts';
import { agencyNameOf } from '../../identity/index.ts';
import { type HouseholdScope, householdScopeSql, type Scope, scopeSql } from '../households.repository.ts';

/** A valid line of a balance file, resolved to its household. */
export type BalanceLine = { line: number; householdId: string; balanceCents: number; balanceOn: string; monthlyRentCents: number | null };
/** A refused line of a balance file, its reason in French. */
export type BalanceLineError = { line: number; column: string; value: string; reason: string };

/** The households of these ERP references (the organisation's, under RLS), by reference. */
export async function householdIdsByRef(trx: Tx, refs: readonly string[]): Promise<Map<string, string>> {
  if (!refs.length) return new Map();
  const r = await sql<{ id: string; erp_ref: string }>`
    select id, erp_ref from households where erp_ref = any(${[...new Set(refs)]}::text[])`.execute(trx);
  return new Map(r.rows.map((x) => [x.erp_ref, x.id]));
}

/** Keeps a checked balance file for its preview; nothing of the history is written yet. */
export async function stageBalanceImport(
  trx: Tx,
  b: { fileName: string; totalLines: number; lines: BalanceLine[]; errors: BalanceLineError[]; userId: string },
): Promise<string> {
  const r = await sql<{ id: string }>`
    insert into balance_imports (organisation_id, file_name, total_lines, lines, errors, created_by)
    values (lien_current_org(), ${b.fileName}, ${b.totalLines}, ${JSON.stringify(b.lines)}::jsonb, ${JSON.stringify(b.errors)}::jsonb, ${b.userId})
    returning id`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

export type BalanceImportRow = {
  id: string;
  file_name: string;
  status: 'previewed' | 'applied' | 'cancelled';
  total_lines: number;
  valid_lines: number;
  errors: BalanceLineError[];
  created_at: Date;
  applied_at: Date | null;
};

/** A staged balance file, locked when it is about to be applied. */
export async function balanceImportOf(trx: Tx, id: string, lock = false): Promise<BalanceImportRow | undefined> {
  const r = await sql<BalanceImportRow>`
    select id, file_name, status, total_lines, jsonb_array_length(lines) as valid_lines, errors, created_at, applied_at
    from balance_imports where id = ${id} ${lock ? sql`for update` : sql``}`.execute(trx);
  return r.rows[0];
}

/** The last balance files, newest first. */
export async function balanceImports(trx: Tx, limit: number): Promise<BalanceImportRow[]> {
  const r = await sql<BalanceImportRow>`
    select id, file_name, status, total_lines, jsonb_array_length(lines) as valid_lines, '[]'::jsonb as errors, created_at, applied_at
    from balance_imports order by created_at desc limit ${limit}`.execute(trx);
  return r.rows;
}

/** Marks a staged file cancelled (its lines are dropped). */
export async function cancelBalanceImport(trx: Tx, id: string) {
  await sql`update balance_imports set status = 'cancelled', lines = '[]'::jsonb where id = ${id} and status = 'previewed'`.execute(trx);
}

/**
 * Applies a staged balance file in the caller's transaction: one history row per line (a line the
 * history already has, same household, date and balance, is not written twice), and each
 * household's latest balance and monthly rent when the file's date is not older than what it has.
 */
export async function applyBalanceImport(trx: Tx, id: string): Promise<{ written: number; households: number; latestOn: string | null }> {
  await sql`create temporary table balance_lines on commit drop as
    select l."householdId"::uuid as household_id, l."balanceCents"::bigint as balance_cents, l."balanceOn"::date as balance_on,
      l."monthlyRentCents"::bigint as monthly_rent_cents
    from balance_imports i, jsonb_to_recordset(i.lines) as l("householdId" text, "balanceCents" bigint, "balanceOn" text, "monthlyRentCents" bigint)
    where i.id = ${id}`.execute(trx);
  const written = await sql`
    insert into household_balances (organisation_id, household_id, balance_cents, balance_on, monthly_rent_cents, balance_import_id)
    select lien_current_org(), l.household_id, l.balance_cents, l.balance_on, l.monthly_rent_cents, ${id}::uuid from balance_lines l
    where not exists (select 1 from household_balances b where b.household_id = l.household_id and b.balance_on = l.balance_on
                      and b.balance_cents = l.balance_cents)`.execute(trx);
  const households = await sql`
    update households h set balance_cents = l.balance_cents, balance_at = (l.balance_on::timestamp at time zone 'Europe/Paris'),
      monthly_rent_cents = coalesce(l.monthly_rent_cents, h.monthly_rent_cents), updated_at = now()
    from (select distinct on (household_id) * from balance_lines order by household_id, balance_on desc) l
    where h.id = l.household_id and (h.balance_at is null or l.balance_on >= (h.balance_at at time zone 'Europe/Paris')::date)`.execute(trx);
  const latest = await sql<{ on: string | null }>`select to_char(max(balance_on), 'YYYY-MM-DD') as on from balance_lines`.execute(trx);
  await sql`drop table balance_lines`.execute(trx);
  await sql`update balance_imports set status = 'applied', applied_at = now(), lines = '[]'::jsonb where id = ${id}`.execute(trx);
  return { written: Number(written.numAffectedRows ?? 0), households: Number(households.numAffectedRows ?? 0), latestOn: latest.rows[0]?.on ?? null };
}

/** Each household's latest balance, its date and monthly rent (null when it has no balance). */
export async function latestBalances(trx: Tx, householdIds: readonly string[]) {
  if (!householdIds.length) return new Map<string, { cents: number; on: string; rentCents: number | null }>();
  const r = await sql<{ id: string; cents: string; on: string; rent: string | null }>`
    select h.id, b.balance_cents as cents, to_char(b.balance_on, 'YYYY-MM-DD') as on, h.monthly_rent_cents as rent
    from households h cross join lateral (select balance_cents, balance_on from household_balances b where b.organisation_id = h.organisation_id and b.household_id = h.id
      order by balance_on desc, recorded_at desc limit 1) b
    where h.id = any(${[...householdIds]}::uuid[])`.execute(trx);
  return new Map(r.rows.map((x) => [x.id, { cents: Number(x.cents), on: x.on, rentCents: x.rent === null ? null : Number(x.rent) }]));
}

export type ArrearsFilter = {
  since: string;
  agencyId?: string | undefined;
  sort: 'amount' | 'growth';
  limit: number;
  offset: number;
};

export type ArrearsRow = {
  id: string;
  erp_ref: string;
  holder: string | null;
  residence: string;
  agency: string;
  balance_cents: string;
  before_cents: string | null;
  monthly_rent_cents: string | null;
  balance_at: Date | null;
  total: string;
};

/**
 * The view's transaction: the matched set (about 65,000 rows at 500,000 households) would spill to
 * disk at the default 4 MB of `work_mem`; and the households in debt meet their last balance before
 * the date in a merge join, both read in household order from their indexes (`households_debt_id_idx`,
 * `household_balances_on_idx`), which the planner takes only with hash joins off (ADR 0015).
 */
export async function planForArrears(trx: Tx) {
  await sql`select set_config('work_mem', '32MB', true), set_config('enable_hashjoin', 'off', true)`.execute(trx);
}

/**
 * Households in debt whose debt appeared or grew since a date: the current balance against the
 * last one known on or before that date (none: the debt is new). Paged; by amount or by growth.
 * `scope` is the session's agencies; restricted households (DP-07) stay hidden unless it sees them.
 * The page's rows carry the total; a page past the end is one row with only the total (`id` null).
 */
export async function arrearsSince(trx: Tx, f: ArrearsFilter, scope: Scope | HouseholdScope, seesRestricted: boolean) {
  await planForArrears(trx);
  return (await arrearsSinceQuery(f, scope, seesRestricted).execute(trx)).rows;
}

/**
 * The statement of `arrearsSince` (also EXPLAINed by bench/arrears.bench.ts). Set-based, so that
 * 500,000 households stay under half a second: the households in debt from the partial index
 * `households_debt_id_idx` (id, unit and balance included: no heap; for one agency
 * `households_debt_agency_idx`, households carrying their agency), the last balance on or before
 * the date of every household from `household_balances_on_idx` (balance included), both in household
 * order, in one merge join; only the page's 50 rows then read their household, home and agency.
 */
export function arrearsSinceQuery(f: ArrearsFilter, scope: Scope | HouseholdScope, seesRestricted: boolean) {
  const growth = (alias: string) => sql`${sql.ref(`${alias}.balance_cents`)} - greatest(coalesce(${sql.ref(`${alias}.before_cents`)}, 0), 0)`;
  const order = (alias: string) =>
    f.sort === 'growth' ? sql`${growth(alias)} desc, ${sql.ref(`${alias}.id`)}` : sql`${sql.ref(`${alias}.balance_cents`)} desc, ${sql.ref(`${alias}.id`)}`;
  return sql<Omit<ArrearsRow, 'id'> & { id: string | null }>`
    ${matched(f, scope, seesRestricted)},
    page as (select * from m order by ${order('m')} limit ${f.limit} offset ${f.offset})
    select p.id, h.erp_ref, h.holder_name as holder, r.name as residence, ${agencyNameOf(sql.ref('r.agency_id'))} as agency,
      p.balance_cents, p.before_cents, h.monthly_rent_cents, h.balance_at, t.total
    from (select count(*) as total from m) t
    left join (page p join households h on h.id = p.id join housing_units u on u.organisation_id = h.organisation_id and u.id = p.unit_id
      join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id) on true
    order by ${order('p')}`;
}

/** The `with b, m` part of the view: the households in debt (`m`) whose debt is new or grew since the date. */
function matched(
  f: { since: string; agencyId?: string | undefined; households?: readonly string[] | null },
  scope: Scope | HouseholdScope,
  seesRestricted: boolean,
) {
  const place = sql`and ${householdScopeSql(scope, 'd')} ${f.agencyId ? sql`and d.agency_id = ${f.agencyId}::uuid` : sql``}
    ${f.households ? sql`and d.id in (select unnest(${f.households}::uuid[]))` : sql``}`;
  return sql`
    with b as (
      select distinct on (x.household_id) x.household_id, x.balance_cents from household_balances x where x.balance_on <= ${f.since}::date
      order by x.household_id, x.balance_on desc, x.recorded_at desc),
    m as (
      select d.id, d.unit_id, d.balance_cents, b.balance_cents as before_cents
      from households d left join b on b.household_id = d.id
      where d.balance_cents > 0 and d.balance_cents > greatest(coalesce(b.balance_cents, 0), 0) ${place}
        ${seesRestricted ? sql`` : sql`and d.id not in (select x.id from households x where x.restricted_at is not null)`})`;
}

/**
 * How many households of the scope (and of a segment's, `households`) have a debt that appeared
 * (`fresh`: nothing owed on the date) or grew since the date, and by how much in all (reporting,
 * issue 18): the view's own statement, counted.
 */
export async function arrearsSinceFigures(trx: Tx, f: { since: string; households: readonly string[] | null }, scope: Scope, seesRestricted: boolean) {
  await planForArrears(trx);
  const r = await sql<{ fresh: number; grown: number; growth_cents: string | null }>`${matched(f, scope, seesRestricted)}
    select count(*) filter (where coalesce(before_cents, 0) <= 0)::int as fresh, count(*) filter (where before_cents > 0)::int as grown,
      sum(balance_cents - greatest(coalesce(before_cents, 0), 0)) as growth_cents from m`.execute(trx);
  const row = r.rows[0];
  return { fresh: row?.fresh ?? 0, grown: row?.grown ?? 0, growthCents: Number(row?.growth_cents ?? 0) };
}

/** Every household of the view's result (a crisis pause's segment). */
export async function arrearsSinceIds(trx: Tx, f: { since: string; agencyId?: string | undefined }, scope: Scope, seesRestricted: boolean) {
  await planForArrears(trx);
  const r = await sql<{ id: string }>`${matched(f, scope, seesRestricted)} select id from m`.execute(trx);
  return r.rows.map((x) => x.id);
}

/** The households of an agency or a residence within the scope (a crisis pause's segment). */
export async function householdsOfPlace(trx: Tx, place: { agencyId?: string | undefined; residenceId?: string | undefined }, scope: Scope) {
  const r = await sql<{ id: string }>`
    select h.id from households h join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id
      join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id
    where h.status = 'active' and ${scopeSql(scope)}
      ${place.agencyId ? sql`and r.agency_id = ${place.agencyId}::uuid` : sql``}
      ${place.residenceId ? sql`and r.id = ${place.residenceId}::uuid` : sql``}`.execute(trx);
  return r.rows.map((x) => x.id);
}

/** Which of these households the scope reaches (the others: not found). */
export async function householdsInScope(trx: Tx, ids: readonly string[], scope: Scope): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const r = await sql<{ id: string }>`
    select h.id from households h join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id
      join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id
    where h.id = any(${[...ids]}::uuid[]) and ${scopeSql(scope)}`.execute(trx);
  return new Set(r.rows.map((x) => x.id));
}

/** What a pre-filled FSL summary needs of a household: the lease, the home, the occupants, the balances. */
export async function fslFactsOf(trx: Tx, householdId: string) {
  const h = await sql<{
    erp_ref: string;
    holder: string | null;
    address: string | null;
    residence: string;
    agency: string;
    balance_cents: string | null;
    monthly_rent_cents: string | null;
    lease_start: string | null;
  }>`
    select h.erp_ref, h.holder_name as holder, coalesce(r.address, '') || coalesce(', ' || r.postal_code || ' ' || r.city, '') as address,
      r.name as residence, ${agencyNameOf(sql.ref('r.agency_id'))} as agency, h.balance_cents, h.monthly_rent_cents,
      (select to_char(min(l.start_date), 'YYYY-MM-DD') from leases l where l.organisation_id = h.organisation_id and l.household_id = h.id) as lease_start
    from households h join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id
      join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id where h.id = ${householdId}`.execute(trx);
  const persons = await sql<{ name: string; role: string | null }>`
    select first_name || ' ' || last_name as name, household_role as role from persons where household_id = ${householdId}
    order by case household_role when 'holder' then 0 when 'co_holder' then 1 else 2 end, last_name`.execute(trx);
  const history = await sql<{ on: string; cents: string }>`
    select to_char(balance_on, 'YYYY-MM-DD') as on, balance_cents as cents from household_balances where household_id = ${householdId}
    order by balance_on desc, recorded_at desc limit 12`.execute(trx);
  return { household: h.rows[0], persons: persons.rows, history: history.rows };
}

/**
 * Demo data (issue 14): the first `count` active households (by ERP reference) get two balances,
 * 1 March and 1 June 2020, the second higher (a debt that grew during the lockdown), and a monthly
 * rent. Households that already have a balance history are left alone (a second seed adds nothing).
 */
export async function seedDemoBalances(trx: Tx, count: number) {
  await sql`
    with picked as (
      select h.id, row_number() over (order by h.erp_ref) as n from households h
      where h.status = 'active' and not exists (select 1 from household_balances b where b.organisation_id = h.organisation_id and b.household_id = h.id)
      order by h.erp_ref limit ${count}),
    first as (
      insert into household_balances (organisation_id, household_id, balance_cents, balance_on, monthly_rent_cents)
      select lien_current_org(), id, case when n % 3 = 0 then 0 else 20000 + n * 3100 end, '2020-03-01', 41000 + n * 700 from picked returning household_id),
    second as (
      insert into household_balances (organisation_id, household_id, balance_cents, balance_on, monthly_rent_cents)
      select lien_current_org(), id, 45000 + n * 9300, '2020-06-01', 41000 + n * 700 from picked returning household_id)
    update households h set balance_cents = 45000 + p.n * 9300, monthly_rent_cents = 41000 + p.n * 700, balance_at = '2020-06-01 12:00+02'
    from picked p where h.id = p.id`.execute(trx);
}
