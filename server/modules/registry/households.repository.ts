import { type RawBuilder, sql } from 'kysely';
import type { HouseholdFilters, objectionKinds } from '../../../contracts/households.ts';
import type { Tx } from '../../platform/db/database.ts';
import { agencyDutyPhoneOf, agencyNameOf } from '../identity/index.ts';
import { capitalsHint, nearestNames, personScore, SURNAME_THRESHOLD, spansOf, typedWords } from './name-match.ts';

/** Agencies a caller may see: null means the whole organisation. */
export type Scope = string[] | null;

/**
 * The households a session reaches (see `householdAccess`): the organisation, some agencies, the
 * residences a caretaker keeps (while they serve its agency), or nothing. Every household read
 * path (file, list, search, export, changes) filters with `scopeSql`, on the residence `r`.
 */
export type HouseholdScope = (
  | { kind: 'organisation' }
  | { kind: 'agencies'; agencyIds: string[] }
  | { kind: 'residences'; caretakerId: string }
  | { kind: 'none' }
) & {
  /**
   * Sees the households whose processing is restricted after an erasure request (TRUST DP-07,
   * ability `households.restricted`); left out, they are hidden (fails closed: a campaign segment
   * never has them).
   */
  seesRestricted?: boolean;
};

const asHouseholdScope = (scope: Scope | HouseholdScope): HouseholdScope =>
  scope === null ? { kind: 'organisation' } : Array.isArray(scope) ? { kind: 'agencies', agencyIds: scope } : scope;

/** The scope as a condition on the residence `r` (fails closed: no caretaker assigned, no rows). */
export function scopeSql(scope: Scope | HouseholdScope) {
  const s = asHouseholdScope(scope);
  switch (s.kind) {
    case 'organisation':
      return sql`true`;
    case 'agencies':
      return sql`r.agency_id = any(${s.agencyIds}::uuid[])`;
    case 'residences':
      return sql`(r.caretaker_id = ${s.caretakerId}::uuid and lien_caretaker_serves(${s.caretakerId}::uuid, r.agency_id))`;
    default:
      return sql`false`;
  }
}

/**
 * The scope as a condition on the household `alias` itself, by the agency it carries (kept with its
 * home's residence by the database: migration 2026-12-02T0000), so that an agency's households are
 * read from an index on the agency; a caretaker's residences go through the home.
 */
export function householdScopeSql(scope: Scope | HouseholdScope, alias: string) {
  const s = asHouseholdScope(scope);
  const h = (column: string) => sql.ref(`${alias}.${column}`);
  switch (s.kind) {
    case 'organisation':
      return sql`true`;
    case 'agencies':
      return sql`${h('agency_id')} = any(${s.agencyIds}::uuid[])`;
    default:
      return sql`(${h('organisation_id')}, ${h('unit_id')}) in (select u.organisation_id, u.id from housing_units u join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id where ${scopeSql(s)})`;
  }
}

const scoped = (scope: HouseholdScope) => sql`and ${scopeSql(scope)}`;

/**
 * A restricted household (erasure, DP-07) as a condition on the household `h`: hidden unless the
 * scope sees them. Said on the id, against the few restricted ones (a partial index, read once
 * per statement into a hash), so a scan that reads the id from an index still needs no heap.
 */
function unrestrictedSql(scope: Scope | HouseholdScope) {
  return asHouseholdScope(scope).seesRestricted
    ? sql`true`
    : sql`(h.organisation_id, h.id) not in (select x.organisation_id, x.id from households x where x.restricted_at is not null)`;
}
/** The scope of the residence `r` and the restriction of the household `h`, for the read paths that join both. */
const householdScoped = (scope: HouseholdScope) => sql`and ${scopeSql(scope)} and ${unrestrictedSql(scope)}`;

type Hit = {
  id: string;
  erp_ref: string;
  status: 'active' | 'left';
  persons: string[];
  address: string;
  residence: string;
  agency: string;
  matched: 'name' | 'first_name' | 'phone' | 'address' | 'residence' | 'reference';
  rank: number;
};

/** Words of a street address: such a query is an address, not a name. */
const streetWords = /\b(rue|avenue|av|bd|boulevard|place|pl|all[ée]e|chemin|impasse|quai|cours|route|r[ée]sidence|cit[ée]|square|villa|passage|sentier)\b/i;

/** Names to look up, scored: « first last » pairs, and surnames whatever the first name. */
type NameCandidates = { pairs: { first: string; last: string; score: number }[]; lasts: { last: string; score: number }[] };

/**
 * The names that answer the query (issue 12, ADR 0011), in one round trip: the trigram index of
 * `person_names` (distinct normalised names of the organisation) proposes surnames and first
 * names near any run of the query's words; each is scored by edit distance, surname first
 * (`personScore`). The search then reads the persons bearing them by plain B-tree indexes.
 */
async function nameCandidates(trx: Tx, query: string): Promise<NameCandidates> {
  const typed = typedWords(query).slice(0, 5);
  const raw = typed.map((w) => w.toLowerCase());
  if (!raw.length) return { pairs: [], lasts: [] };
  const capitals = capitalsHint(typed);
  const rawSpans = spansOf(raw);
  const { rows } = await sql<{ i: number; span: string; kind: 'last' | 'first' | null; name: string | null }>`
    with s as (select i::int, lien_normalise(span) as span from unnest(${rawSpans}::text[]) with ordinality u(span, i))
    select s.i, s.span, n.kind, n.name from s
      left join lateral (
        (select 'last' as kind, name from person_names where kind = 'last' order by name <-> s.span limit 20)
        union all (select 'first', name from person_names where kind = 'first' order by name <-> s.span limit 10)) n on true`.execute(trx);
  const spans = [...new Map(rows.map((r) => [r.i, r.span])).entries()].sort((x, y) => x[0] - y[0]).map(([, span]) => span);
  // The query's words, normalised: the spans of one word.
  const words = raw.map((w) => spans[rawSpans.indexOf(w)] ?? w);
  const near = (kind: 'last' | 'first', limit: number) =>
    nearestNames(
      spans,
      rows.filter((r) => r.kind === kind).map((r) => r.name as string),
      SURNAME_THRESHOLD,
      limit,
    );
  const lasts = near('last', 8);
  if (!lasts.length) return { pairs: [], lasts: [] };
  // A one-word query is a surname (first names alone are matched exactly, in the search).
  const firsts = words.length > 1 ? near('first', 4) : [];
  const pairs = firsts.flatMap((first) => lasts.map((last) => ({ first, last, score: personScore(words, first, last, capitals) ?? 0 })));
  return {
    pairs: pairs.filter((p) => p.score > 0),
    // Whoever bears the surname, their first name counted as no match (a first name near the
    // query's is among the pairs).
    lasts: lasts.map((last) => ({ last, score: personScore(words, '', last, capitals) ?? 0 })).filter((l) => l.score > 0),
  };
}

/** `[digits, digits with its last one + 1)`: a prefix as an index range. */
const prefixUpper = (digits: string) => digits.slice(0, -1) + String.fromCharCode(digits.charCodeAt(digits.length - 1) + 1);

/**
 * One search box: accent- and typo-tolerant names (surname first, in any order, see `nameHits`),
 * first names (exact but for accents and case), phone in any format (digits prefix) or its last
 * digits (a suffix of at least 4), streets (with or without a number), residence names, ERP
 * references.
 *
 * Each branch gives a score in [0, 1] (a hit needs 0.3) and the kind of match a small bonus, so
 * exact matches come in this order: reference, phone end, phone start, full name, surname, first name,
 * street, residence; a close match of a better kind does not pass an exact match of another
 * (« Jean Jaurès » finds the street before every « Jean » whose surname looks a little like it).
 * `readsAddress`: streets and residences are matched only for roles that read the address.
 * `phoneSuffix`: the digits typed, when the query is only a phone number or its end.
 */
export async function searchHouseholds(
  trx: Tx,
  query: string,
  phoneDigits: string | null,
  limit: number,
  scope: HouseholdScope,
  readsAddress = true,
  phoneSuffix: string | null = null,
) {
  const q = query;
  // Names hold no digits nor street words: such a query is a phone, a reference or an address,
  // and the name search is skipped.
  const nameLike = !/\d/.test(q) && !streetWords.test(q);
  const singleWord = nameLike && !/\s/.test(q.trim());
  const names = nameLike ? await nameCandidates(trx, q) : { pairs: [], lasts: [] };
  const phoneUpper = phoneDigits ? prefixUpper(phoneDigits) : '';
  // The end of a number, reversed: a prefix of the phones' reversed digits.
  const suffix = phoneSuffix ? [...phoneSuffix].reverse().join('') : null;
  const suffixUpper = suffix ? prefixUpper(suffix) : '';
  const { rows } = await sql<Hit>`
    with hits as (
      (select p.household_id, 'name' as matched, x.score, ${singleWord ? 0.4 : 0.5}::numeric as bonus
       from unnest(${names.pairs.map((n) => n.first)}::text[], ${names.pairs.map((n) => n.last)}::text[], ${names.pairs.map((n) => n.score)}::float8[]) x(first, last, score)
       cross join lateral (select household_id from persons where search_name collate "C" = x.first || ' ' || x.last limit 10) p)
      union all
      (select p.household_id, 'name', x.score, ${singleWord ? 0.4 : 0.5}::numeric
       from unnest(${names.lasts.map((n) => n.last)}::text[], ${names.lasts.map((n) => n.score)}::float8[]) x(last, score)
       cross join lateral (select household_id from persons where search_last = x.last limit 40) p)
      union all
      -- First names: exact but for accents and case, as the first word of « first last » (a byte
      -- range on an index, usable under RLS; a nearest-word scan costs seconds when nothing is near).
      (select p.household_id, 'first_name', 1, 0.3
       from persons p where ${singleWord} and p.search_name collate "C" >= lien_normalise(${q}) || ' ' and p.search_name collate "C" < lien_normalise(${q}) || '!' limit 40)
      union all
      (select p.household_id, 'phone', 1, 10 from contact_points c join persons p on p.organisation_id = c.organisation_id and p.id = c.person_id
       where ${phoneDigits}::text is not null and c.ended_at is null and c.digits collate "C" >= ${phoneDigits ?? ''} and c.digits collate "C" < ${phoneUpper} limit 50)
      union all
      -- A phone's end above a phone's start: « 06 05 33 » from a missed-call list is the end of
      -- one number, not the start of a hundred (a full number matches both ways).
      (select p.household_id, 'phone', 1, 11 from contact_points c join persons p on p.organisation_id = c.organisation_id and p.id = c.person_id
       where ${suffix}::text is not null and c.kind in ('mobile', 'landline') and c.ended_at is null
         and c.digits_reversed collate "C" >= ${suffix ?? ''} and c.digits_reversed collate "C" < ${suffixUpper} limit 50)
      union all
      (select h.id, 'reference', 1, 20 from households h where h.erp_ref = ${q}
       union all select h.id, 'reference', 1, 20 from housing_units u join households h on h.organisation_id = u.organisation_id and h.unit_id = u.id where u.erp_ref = ${q}
       union all select l.household_id, 'reference', 1, 20 from leases l where l.erp_ref = ${q})
      union all
      -- Streets (number optional) and residence names: the best residences in scope, then their households.
      (select h.id, m.matched, m.score, m.bonus
       from (select r.organisation_id, r.id, case when s.street >= s.name then 'address' else 'residence' end as matched,
               greatest(s.street, s.name) as score, case when s.street >= s.name then 0.2 else 0.1 end as bonus
             from residences r
             cross join lateral (select word_similarity(lien_normalise(${q}), lien_normalise(coalesce(r.address, '') || ' ' || coalesce(r.postal_code, '') || ' ' || coalesce(r.city, ''))) as street,
               word_similarity(lien_normalise(${q}), lien_normalise(r.name)) as name) s
             where ${readsAddress} and lien_normalise(${q}) <% r.search_text ${scoped(scope)}
             order by score desc, r.id limit 20) m
       join housing_units u on u.organisation_id = m.organisation_id and u.residence_id = m.id join households h on h.organisation_id = u.organisation_id and h.unit_id = u.id
       order by m.score desc limit 200)
    ),
    best as (select distinct on (household_id) household_id, matched, score + bonus as rank from hits where score >= 0.3 order by household_id, score + bonus desc)
    select h.id, h.erp_ref, h.status, b.matched, b.rank,
      coalesce(r.address, '') || coalesce(', ' || r.postal_code || ' ' || r.city, '') as address, r.name as residence, ${agencyNameOf(sql.ref('r.agency_id'))} as agency,
      array(select p.first_name || ' ' || p.last_name from persons p where p.organisation_id = h.organisation_id and p.household_id = h.id order by array_position(array['holder', 'co_holder', 'occupant'], p.household_role), p.birth_date) as persons
    from best b join households h on h.id = b.household_id join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id
    where true ${householdScoped(scope)}
    order by b.rank desc, h.status, h.erp_ref limit ${limit}`.execute(trx);
  return rows;
}

/** The filters and the scope as a condition on `h` and `r`; restricted households hidden unless `withRestricted` (a count that subtracts them). */
export function filterSql(f: HouseholdFilters, scope: Scope | HouseholdScope, withRestricted = false) {
  const parts = [scopeSql(scope)];
  if (!withRestricted) parts.push(unrestrictedSql(scope));
  if (f.status === 'missing') parts.push(sql`h.missing_since is not null`);
  else parts.push(sql`h.status = ${f.status}`);
  if (f.agencyId) parts.push(sql`r.agency_id = ${f.agencyId}`);
  if (f.residenceId) parts.push(sql`r.id = ${f.residenceId}`);
  const fragility = [];
  if (f.minAge !== undefined) fragility.push(sql`h.oldest_birth_date <= (current_date - make_interval(years => ${f.minAge}))::date`);
  for (const kind of f.indicators ?? [])
    fragility.push(sql`exists (select 1 from vulnerability_indicators v where v.household_id = h.id and v.kind = ${kind})`);
  if (fragility.length) parts.push(sql`(${sql.join(fragility, f.fragilityMatch === 'any' ? sql` or ` : sql` and `)})`);
  if (f.noContactForDays !== undefined)
    parts.push(sql`(h.last_contact_at is null or h.last_contact_at < now() - make_interval(days => ${f.noContactForDays}))`);
  if (f.regularWatch === true)
    parts.push(sql`exists (select 1 from watch_enrolments w where w.organisation_id = h.organisation_id and w.household_id = h.id and w.status = 'active')`);
  else if (f.regularWatch === false)
    parts.push(
      sql`not exists (select 1 from watch_enrolments w where w.organisation_id = h.organisation_id and w.household_id = h.id and w.status = 'active')`,
    );
  if (f.objection === 'any') parts.push(sql`exists (select 1 from objections o where o.organisation_id = h.organisation_id and o.household_id = h.id)`);
  else if (f.objection === 'none')
    parts.push(sql`not exists (select 1 from objections o where o.organisation_id = h.organisation_id and o.household_id = h.id)`);
  else if (f.objection)
    parts.push(sql`exists (select 1 from objections o where o.organisation_id = h.organisation_id and o.household_id = h.id and o.kind = ${f.objection})`);
  return sql.join(parts, sql` and `);
}

const orderBy = {
  name: sql`h.holder_name collate "fr-FR-x-icu"`,
  age: sql`h.oldest_birth_date nulls last`,
  residence: sql`r.name collate "fr-FR-x-icu", h.holder_name collate "fr-FR-x-icu"`,
  balance: sql`h.balance_cents desc nulls last`,
} as const;

export type ListedHousehold = {
  id: string;
  erp_ref: string;
  status: string;
  holder: string;
  oldest_birth: string | null;
  persons: number;
  residence: string;
  agency: string;
  indicators: string[];
  objections: string[];
  balance_cents: string | null;
};

/** A page of households matching the filters, and the total. */
export async function listHouseholds(trx: Tx, filters: HouseholdFilters, scope: HouseholdScope, sort: keyof typeof orderBy, limit: number, offset: number) {
  const where = filterSql(filters, scope);
  const base = sql`households h join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id where ${where}`;
  // The total needs the residence only when the filters do.
  const countFrom = (w: RawBuilder<unknown>) =>
    scope.kind !== 'organisation' || filters.agencyId || filters.residenceId
      ? sql`households h join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id where ${w}`
      : sql`households h where ${w}`;
  // Hidden restricted households (DP-07) are subtracted, counted through their partial index: a
  // condition on every row would keep the count from the indexes without the id (measured, docs/benchmarks.md).
  const all = filterSql(filters, scope, true);
  // A fragility filter's total hashes the indicators of that kind (150,000 « lives alone » in a
  // 500,000-household organisation): in the default 4 MB of work memory the hash spills to disk
  // in two batches. This transaction only (`set_config(…, true)`), measured in docs/benchmarks.md.
  if (filters.indicators?.length) await sql`select set_config('work_mem', '16MB', true)`.execute(trx);
  const total = await (scope.seesRestricted
    ? sql<{ n: number }>`select count(*)::int as n from ${countFrom(all)}`
    : sql<{
        n: number;
      }>`select ((select count(*) from ${countFrom(all)}) - (select count(*) from ${countFrom(sql`${all} and h.restricted_at is not null`)}))::int as n`
  ).execute(trx);
  const { rows } = await sql<ListedHousehold>`
    select h.id, h.erp_ref, h.status, h.balance_cents, r.name as residence, ${agencyNameOf(sql.ref('r.agency_id'))} as agency,
      coalesce(h.holder_name, '') as holder, h.oldest_birth_date::text as oldest_birth,
      (select count(*)::int from persons p where p.organisation_id = h.organisation_id and p.household_id = h.id) as persons,
      array(select distinct v.kind from vulnerability_indicators v where v.organisation_id = h.organisation_id and v.household_id = h.id) as indicators,
      array(select o.kind from objections o where o.organisation_id = h.organisation_id and o.household_id = h.id) as objections
    from ${base} order by ${orderBy[sort]}, h.id limit ${limit} offset ${offset}`.execute(trx);
  return { total: total.rows[0]?.n ?? 0, rows };
}

/** All matching households, streamed in pages, for exports. */
export async function* exportHouseholds(trx: Tx, filters: HouseholdFilters, scope: HouseholdScope, withBirth: boolean) {
  const where = filterSql(filters, scope);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await sql<{
      id: string;
      erp_ref: string;
      status: string;
      residence: string;
      address: string | null;
      postal_code: string | null;
      city: string | null;
      agency: string;
      unit: string;
      persons: string;
      phones: string;
      indicators: string;
      objections: string;
    }>`
      select h.id, h.erp_ref, h.status, r.name as residence, r.address, r.postal_code, r.city, ${agencyNameOf(sql.ref('r.agency_id'))} as agency, u.erp_ref as unit,
        (select string_agg(p.first_name || ' ' || p.last_name || case when ${withBirth} then coalesce(' (' || to_char(p.birth_date, 'DD/MM/YYYY') || ')', '') else '' end, ', ' order by array_position(array['holder', 'co_holder', 'occupant'], p.household_role), p.birth_date) from persons p where p.organisation_id = h.organisation_id and p.household_id = h.id) as persons,
        (select string_agg(distinct c.value, ', ') from contact_points c join persons p on p.organisation_id = c.organisation_id and p.id = c.person_id where p.organisation_id = h.organisation_id and p.household_id = h.id and c.kind <> 'email' and c.ended_at is null) as phones,
        (select string_agg(distinct v.kind, ', ') from vulnerability_indicators v where v.organisation_id = h.organisation_id and v.household_id = h.id) as indicators,
        (select string_agg(o.kind, ', ') from objections o where o.organisation_id = h.organisation_id and o.household_id = h.id) as objections
      from households h join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id
      where ${where} and h.id > ${after}::uuid order by h.id limit 2000`.execute(trx);
    if (!rows.length) return;
    yield* rows;
    after = rows[rows.length - 1]?.id ?? after;
  }
}

/** The household file, or undefined when invisible (other organisation, out of scope). */
export async function householdFile(trx: Tx, householdId: string, scope: HouseholdScope) {
  const head = await sql<{
    id: string;
    erp_ref: string;
    status: 'active' | 'left';
    missing_since: Date | null;
    left_at: Date | null;
    balance_cents: string | null;
    restricted_at: Date | null;
    restricted_reason: string | null;
    unit_ref: string;
    floor: number | null;
    rooms: number | null;
    has_lift: boolean | null;
    residence_id: string;
    residence: string;
    address: string | null;
    postal_code: string | null;
    city: string | null;
    qpv: boolean;
    agency_id: string;
    agency: string;
    duty_phone: string | null;
  }>`
    select h.id, h.erp_ref, h.status, h.missing_since, h.left_at, h.balance_cents, h.restricted_at, h.restricted_reason, u.erp_ref as unit_ref, u.floor, u.rooms, u.has_lift,
      r.id as residence_id, r.name as residence, r.address, r.postal_code, r.city, r.qpv, r.agency_id, ${agencyNameOf(sql.ref('r.agency_id'))} as agency, ${agencyDutyPhoneOf(sql.ref('r.agency_id'))} as duty_phone
    from households h join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id
    where h.id = ${householdId} ${householdScoped(scope)}`.execute(trx);
  const h = head.rows[0];
  if (!h) return undefined;
  const [lease, persons, contacts, indicators, objections, consents, needs, balances] = await Promise.all([
    trx
      .selectFrom('leases')
      .select(['erp_ref', 'start_date', 'end_date'])
      .where('household_id', '=', householdId)
      .orderBy('start_date', 'desc')
      .executeTakeFirst(),
    sql<{
      id: string;
      civility: string | null;
      first_name: string;
      last_name: string;
      birth_date: string | null;
      age: number | null;
      household_role: string;
      preferred_language: string | null;
      preferred_channel: 'phone' | 'sms' | 'email' | 'letter' | null;
    }>`
      select id, civility, first_name, last_name, birth_date::text, extract(year from age(birth_date))::int as age, household_role, preferred_language, preferred_channel
      from persons where household_id = ${householdId} order by array_position(array['holder', 'co_holder', 'occupant'], household_role), birth_date`.execute(
      trx,
    ),
    // Current contacts only: ERP contacts the ERP dropped or changed are ended, kept as history.
    sql<{ id: string; person_id: string; kind: 'mobile' | 'landline' | 'email'; value: string; source: string; updated_at: Date }>`
      select c.id, c.person_id, c.kind, c.value, c.source, c.updated_at from contact_points c join persons p on p.organisation_id = c.organisation_id and p.id = c.person_id
      where p.household_id = ${householdId} and c.ended_at is null
      order by (c.source = 'staff') desc, c.kind`.execute(trx),
    trx
      .selectFrom('vulnerability_indicators')
      .select(['id', 'kind', 'source', 'recorded_at'])
      .where('household_id', '=', householdId)
      .orderBy('kind')
      .execute(),
    trx.selectFrom('objections').select(['id', 'kind', 'recorded_at']).where('household_id', '=', householdId).execute(),
    trx.selectFrom('consents').selectAll().where('household_id', '=', householdId).orderBy('given_at', 'desc').execute(),
    trx
      .selectFrom('declared_needs')
      .select(['id', 'category', 'label', 'source', 'recorded_at'])
      .where('household_id', '=', householdId)
      .orderBy('recorded_at', 'desc')
      .execute(),
    trx
      .selectFrom('household_balances')
      .select(['balance_cents', 'recorded_at'])
      .where('household_id', '=', householdId)
      .orderBy('recorded_at', 'desc')
      .limit(20)
      .execute(),
  ]);
  return { h, lease, persons: persons.rows, contacts: contacts.rows, indicators, objections, consents, needs, balances };
}

export async function householdVisible(trx: Tx, householdId: string, scope: HouseholdScope) {
  const { rows } =
    await sql`select 1 from households h join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id where h.id = ${householdId} ${householdScoped(scope)}`.execute(
      trx,
    );
  return rows.length > 0;
}

export function personOfHousehold(trx: Tx, personId: string, householdId: string) {
  return trx.selectFrom('persons').select('id').where('id', '=', personId).where('household_id', '=', householdId).executeTakeFirst();
}

/** Set a person's preferred channel and language; returns the old values. */
export async function setPreferences(
  trx: Tx,
  personId: string,
  p: { preferredChannel: 'phone' | 'sms' | 'email' | 'letter' | null; preferredLanguage: string | null },
) {
  const before = await trx
    .selectFrom('persons')
    .select(['preferred_channel', 'preferred_language'])
    .where('id', '=', personId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('persons')
    .set({ preferred_channel: p.preferredChannel, preferred_language: p.preferredLanguage, updated_at: sql`now()` })
    .where('id', '=', personId)
    .execute();
  return { preferredChannel: before.preferred_channel, preferredLanguage: before.preferred_language };
}

export async function upsertStaffContact(trx: Tx, personId: string, kind: 'mobile' | 'landline' | 'email', value: string) {
  const before = await trx
    .selectFrom('contact_points')
    .select('value')
    .where('person_id', '=', personId)
    .where('kind', '=', kind)
    .where('source', '=', 'staff')
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  await sql`insert into contact_points (organisation_id, person_id, kind, value, source) values (lien_current_org(), ${personId}, ${kind}, ${value}, 'staff')
    on conflict (organisation_id, person_id, kind, source) where ended_at is null do update set value = excluded.value, updated_at = now()`.execute(trx);
  return before?.value ?? null;
}

export async function addIndicator(trx: Tx, householdId: string, kind: string, userId: string) {
  const r =
    await sql`insert into vulnerability_indicators (organisation_id, household_id, kind, source, recorded_by) values (lien_current_org(), ${householdId}, ${kind}, 'staff', ${userId})
    on conflict (organisation_id, household_id, kind, source) where person_id is null do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

export async function removeIndicator(trx: Tx, householdId: string, indicatorId: string) {
  return trx
    .deleteFrom('vulnerability_indicators')
    .where('id', '=', indicatorId)
    .where('household_id', '=', householdId)
    .returning(['kind', 'source'])
    .executeTakeFirst();
}

export type ObjectionKind = (typeof objectionKinds)[number];

export async function hasObjection(trx: Tx, householdId: string, kind: ObjectionKind) {
  const r = await trx.selectFrom('objections').select('id').where('household_id', '=', householdId).where('kind', '=', kind).executeTakeFirst();
  return r !== undefined;
}

/** Whether the household's processing is restricted (erasure, DP-07). */
export async function isRestricted(trx: Tx, householdId: string) {
  const r = await trx.selectFrom('households').select('restricted_at').where('id', '=', householdId).executeTakeFirst();
  return r?.restricted_at != null;
}

export async function addObjection(trx: Tx, householdId: string, kind: ObjectionKind, userId: string) {
  const r = await sql`insert into objections (organisation_id, household_id, kind, recorded_by) values (lien_current_org(), ${householdId}, ${kind}, ${userId})
    on conflict (organisation_id, household_id, kind) do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * A tenant answered STOP to an SMS (issue 15): « pas de SMS » on every household where a current
 * mobile of one of its members is this number (E.164), recorded by no user. Returns the households
 * it was added to.
 */
export async function addSmsOptOutObjections(trx: Tx, phone: string): Promise<string[]> {
  const r = await sql<{ household_id: string }>`insert into objections (organisation_id, household_id, kind, recorded_by)
    select distinct lien_current_org(), p.household_id, 'no_sms', null::uuid
    from contact_points cp join persons p on p.organisation_id = cp.organisation_id and p.id = cp.person_id
    where cp.kind = 'mobile' and cp.value = ${phone} and cp.ended_at is null
    on conflict (organisation_id, household_id, kind) do nothing
    returning household_id`.execute(trx);
  return r.rows.map((row) => row.household_id);
}

export function removeObjection(trx: Tx, householdId: string, objectionId: string) {
  return trx.deleteFrom('objections').where('id', '=', objectionId).where('household_id', '=', householdId).returning('kind').executeTakeFirst();
}

export async function insertConsent(
  trx: Tx,
  householdId: string,
  personId: string | null,
  channel: 'phone' | 'in_person' | 'letter' | 'portal',
  wordingVersion: string,
  userId: string,
) {
  const r = await trx
    .insertInto('consents')
    .values({
      organisation_id: sql<string>`lien_current_org()`,
      household_id: householdId,
      person_id: personId,
      purpose: 'health_needs',
      channel,
      wording_version: wordingVersion,
      recorded_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export function activeConsent(trx: Tx, householdId: string, consentId: string) {
  return trx
    .selectFrom('consents')
    .select('id')
    .where('id', '=', consentId)
    .where('household_id', '=', householdId)
    .where('purpose', '=', 'health_needs')
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
}

/** Withdraw a consent: the needs it covered are deleted in the same transaction. */
export async function withdrawConsent(trx: Tx, householdId: string, consentId: string) {
  const updated = await trx
    .updateTable('consents')
    .set({ withdrawn_at: sql`now()` })
    .where('id', '=', consentId)
    .where('household_id', '=', householdId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  if (!Number(updated.numUpdatedRows)) return null;
  const deleted = await trx.deleteFrom('declared_needs').where('consent_id', '=', consentId).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

export async function insertNeed(
  trx: Tx,
  householdId: string,
  need: { category: 'health' | 'disability' | 'daily_life' | 'social' | 'other'; label: string; consentId: string | null },
  userId: string,
) {
  const r = await trx
    .insertInto('declared_needs')
    .values({
      organisation_id: sql<string>`lien_current_org()`,
      household_id: householdId,
      category: need.category,
      label: need.label,
      source: 'staff',
      consent_id: need.consentId,
      recorded_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export function removeNeed(trx: Tx, householdId: string, needId: string) {
  return trx.deleteFrom('declared_needs').where('id', '=', needId).where('household_id', '=', householdId).returning(['category', 'label']).executeTakeFirst();
}

/** A household of a campaign segment, with what the dispatch priority and the « ne pas appeler » rule need. */
export type SegmentHousehold = {
  household_id: string;
  agency_id: string;
  residence_id: string;
  last_contact_at: Date | null;
  oldest_birth_date: string | null;
  /** Distinct kinds of its vulnerability indicators. */
  indicator_kinds: string[];
  /** Enrolled in the regular watch. */
  regular_watch: boolean;
  /** Carries the « ne pas appeler » objection. */
  no_call: boolean;
};

/**
 * The households of a segment inside the scope, as a query to embed (`from (${segmentHouseholds(…)}) s`),
 * so a count or an `insert … select` that uses it stays one statement. Unused columns cost nothing:
 * PostgreSQL drops them when it pulls the subquery up.
 */
export const segmentHouseholds = (segment: HouseholdFilters, scope: Scope): RawBuilder<SegmentHousehold> => sql<SegmentHousehold>`
  select h.id as household_id, r.agency_id, r.id as residence_id, h.last_contact_at, h.oldest_birth_date,
    array(select distinct v.kind from vulnerability_indicators v where v.organisation_id = h.organisation_id and v.household_id = h.id) as indicator_kinds,
    exists (select 1 from watch_enrolments w where w.organisation_id = h.organisation_id and w.household_id = h.id and w.status = 'active') as regular_watch,
    exists (select 1 from objections o where o.organisation_id = h.organisation_id and o.household_id = h.id and o.kind = 'no_call') as no_call
  from households h join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id
  where ${filterSql(segment, scope)}`;

/**
 * The ids of the households of a segment within the agencies, as they are now: what a dashboard
 * compares with (reporting, issue 18), found once and handed to each module's figures.
 */
export async function segmentHouseholdIds(trx: Tx, segment: HouseholdFilters, agencies: Scope): Promise<string[]> {
  // Without a residence, the households alone (they carry their agency): no join to homes and residences.
  const query =
    segment.residenceId === undefined
      ? sql<{ household_id: string }>`select h.id as household_id from households h
          where ${filterSql({ ...segment, agencyId: undefined }, { kind: 'organisation' })} and ${householdScopeSql(agencies, 'h')}
            ${segment.agencyId ? sql`and h.agency_id = ${segment.agencyId}::uuid` : sql``}`
      : sql<{ household_id: string }>`select s.household_id from (${segmentHouseholds(segment, agencies)}) s`;
  return (await query.execute(trx)).rows.map((x) => x.household_id);
}

/**
 * The agencies' households as a subquery of (organisation_id, id), to match with both (a payment
 * plan has no agency of its own); null for the whole organisation.
 */
export const agencyHouseholdsSql = (agencies: Scope): RawBuilder<unknown> | null =>
  agencies ? sql`select h.organisation_id, h.id from households h where h.agency_id = any(${agencies}::uuid[])` : null;
