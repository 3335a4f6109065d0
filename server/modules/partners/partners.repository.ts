/** The only file with the partners module's SQL: partners, partner_members, referrals. */
import { sql } from 'kysely';
import type { CaseType } from '../../../contracts/cases.ts';
import type { DeclineReason, PartnerKind, ReferralOutcome, ReferralStatus } from '../../../contracts/partners.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Scope } from '../registry/index.ts';

export type PartnerRecord = {
  id: string;
  name: string;
  kind: PartnerKind;
  communes: string[];
  need_types: CaseType[];
  ack_days: number;
  active: boolean;
};

export type PartnerValues = { name: string; kind: PartnerKind; communes: string[]; needTypes: CaseType[]; ackDays: number; active: boolean };

/** Every partner of the organisation, by name, with its members' user ids. */
export async function partners(trx: Tx) {
  const r = await sql<PartnerRecord & { member_ids: string[] }>`
    select p.id, p.name, p.kind, p.communes, p.need_types, p.ack_days, p.active,
      array(select m.user_id from partner_members m where m.organisation_id = p.organisation_id and m.partner_id = p.id) as member_ids
    from partners p order by p.name`.execute(trx);
  return r.rows;
}

export async function partnerOf(trx: Tx, id: string) {
  const r = await sql<PartnerRecord>`select id, name, kind, communes, need_types, ack_days, active from partners where id = ${id}`.execute(trx);
  return r.rows[0];
}

/** A new partner's id, or undefined when the name is taken. */
export async function insertPartner(trx: Tx, p: PartnerValues) {
  const r = await sql<{ id: string }>`
    insert into partners (organisation_id, name, kind, communes, need_types, ack_days, active)
    values (lien_current_org(), ${p.name}, ${p.kind}, ${p.communes}::text[], ${p.needTypes}::text[], ${p.ackDays}, ${p.active})
    on conflict (organisation_id, name) do nothing returning id`.execute(trx);
  return r.rows[0]?.id;
}

/** 'ok', 'missing' or 'taken' (another partner has the name). */
export async function updatePartner(trx: Tx, id: string, p: PartnerValues): Promise<'ok' | 'missing' | 'taken'> {
  const clash = await sql`select 1 from partners where name = ${p.name} and id <> ${id}`.execute(trx);
  if (clash.rows.length) return 'taken';
  const r = await sql`update partners set name = ${p.name}, kind = ${p.kind}, communes = ${p.communes}::text[], need_types = ${p.needTypes}::text[],
    ack_days = ${p.ackDays}, active = ${p.active} where id = ${id}`.execute(trx);
  return Number(r.numAffectedRows ?? 0) === 1 ? 'ok' : 'missing';
}

/** The partner each of these users belongs to. */
export async function membershipsOf(trx: Tx, userIds: readonly string[]): Promise<Map<string, string>> {
  if (!userIds.length) return new Map();
  const r = await sql<{ user_id: string; partner_id: string }>`
    select user_id, partner_id from partner_members where user_id = any(${[...userIds]}::uuid[])`.execute(trx);
  return new Map(r.rows.map((m) => [m.user_id, m.partner_id]));
}

/** Links a user to one partner (replacing any other), or unlinks them (`partnerId` null). */
export async function setMembership(trx: Tx, userId: string, partnerId: string | null) {
  await sql`delete from partner_members where user_id = ${userId}`.execute(trx);
  if (partnerId)
    await sql`insert into partner_members (organisation_id, user_id, partner_id) values (lien_current_org(), ${userId}, ${partnerId})`.execute(trx);
}

/** The partner the user belongs to, or undefined. */
export async function partnerOfUser(trx: Tx, userId: string) {
  const r = await sql<{ partner_id: string }>`select partner_id from partner_members where user_id = ${userId}`.execute(trx);
  return r.rows[0]?.partner_id;
}

/**
 * Active partners, those that take this type of need and serve this commune first (an empty list
 * of needs or of communes takes every one).
 */
export async function partnersFor(trx: Tx, q: { type: CaseType; commune: string | null }) {
  const r = await sql<{ id: string; name: string; kind: PartnerKind; suggested: boolean }>`
    select p.id, p.name, p.kind,
      (cardinality(p.need_types) = 0 or ${q.type} = any(p.need_types))
        and (cardinality(p.communes) = 0 or lower(coalesce(${q.commune}::text, '')) = any(select lower(c) from unnest(p.communes) c)) as suggested
    from partners p where p.active order by 4 desc, p.name`.execute(trx);
  return r.rows;
}

export type NewReferral = {
  caseId: string;
  householdId: string;
  agencyId: string;
  partnerId: string;
  consentId: string;
  healthConsentId: string | null;
  fields: string[];
  payload: Record<string, string>;
  sentBy: string;
  at: Date;
  ackDays: number;
};

export async function insertReferral(trx: Tx, r: NewReferral) {
  const row = await sql<{ id: string }>`
    insert into referrals (organisation_id, case_id, household_id, agency_id, partner_id, consent_id, health_consent_id, fields, payload, sent_by, sent_at, ack_due_at)
    values (lien_current_org(), ${r.caseId}, ${r.householdId}, ${r.agencyId}, ${r.partnerId}, ${r.consentId}, ${r.healthConsentId}, ${r.fields}::text[],
      ${JSON.stringify(r.payload)}::jsonb, ${r.sentBy}, ${r.at}, ${r.at}::timestamptz + make_interval(days => ${r.ackDays}))
    returning id`.execute(trx);
  return (row.rows[0] as { id: string }).id;
}

export type ReferralRecord = {
  id: string;
  case_id: string;
  household_id: string;
  partner_id: string;
  partner: string;
  status: ReferralStatus;
  sent_at: Date;
  ack_due_at: Date;
  overdue: boolean;
  decline_reason: DeclineReason | null;
  outcome: ReferralOutcome | null;
  partner_note: string | null;
  fields: string[];
  payload: Record<string, string>;
  sent_by: string | null;
};

const referralColumns = (now: Date) => sql`r.id, r.case_id, r.household_id, r.partner_id, p.name as partner, r.status, r.sent_at, r.ack_due_at,
  (r.status = 'new' and r.ack_due_at < ${now}) as overdue, r.decline_reason, r.outcome, r.partner_note, r.fields, r.payload, r.sent_by`;

/**
 * Referrals as the transaction's user may read them: a partner's user, only their partner's (the
 * database policy `referrals_partner`); others, those of the cases of their agencies (`caseIds`).
 */
export async function referrals(
  trx: Tx,
  q: { now: Date; caseId?: string; status?: ReferralStatus | undefined; overdue?: boolean | undefined; agencyIds?: Scope; limit: number },
) {
  const r = await sql<ReferralRecord>`
    select ${referralColumns(q.now)} from referrals r join partners p on p.organisation_id = r.organisation_id and p.id = r.partner_id
    where true ${q.agencyIds ? sql`and r.agency_id = any(${q.agencyIds}::uuid[])` : sql``} ${q.caseId ? sql`and r.case_id = ${q.caseId}` : sql``}
      ${q.status ? sql`and r.status = ${q.status}` : sql``}
      ${q.overdue ? sql`and r.status = 'new' and r.ack_due_at < ${q.now}` : sql``}
    order by (r.status = 'new' and r.ack_due_at < ${q.now}) desc, r.sent_at desc limit ${q.limit}`.execute(trx);
  return r.rows;
}

/** One referral the transaction's user may read, locked when asked. */
export async function referralOf(trx: Tx, id: string, now: Date, lock = false) {
  const r = await sql<ReferralRecord>`
    select ${referralColumns(now)} from referrals r join partners p on p.organisation_id = r.organisation_id and p.id = r.partner_id where r.id = ${id}
    ${lock ? sql`for update of r` : sql``}`.execute(trx);
  return r.rows[0];
}

export async function setReferralStatus(
  trx: Tx,
  id: string,
  c: { status: ReferralStatus; at: Date; userId: string; declineReason?: DeclineReason; outcome?: ReferralOutcome; note?: string | null },
) {
  const column = c.status === 'acknowledged' ? sql`acknowledged_at` : c.status === 'reported' ? sql`reported_at` : sql`answered_at`;
  await sql`update referrals set status = ${c.status}, ${column} = ${c.at}, updated_by = ${c.userId},
      decline_reason = ${c.declineReason ?? null}, outcome = ${c.outcome ?? null},
      partner_note = coalesce(${c.note ?? null}, partner_note)
    where id = ${id}`.execute(trx);
}

/** Whether the case still has a referral under way (new, acknowledged, accepted). */
export async function caseHasActiveReferral(trx: Tx, caseId: string) {
  const r = await sql`select 1 from referrals where case_id = ${caseId} and status in ('new', 'acknowledged', 'accepted') limit 1`.execute(trx);
  return r.rows.length > 0;
}

/** A household's referrals for its timeline: sent, and each step the partner took. */
export async function referralEventsOf(trx: Tx, householdId: string) {
  const r = await sql<{
    at: Date;
    kind: 'referral.sent' | 'referral.acknowledged' | 'referral.answered' | 'referral.reported';
    case_id: string;
    partner: string;
    status: ReferralStatus;
    outcome: ReferralOutcome | null;
  }>`
    with r as (select r.*, p.name as partner from referrals r join partners p on p.organisation_id = r.organisation_id and p.id = r.partner_id where r.household_id = ${householdId})
    select sent_at as at, 'referral.sent' as kind, case_id, partner, status, outcome from r
    union all select acknowledged_at, 'referral.acknowledged', case_id, partner, status, outcome from r where acknowledged_at is not null
    union all select answered_at, 'referral.answered', case_id, partner, status, outcome from r where answered_at is not null
    union all select reported_at, 'referral.reported', case_id, partner, status, outcome from r where reported_at is not null`.execute(trx);
  return r.rows;
}

/** A household's referrals, every column (the right-of-access export, TRUST DP-06). */
export async function referralRowsOf(trx: Tx, householdId: string) {
  return trx.selectFrom('referrals').selectAll().where('household_id', '=', householdId).orderBy('sent_at').execute();
}

/** Erasure: a household's referrals deleted; how many. */
export async function eraseReferralsOf(trx: Tx, householdId: string) {
  const r = await trx.deleteFrom('referrals').where('household_id', '=', householdId).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}
