import { type Expression, type RawBuilder, sql } from 'kysely';
import type { CallerLimits, CampaignInput } from '../../../contracts/campaigns.ts';
import type { HouseholdFilters } from '../../../contracts/households.ts';
import type { Tx } from '../../platform/db/database.ts';
import { type Scope, segmentHouseholds } from '../registry/index.ts';
import { queueFiguresOf } from './queue-figures.ts';

/** How many households a segment holds, and how many of them the « ne pas appeler » objection leaves out. */
export async function countSegment(trx: Tx, segment: HouseholdFilters, scope: Scope) {
  const r = await sql<{ matching: number; excluded: number }>`
    select count(*)::int as matching, count(*) filter (where s.no_call)::int as excluded from (${segmentHouseholds(segment, scope)}) s`.execute(trx);
  const row = r.rows[0] ?? { matching: 0, excluded: 0 };
  return { matching: row.matching, excludedNoCall: row.excluded, targeted: row.matching - row.excluded };
}

export type CampaignRow = {
  id: string;
  name: string;
  purpose: string;
  status: 'draft' | 'active' | 'paused' | 'closed';
  segment: HouseholdFilters;
  script: unknown;
  retry_policy: { retryAfterMinutes: number; maxAttempts: number };
  call_windows: { days: number[]; start: string; end: string };
  claim_timeout_minutes: number;
  caller_limits: CallerLimits;
  excluded_no_call: number;
  agency_ids: string[] | null;
  created_by: string | null;
  created_at: Date;
  launched_at: Date | null;
};

/** What a manager sets on a campaign (the caller pool is stored apart). */
export type NewCampaign = Omit<CampaignInput, 'callerIds'>;

/** The editable columns of a campaign, for insert and update alike. */
const campaignColumns = (c: NewCampaign) => ({
  name: c.name,
  purpose: c.purpose,
  segment: JSON.stringify(c.segment),
  script: JSON.stringify(c.script),
  retry_policy: JSON.stringify(c.retryPolicy),
  call_windows: JSON.stringify(c.callWindows),
  claim_timeout_minutes: c.claimTimeoutMinutes,
  caller_limits: JSON.stringify(c.callerLimits),
});

/** Campaigns a manager sees: all of them for an organisation-wide one, else those inside their agencies. */
const visibleTo = (scope: Scope) => (scope ? sql`and c.agency_ids is not null and c.agency_ids <@ ${scope}::uuid[]` : sql``);

export async function insertCampaign(trx: Tx, c: NewCampaign, userId: string, agencyIds: Scope) {
  const row = await trx
    .insertInto('campaigns')
    .values({
      organisation_id: sql<string>`lien_current_org()`,
      ...campaignColumns(c),
      agency_ids: agencyIds,
      created_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCampaign(trx: Tx, id: string, c: NewCampaign) {
  const r = await trx
    .updateTable('campaigns')
    .set({
      ...campaignColumns(c),
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Replace the caller pool. */
export async function setCallers(trx: Tx, campaignId: string, userIds: string[]) {
  await trx
    .deleteFrom('campaign_callers')
    .where('campaign_id', '=', campaignId)
    .where('user_id', 'not in', userIds.length ? userIds : ['00000000-0000-0000-0000-000000000000'])
    .execute();
  if (userIds.length) {
    await sql`insert into campaign_callers (organisation_id, campaign_id, user_id)
      select lien_current_org(), ${campaignId}, x.id from unnest(${userIds}::uuid[]) x(id) on conflict do nothing`.execute(trx);
  }
}

export async function findCampaign(trx: Tx, id: string, scope: Scope, options: { lock?: boolean } = {}) {
  const r =
    await sql<CampaignRow>`select c.id, c.name, c.purpose, c.status, c.segment, c.script, c.retry_policy, c.call_windows, c.claim_timeout_minutes, c.caller_limits,
      c.excluded_no_call, c.agency_ids, c.created_by, c.created_at, c.launched_at
    from campaigns c where c.id = ${id} ${visibleTo(scope)} ${options.lock ? sql`for update` : sql``}`.execute(trx);
  return r.rows[0];
}

export async function callerIds(trx: Tx, campaignId: string) {
  const rows = await trx.selectFrom('campaign_callers').select('user_id').where('campaign_id', '=', campaignId).execute();
  return rows.map((r) => r.user_id);
}

export type CampaignListRow = {
  id: string;
  name: string;
  purpose: string;
  status: CampaignRow['status'];
  created_at: Date;
  launched_at: Date | null;
  targeted: number;
  reached: number;
  callers: number;
};

/** The list columns beyond the campaign's own: the queue's figures (from calls, `queue-figures.ts`) and the pool's size. */
const countsSql = () => sql`${queueFiguresOf(sql.ref('c.id'))},
  (select count(*)::int from campaign_callers cc where cc.campaign_id = c.id) as callers`;

export async function listCampaigns(trx: Tx, who: { scope: Scope } | { caller: string }) {
  const r = await sql<CampaignListRow>`
    select c.id, c.name, c.purpose, c.status, c.created_at, c.launched_at, ${countsSql()}
    from campaigns c
    where ${
      'caller' in who
        ? sql`c.status in ('active', 'paused') and exists (select 1 from campaign_callers cc where cc.campaign_id = c.id and cc.user_id = ${who.caller})`
        : sql`true ${visibleTo(who.scope)}`
    }
    order by c.created_at desc limit 200`.execute(trx);
  return r.rows;
}

export async function campaignCounts(trx: Tx, id: string) {
  const r =
    await sql<CampaignListRow>`select c.id, c.name, c.purpose, c.status, c.created_at, c.launched_at, ${countsSql()} from campaigns c where c.id = ${id}`.execute(
      trx,
    );
  return r.rows[0];
}

/** Whether a segment equals the stored one (jsonb equality: key order does not matter). */
export async function sameSegment(trx: Tx, id: string, segment: HouseholdFilters) {
  const r = await sql<{ same: boolean }>`select segment = ${JSON.stringify(segment)}::jsonb as same from campaigns where id = ${id}`.execute(trx);
  return r.rows[0]?.same ?? false;
}

/** Move a draft campaign to active. Returns false when it was not a draft (a concurrent launch won). */
export async function markLaunched(trx: Tx, id: string, excludedNoCall: number, now: Date) {
  const r = await trx
    .updateTable('campaigns')
    .set({ status: 'active', launched_at: now, excluded_no_call: excludedNoCall, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setStatus(trx: Tx, id: string, from: CampaignRow['status'][], to: CampaignRow['status'], now: Date) {
  const r = await trx
    .updateTable('campaigns')
    .set({ status: to, updated_at: now, ...(to === 'closed' ? { closed_at: now } : {}) })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ——— For the calls module, in its transaction ———

/** A campaign's rules for calling, and whether this caller is in its pool. */
export type DispatchSettings = Pick<
  CampaignRow,
  'status' | 'name' | 'script' | 'call_windows' | 'retry_policy' | 'claim_timeout_minutes' | 'caller_limits' | 'created_by' | 'agency_ids'
> & { in_pool: boolean };

/**
 * The settings as one jsonb expression, for a statement of the calls module to include (its
 * caller state and its outcome lock read them in the same round trip); the SQL stays here.
 */
export function dispatchSettingsSql(p: { campaignId: ReturnType<typeof sql.ref> | string; callerId: string }) {
  const id = typeof p.campaignId === 'string' ? sql`${p.campaignId}::uuid` : p.campaignId;
  return sql<DispatchSettings>`(select to_jsonb(s) from (
    select c.status, c.name, c.script, c.call_windows, c.retry_policy, c.claim_timeout_minutes, c.caller_limits, c.created_by, c.agency_ids,
      exists (select 1 from campaign_callers cc where cc.campaign_id = c.id and cc.user_id = ${p.callerId}::uuid) as in_pool
    from campaigns c where c.id = ${id}) s)`;
}

export async function dispatchSettings(trx: Tx, p: { campaignId: string; callerId: string }) {
  const r = await sql<{ s: DispatchSettings | null }>`select ${dispatchSettingsSql(p)} as s`.execute(trx);
  return r.rows[0]?.s ?? undefined;
}

/** Name and script of campaigns, by id. */
export async function campaignScripts(trx: Tx, ids: string[]) {
  if (!ids.length) return new Map<string, { name: string; script: unknown }>();
  const r = await sql<{ id: string; name: string; script: unknown }>`select id, name, script from campaigns where id = any(${ids}::uuid[])`.execute(trx);
  return new Map(r.rows.map((c) => [c.id, { name: c.name, script: c.script }]));
}

// ——— Home page figures (what each user has to do now) ———

/** Running campaigns (active or paused) the scope sees, with how far each got. */
export async function runningCampaigns(trx: Tx, scope: Scope) {
  const r = await sql<Pick<CampaignListRow, 'id' | 'name' | 'status' | 'targeted' | 'reached'>>`
    select c.id, c.name, c.status, ${countsSql()}
    from campaigns c where c.status in ('active', 'paused') ${visibleTo(scope)}
    order by c.status, c.launched_at desc nulls last limit 50`.execute(trx);
  return r.rows;
}

/**
 * The ids of the campaigns in these statuses that the scope sees, as a subquery for another
 * module's statement (calls: due callbacks of running campaigns).
 */
export const campaignsSeenBy = (q: { statuses: readonly CampaignRow['status'][]; scope: Scope }): RawBuilder<string> =>
  sql`select c.id from campaigns c where c.status in (${sql.join(q.statuses.map((x) => sql.lit(x)))}) ${visibleTo(q.scope)}`;

/** The name of the campaign whose id is `id`, or null (follow-up and doorstep lists). */
export const campaignNameOf = (id: Expression<string | null> | RawBuilder<unknown>): RawBuilder<string | null> =>
  sql<string | null>`(select cn.name from campaigns cn where cn.id = ${id})`;

/** Campaign names by id (the audit journal, other modules' lists). */
export async function campaignNames(trx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await trx
    .selectFrom('campaigns')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
