import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';
import { agencyDutyPhoneOf } from '../identity/index.ts';

type Row<T extends keyof DB> = Omit<Insertable<DB[T]>, 'organisation_id'>;

const CHUNK = 500;

async function insertChunks<T extends keyof DB>(trx: Tx, table: T, rows: Row<T>[], conflict: readonly string[] | null) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows.slice(i, i + CHUNK).map((r) => ({ ...r, organisation_id: sql<string>`lien_current_org()` }));
    let q = trx.insertInto(table).values(values as never);
    if (conflict) q = q.onConflict((oc) => oc.columns(conflict as never).doNothing());
    await q.execute();
  }
}

export function insertResidences(trx: Tx, rows: Row<'residences'>[]) {
  return insertChunks(trx, 'residences', rows, ['organisation_id', 'erp_code']);
}
export function insertUnits(trx: Tx, rows: Row<'housing_units'>[]) {
  return insertChunks(trx, 'housing_units', rows, ['organisation_id', 'erp_ref']);
}
/** Households; their agency is filled by the database from their home's residence. */
export function insertHouseholds(trx: Tx, rows: (Omit<Row<'households'>, 'agency_id'> & { agency_id?: string })[]) {
  return insertChunks(trx, 'households', rows as Row<'households'>[], ['organisation_id', 'erp_ref']);
}
export function insertPersons(trx: Tx, rows: Row<'persons'>[]) {
  return insertChunks(trx, 'persons', rows, null);
}
export function insertContactPoints(trx: Tx, rows: Row<'contact_points'>[]) {
  return insertChunks(trx, 'contact_points', rows, null);
}
export function insertIndicators(trx: Tx, rows: Row<'vulnerability_indicators'>[]) {
  return insertChunks(trx, 'vulnerability_indicators', rows, null);
}

/** Ids by ERP reference, to attach children after a bulk insert. */
export async function idsByRef(trx: Tx, table: 'residences' | 'housing_units' | 'households', refs: string[]) {
  const column = table === 'residences' ? 'erp_code' : 'erp_ref';
  const map = new Map<string, string>();
  for (let i = 0; i < refs.length; i += 5000) {
    const rows = await sql<{
      id: string;
      ref: string;
    }>`select id, ${sql.ref(column)} as ref from ${sql.table(table)} where ${sql.ref(column)} = any(${refs.slice(i, i + 5000)})`.execute(trx);
    for (const r of rows.rows) map.set(r.ref, r.id);
  }
  return map;
}

/** Households that have no person yet (a re-run of a seed skips filled ones). */
export async function emptyHouseholds(trx: Tx, ids: string[]) {
  if (!ids.length) return new Set<string>();
  const rows = await sql<{
    id: string;
  }>`select h.id from households h where h.id = any(${ids}::uuid[]) and not exists (select 1 from persons p where p.organisation_id = h.organisation_id and p.household_id = h.id)`.execute(
    trx,
  );
  return new Set(rows.rows.map((r) => r.id));
}

export async function countHouseholds(trx: Tx) {
  const r = await trx.selectFrom('households').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Refresh the holder name and oldest birth date kept on households (after persons change). */
export async function refreshHouseholdSummaries(trx: Tx, householdIds: string[]) {
  await sql`select lien_refresh_household_summary(${householdIds}::uuid[])`.execute(trx);
}

/** Give residences (by ERP code) a caretaker, e.g. the demo's caretaker for their agency's residences. */
export async function setResidenceCaretaker(trx: Tx, erpCodes: string[], caretakerId: string) {
  await trx.updateTable('residences').set({ caretaker_id: caretakerId }).where('erp_code', 'in', erpCodes).execute();
}

/** A household someone reached (call or doorstep visit): its last contact moves forward, never back. */
export async function markHouseholdContacted(trx: Tx, contact: { householdId: string; at: Date }) {
  await trx
    .updateTable('households')
    .set({ last_contact_at: contact.at })
    .where('id', '=', contact.householdId)
    .where((eb) => eb.or([eb('last_contact_at', 'is', null), eb('last_contact_at', '<', contact.at)]))
    .execute();
}

// ——— For the calls module, in its transaction ———

/**
 * `markHouseholdContacted` as a statement fragment, for the calls module's attempt statement that
 * records a reached call in one round trip (a data-modifying CTE): the household's last contact
 * moves forward to `at`, never back. The SQL naming this table stays here.
 */
export const householdContactedSql = (p: { householdId: string; at: Date }) =>
  sql`update households set last_contact_at = ${p.at} where id = ${p.householdId} and (last_contact_at is null or last_contact_at < ${p.at})`;

/** « Ne pas appeler »: a condition on a household id column, for a statement of another module that must honour it at once. */
export const noCallObjectionOn = (householdId: ReturnType<typeof sql.ref>) =>
  sql`exists (select 1 from objections o where o.household_id = ${householdId} and o.kind = 'no_call')`;

/** What a caller's card shows of a household: the person to ask for (one with a phone first), their phones, the address, the agency's duty phone. */
export type HouseholdCallCard = {
  household_id: string;
  erp_ref: string;
  address: string;
  duty_phone: string | null;
  age: number | null;
  first_name: string | null;
  last_name: string | null;
  phones: { kind: 'mobile' | 'landline'; number: string }[] | null;
  indicators: string[];
};

type Operand = ReturnType<typeof sql.ref> | string;
const operand = (v: Operand) => (typeof v === 'string' ? sql`${v}::uuid` : v);

/**
 * The card as one jsonb expression, for a statement of the calls module to include (the claim
 * returns its card in the same round trip); the SQL naming the registry's tables stays here.
 */
export function householdCallCardSql(at: { householdId: Operand; residenceId: Operand; agencyId: Operand }) {
  return sql<HouseholdCallCard>`(select to_jsonb(card) from (
    select h.id as household_id, h.erp_ref, extract(year from age(h.oldest_birth_date))::int as age,
      (select coalesce(r.address || ', ', '') || coalesce(r.postal_code || ' ', '') || coalesce(r.city, '') from residences r
        where r.id = ${operand(at.residenceId)}) as address,
      ${agencyDutyPhoneOf(operand(at.agencyId))} as duty_phone,
      contact.first_name, contact.last_name,
      (select jsonb_agg(jsonb_build_object('kind', cp.kind, 'number', cp.value) order by (cp.source = 'staff') desc, cp.kind = 'landline')
         from contact_points cp where cp.person_id = contact.id and cp.kind <> 'email' and cp.ended_at is null) as phones,
      array(select distinct v.kind from vulnerability_indicators v where v.organisation_id = h.organisation_id and v.household_id = h.id) as indicators
    from households h left join lateral (
      select p.id, p.first_name, p.last_name from persons p where p.organisation_id = h.organisation_id and p.household_id = h.id
      order by exists (select 1 from contact_points c where c.person_id = p.id and c.kind <> 'email' and c.ended_at is null) desc,
        array_position(array['holder', 'co_holder', 'occupant'], p.household_role), p.birth_date limit 1) contact on true
    where h.id = ${operand(at.householdId)}) card)`;
}

export async function householdCallCard(trx: Tx, at: { householdId: string; residenceId: string; agencyId: string }) {
  const r = await sql<{ card: HouseholdCallCard | null }>`select ${householdCallCardSql(at)} as card`.execute(trx);
  return r.rows[0]?.card ?? undefined;
}

/** A consent given over the phone during a call (health needs, regular watch). */
export async function recordPhoneConsent(
  trx: Tx,
  c: { householdId: string; purpose: 'health_needs' | 'regular_watch'; wording: string; recordedBy: string },
): Promise<string> {
  const r = await trx
    .insertInto('consents')
    .values({
      organisation_id: sql<string>`lien_current_org()`,
      household_id: c.householdId,
      person_id: null,
      purpose: c.purpose,
      channel: 'phone',
      wording_version: c.wording,
      recorded_by: c.recordedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** A need the household declared during a call. */
export async function recordCallNeed(
  trx: Tx,
  n: { householdId: string; category: 'health' | 'social' | 'daily_life' | 'other'; label: string; consentId: string | null; recordedBy: string },
) {
  await trx
    .insertInto('declared_needs')
    .values({
      organisation_id: sql<string>`lien_current_org()`,
      household_id: n.householdId,
      category: n.category,
      label: n.label,
      source: 'call',
      consent_id: n.consentId,
      recorded_by: n.recordedBy,
    })
    .execute();
}

/** Enrol in the regular watch; a household already enrolled stays as it is (false). */
export async function enrolInWatch(
  trx: Tx,
  w: { householdId: string; consentId: string; frequency: 'weekly' | 'fortnightly' | 'monthly'; campaignId: string; enrolledBy: string },
) {
  const r = await sql`insert into watch_enrolments (organisation_id, household_id, consent_id, frequency, campaign_id, enrolled_by)
    values (lien_current_org(), ${w.householdId}, ${w.consentId}, ${w.frequency}, ${w.campaignId}, ${w.enrolledBy})
    on conflict (organisation_id, household_id) where status = 'active' do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** The person a right-of-access request is about, and their household (issue 13, TRUST DP-06). */
export type DataSubject = { householdId: string; personId: string };

/**
 * Every row the registry holds about a person and their household, table by table, for the
 * right of access: the household, its members, the person's contacts (ended ones too), the
 * household's and the person's indicators, consents, objections, needs, watch enrolments, leases,
 * balances and the ERP import lines that described them. RLS keeps it in the caller's organisation.
 */
export async function registryRowsOf(trx: Tx, s: DataSubject) {
  const household = await trx.selectFrom('households').selectAll().where('id', '=', s.householdId).execute();
  const erpRefs = household.map((h) => h.erp_ref);
  const personKeys = (await trx.selectFrom('persons').select('person_key').where('id', '=', s.personId).execute()).map((p) => p.person_key);
  return {
    households: household,
    persons: await trx.selectFrom('persons').selectAll().where('household_id', '=', s.householdId).orderBy('household_role').execute(),
    contact_points: await trx.selectFrom('contact_points').selectAll().where('person_id', '=', s.personId).orderBy('updated_at').execute(),
    vulnerability_indicators: await trx
      .selectFrom('vulnerability_indicators')
      .selectAll()
      .where('household_id', '=', s.householdId)
      .where((w) => w.or([w('person_id', 'is', null), w('person_id', '=', s.personId)]))
      .execute(),
    consents: await trx
      .selectFrom('consents')
      .selectAll()
      .where('household_id', '=', s.householdId)
      .where((w) => w.or([w('person_id', 'is', null), w('person_id', '=', s.personId)]))
      .execute(),
    objections: await trx.selectFrom('objections').selectAll().where('household_id', '=', s.householdId).execute(),
    declared_needs: await trx.selectFrom('declared_needs').selectAll().where('household_id', '=', s.householdId).execute(),
    watch_enrolments: await trx.selectFrom('watch_enrolments').selectAll().where('household_id', '=', s.householdId).execute(),
    leases: await trx.selectFrom('leases').selectAll().where('household_id', '=', s.householdId).execute(),
    household_balances: await trx.selectFrom('household_balances').selectAll().where('household_id', '=', s.householdId).execute(),
    import_lines:
      erpRefs.length && personKeys.length
        ? await trx.selectFrom('import_lines').selectAll().where('household_ref', 'in', erpRefs).where('person_key', 'in', personKeys).execute()
        : [],
  };
}

/** The person's household, or undefined when the person is not in the caller's organisation (RLS). */
export function subjectOf(trx: Tx, personId: string) {
  return trx
    .selectFrom('persons')
    .innerJoin('households', (j) => j.onRef('households.organisation_id', '=', 'persons.organisation_id').onRef('households.id', '=', 'persons.household_id'))
    .select(['persons.id as personId', 'persons.household_id as householdId', 'persons.first_name', 'persons.last_name', 'households.erp_ref'])
    .where('persons.id', '=', personId)
    .executeTakeFirst();
}

/** Persons' names and their household's reference, by person id, in one query (the DPO's list of requests). */
export async function personLabels(trx: Tx, personIds: readonly string[]): Promise<Map<string, { name: string; householdRef: string }>> {
  if (!personIds.length) return new Map();
  const rows = await trx
    .selectFrom('persons')
    .innerJoin('households', (j) => j.onRef('households.organisation_id', '=', 'persons.organisation_id').onRef('households.id', '=', 'persons.household_id'))
    .select(['persons.id', 'persons.first_name', 'persons.last_name', 'households.erp_ref'])
    .where('persons.id', 'in', [...personIds])
    .execute();
  return new Map(rows.map((r) => [r.id, { name: `${r.first_name} ${r.last_name}`, householdRef: r.erp_ref }]));
}

/** The contact values (phones, e-mail addresses) a person has had, ended ones too. */
export async function contactValuesOf(trx: Tx, personId: string): Promise<string[]> {
  return (await trx.selectFrom('contact_points').select('value').where('person_id', '=', personId).execute()).map((c) => c.value);
}

/**
 * Erasure (TRUST DP-07): the household's fragility register — watch enrolments, declared needs,
 * indicators, consents — deleted, in the order of their links. Counts per table.
 */
export async function eraseFragilityOf(trx: Tx, householdId: string) {
  const n = async (table: 'watch_enrolments' | 'declared_needs' | 'vulnerability_indicators' | 'consents') =>
    Number((await trx.deleteFrom(table).where('household_id', '=', householdId).executeTakeFirst()).numDeletedRows);
  const watch_enrolments = await n('watch_enrolments');
  const declared_needs = await n('declared_needs');
  const vulnerability_indicators = await n('vulnerability_indicators');
  const consents = await n('consents');
  return { watch_enrolments, declared_needs, vulnerability_indicators, consents };
}

/** The household's rent balance now, in cents (null when the ERP gave none): whether arrears are still owed. */
export async function householdBalanceOf(trx: Tx, householdId: string): Promise<number | null> {
  const r = await trx.selectFrom('households').select('balance_cents').where('id', '=', householdId).executeTakeFirst();
  return r?.balance_cents == null ? null : Number(r.balance_cents);
}

/** Erasure (TRUST DP-07) when no arrears are owed: the history of the household's balances, deleted; the count. */
export async function eraseBalancesOf(trx: Tx, householdId: string) {
  const r = await trx.deleteFrom('household_balances').where('household_id', '=', householdId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Restriction of processing (RGPD art. 18, TRUST DP-07): what a legal purpose still needs stays,
 * hidden from every role but the one that purpose needs (`households.restricted`); the columns of
 * the purposes erased (the oldest occupant's age for the register, the last contact for the
 * campaigns) are emptied. A household already restricted keeps its first date. Whether it was restricted now.
 */
export async function restrictHousehold(trx: Tx, householdId: string, reason: string, at: Date) {
  const r = await trx
    .updateTable('households')
    .set({ restricted_at: at, restricted_reason: reason, oldest_birth_date: null, last_contact_at: null, updated_at: at })
    .where('id', '=', householdId)
    .where('restricted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The tenant's agreement to be referred to a partner (`referral`), or explicit consent to send it health fields (`referral_health`). */
export async function recordReferralConsent(
  trx: Tx,
  c: {
    householdId: string;
    partnerId: string;
    purpose: 'referral' | 'referral_health';
    channel: 'phone' | 'in_person' | 'letter' | 'portal';
    wording: string;
    recordedBy: string;
  },
): Promise<string> {
  const r = await trx
    .insertInto('consents')
    .values({
      organisation_id: sql<string>`lien_current_org()`,
      household_id: c.householdId,
      person_id: null,
      purpose: c.purpose,
      partner_id: c.partnerId,
      channel: c.channel,
      wording_version: c.wording,
      recorded_by: c.recordedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** The household's referral consents not withdrawn, newest first: which partner, which purpose. */
export function referralConsentsOf(trx: Tx, householdId: string) {
  return trx
    .selectFrom('consents')
    .select(['id', 'partner_id', 'purpose'])
    .where('household_id', '=', householdId)
    .where('purpose', 'in', ['referral', 'referral_health'])
    .where('withdrawn_at', 'is', null)
    .orderBy('given_at', 'desc')
    .execute();
}
