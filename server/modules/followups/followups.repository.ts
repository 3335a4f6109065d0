import { sql } from 'kysely';
import type { FollowupStatus } from '../../../contracts/campaigns.ts';
import { type CaseType, caseTypeOfNeedCategory } from '../../../contracts/cases.ts';
import type { Tx } from '../../platform/db/database.ts';
import { campaignNameOf } from '../campaigns/index.ts';
import { agencyNameOf, userNameOf } from '../identity/index.ts';
import { householdHolderOf, householdRefOf, type Scope } from '../registry/index.ts';
import { caseRowsOf, eraseCasesOf, joinOrOpenCase } from './cases.repository.ts';

const agencyScoped = (scope: Scope, column: ReturnType<typeof sql.ref>) => (scope ? sql`and ${column} = any(${scope}::uuid[])` : sql``);

/** A follow-up to open, from a call's outcome or a doorstep visit. */
export type NewFollowup = {
  householdId: string;
  agencyId: string;
  campaignId: string | null;
  attemptId: string | null;
  need: string;
  label: string;
  urgent: boolean;
  consentId?: string | null;
  /** The need's category in the call's script (`needCategories`), which gives the type of its case. */
  category?: string | undefined;
};

/** The type of case a need joins: health under consent or a hospitalisation, else its script category, else « other ». */
export function caseTypeOfNeed(f: Pick<NewFollowup, 'need' | 'category' | 'consentId'>): CaseType {
  if (f.consentId || f.need === 'hospitalisation') return 'health';
  return (f.category && caseTypeOfNeedCategory[f.category]) || 'other';
}

/**
 * Opens a follow-up (a need heard), in the caller's transaction, in the open case of its household
 * and type, or a new case (issue 14); the same need of the same attempt is opened once (a second
 * call returns the follow-up already open). Its `raised_by` is the transaction's user.
 */
export async function openFollowup(trx: Tx, f: NewFollowup): Promise<string> {
  const caseId = await joinOrOpenCase(trx, {
    householdId: f.householdId,
    agencyId: f.agencyId,
    type: caseTypeOfNeed(f),
    origin: f.attemptId ? 'call' : 'doorstep',
    urgent: f.urgent,
  });
  const r = await sql<{ id: string }>`
    insert into followups (organisation_id, household_id, agency_id, campaign_id, attempt_id, need, label, urgent, consent_id, case_id)
    values (lien_current_org(), ${f.householdId}, ${f.agencyId}, ${f.campaignId}, ${f.attemptId}, ${f.need}, ${f.label}, ${f.urgent}, ${f.consentId ?? null}, ${caseId})
    on conflict (organisation_id, attempt_id, need) do nothing returning id`.execute(trx);
  const id = r.rows[0]?.id;
  if (id) return id;
  const existing = await trx
    .selectFrom('followups')
    .select('id')
    .where('attempt_id', '=', f.attemptId as string)
    .where('need', '=', f.need)
    .executeTakeFirstOrThrow();
  return existing.id;
}

export type FollowupFilter = { status: FollowupStatus; urgentOnly: boolean; campaignId?: string | undefined; limit: number };

export async function listFollowups(trx: Tx, filter: FollowupFilter, scope: Scope) {
  const r = await sql<{
    id: string;
    household_id: string;
    erp_ref: string;
    holder: string | null;
    agency: string;
    campaign: string | null;
    need: string;
    label: string;
    urgent: boolean;
    status: FollowupStatus;
    assigned_to: string | null;
    assigned_name: string | null;
    created_at: Date;
    resolution: string | null;
  }>`
    select f.id, f.household_id, ${householdRefOf(sql.ref('f.household_id'))} as erp_ref, ${householdHolderOf(sql.ref('f.household_id'))} as holder,
      ${agencyNameOf(sql.ref('f.agency_id'))} as agency, ${campaignNameOf(sql.ref('f.campaign_id'))} as campaign, f.need, f.label, f.urgent, f.status,
      f.assigned_to, ${userNameOf(sql.ref('f.assigned_to'))} as assigned_name, f.created_at, f.resolution
    from followups f
    where f.status = ${filter.status} ${filter.urgentOnly ? sql`and f.urgent` : sql``}
      ${filter.campaignId ? sql`and f.campaign_id = ${filter.campaignId}` : sql``} ${agencyScoped(scope, sql.ref('f.agency_id'))}
    order by f.urgent desc, f.created_at desc limit ${filter.limit}`.execute(trx);
  return r.rows;
}

export async function countOpenUrgent(trx: Tx, scope: Scope) {
  const r = await sql<{
    n: number;
  }>`select count(*)::int as n from followups f where f.status = 'open' and f.urgent ${agencyScoped(scope, sql.ref('f.agency_id'))}`.execute(trx);
  return r.rows[0]?.n ?? 0;
}

export async function findFollowup(trx: Tx, id: string, scope: Scope) {
  const r = await sql<{ id: string; household_id: string; agency_id: string; status: string }>`
    select id, household_id, agency_id, status from followups f where id = ${id} ${agencyScoped(scope, sql.ref('f.agency_id'))} for update`.execute(trx);
  return r.rows[0];
}

export async function assignFollowup(trx: Tx, id: string, userId: string | null) {
  await trx.updateTable('followups').set({ assigned_to: userId }).where('id', '=', id).execute();
}

export async function closeFollowup(trx: Tx, c: { id: string; resolution: string; userId: string; at: Date }) {
  await trx.updateTable('followups').set({ status: 'closed', resolution: c.resolution, closed_at: c.at, closed_by: c.userId }).where('id', '=', c.id).execute();
}

/** Open follow-ups of the scope: all, urgent, assigned to `userId`, opened before `overdueBefore`. */
export async function followupFigures(trx: Tx, scope: Scope, userId: string, overdueBefore: Date) {
  const r = await sql<{ open: number; urgent: number; mine: number; overdue: number }>`
    select count(*)::int as open, count(*) filter (where f.urgent)::int as urgent,
      count(*) filter (where f.assigned_to = ${userId})::int as mine, count(*) filter (where f.created_at < ${overdueBefore})::int as overdue
    from followups f where f.status = 'open' ${agencyScoped(scope, sql.ref('f.agency_id'))}`.execute(trx);
  return r.rows[0] ?? { open: 0, urgent: 0, mine: 0, overdue: 0 };
}

/** The household of each of these follow-ups, by follow-up id. */
export async function followupHouseholds(trx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await trx
    .selectFrom('followups')
    .select(['id', 'household_id'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.household_id]));
}

/** The needs a campaign's calls opened, most frequent first (campaign dashboard). */
export async function needsOfCampaign(trx: Tx, campaignId: string) {
  const r = await sql<{ need: string; label: string; count: number }>`
    select need, min(label) as label, count(*)::int as count from followups where campaign_id = ${campaignId}
    group by need order by count desc`.execute(trx);
  return r.rows;
}

/** The last 50 emergencies a campaign's calls raised, with their household as staff know it (campaign dashboard). */
export async function urgentOfCampaign(trx: Tx, campaignId: string) {
  const r = await sql<{ id: string; at: Date; label: string; status: string; household_id: string; erp_ref: string; holder: string | null }>`
    select f.id, f.created_at as at, f.label, f.status, f.household_id, ${householdRefOf(sql.ref('f.household_id'))} as erp_ref,
      ${householdHolderOf(sql.ref('f.household_id'))} as holder
    from followups f where f.campaign_id = ${campaignId} and f.urgent order by f.created_at desc limit 50`.execute(trx);
  return r.rows;
}

/** A household's follow-ups, closed ones too (right of access, TRUST DP-06). */
export async function followupRowsOf(trx: Tx, householdId: string) {
  return {
    followups: await trx.selectFrom('followups').selectAll().where('household_id', '=', householdId).orderBy('created_at').execute(),
    ...(await caseRowsOf(trx, householdId)),
  };
}

/** Erasure of a household's follow-ups (TRUST DP-07); the count deleted. */
export async function eraseFollowupsOf(trx: Tx, householdId: string) {
  const r = await trx.deleteFrom('followups').where('household_id', '=', householdId).executeTakeFirst();
  return { followups: Number(r.numDeletedRows), ...(await eraseCasesOf(trx, householdId)) };
}
