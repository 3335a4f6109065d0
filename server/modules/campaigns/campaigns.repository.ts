import { sql } from 'kysely';
import type { CallerLimits, CampaignInput } from '../../../contracts/campaigns.ts';
import type { HouseholdFilters } from '../../../contracts/households.ts';
import type { Tx } from '../../platform/db/database.ts';
import { agencyNameOf } from '../identity/index.ts';
import { householdRefOf, residenceNameOf, type Scope, segmentHouseholds } from '../registry/index.ts';

/**
 * Dispatch priority, documented in docs/guide: most fragile first. Points add up from the oldest
 * occupant's age and each distinct indicator; the regular watch adds a little. Ties go to the
 * household without contact for the longest time (never contacted first).
 */
export const priorityWeights = {
  age: [
    { minAge: 85, points: 40 },
    { minAge: 75, points: 30 },
    { minAge: 70, points: 20 },
    { minAge: 60, points: 10 },
  ],
  indicators: { lives_alone: 25, reduced_mobility: 20, disability: 15, financial_fragility: 10, needs_interpreter: 5, single_parent: 5 },
  regularWatch: 10,
} as const;

/** The priority of a household `s` of the segment (`registry.segmentHouseholds`), from `priorityWeights`. */
const prioritySql = sql`(
  (case ${sql.join(
    priorityWeights.age.map(
      (a) => sql`when s.oldest_birth_date <= (current_date - make_interval(years => ${sql.lit(a.minAge)}))::date then ${sql.lit(a.points)}`,
    ),
    sql` `,
  )} else 0 end)
  + coalesce((select sum(case k ${sql.join(
    Object.entries(priorityWeights.indicators).map(([kind, points]) => sql`when ${sql.lit(kind)} then ${sql.lit(points)}`),
    sql` `,
  )} else 0 end) from unnest(s.indicator_kinds) k), 0)
  + (case when s.regular_watch then ${sql.lit(priorityWeights.regularWatch)} else 0 end)
)::int`;

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

const countsSql = sql`
  (select count(*)::int from campaign_targets t where t.campaign_id = c.id) as targeted,
  (select count(*)::int from campaign_targets t where t.campaign_id = c.id and t.final_outcome = 'reached') as reached,
  (select count(*)::int from campaign_callers cc where cc.campaign_id = c.id) as callers`;

export async function listCampaigns(trx: Tx, who: { scope: Scope } | { caller: string }) {
  const r = await sql<CampaignListRow>`
    select c.id, c.name, c.purpose, c.status, c.created_at, c.launched_at, ${countsSql}
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
    await sql<CampaignListRow>`select c.id, c.name, c.purpose, c.status, c.created_at, c.launched_at, ${countsSql} from campaigns c where c.id = ${id}`.execute(
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

/** Fill the queue from the segment, « ne pas appeler » left out; a second run adds nothing (unique key). */
export async function insertTargets(trx: Tx, campaignId: string, segment: HouseholdFilters, scope: Scope, now: Date) {
  const r = await sql`
    insert into campaign_targets (organisation_id, campaign_id, household_id, agency_id, residence_id, priority, last_contact_at, next_attempt_at)
    select lien_current_org(), ${campaignId}, s.household_id, s.agency_id, s.residence_id, ${prioritySql}, s.last_contact_at, ${now}
    from (${segmentHouseholds(segment, scope)}) s where not s.no_call
    on conflict (organisation_id, campaign_id, household_id) do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

/** Fresh statistics for a newly filled queue, in a short transaction of its own after the launch commits. */
export async function analyzeTargets(trx: Tx) {
  await sql`select lien_analyze_campaign_targets()`.execute(trx);
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

// ——— Dashboard ———

export async function dashboardData(trx: Tx, campaignId: string, now: Date) {
  const [totals, outcomes, agencies, days] = await Promise.all([
    sql<{
      targeted: number;
      reached: number;
      queued: number;
      assigned: number;
      done: number;
      doorstep: number;
      attempts: number;
      callers_active: number;
    }>`select
        count(*)::int as targeted,
        count(*) filter (where final_outcome = 'reached')::int as reached,
        count(*) filter (where status in ('queued', 'waiting'))::int as queued,
        count(*) filter (where status = 'assigned')::int as assigned,
        count(*) filter (where status = 'done')::int as done,
        count(*) filter (where status = 'doorstep')::int as doorstep,
        (select count(*)::int from call_attempts a where a.campaign_id = ${campaignId}) as attempts,
        (select count(distinct x.u)::int from (
           select a.caller_id as u from call_attempts a where a.campaign_id = ${campaignId} and a.recorded_at > ${now}::timestamptz - interval '15 minutes'
           union select t2.assigned_to from campaign_targets t2 where t2.campaign_id = ${campaignId} and t2.status = 'assigned' and t2.claim_expires_at > ${now}) x) as callers_active
      from campaign_targets t where t.campaign_id = ${campaignId}`.execute(trx),
    sql<{
      outcome: string;
      count: number;
    }>`select outcome, count(*)::int as count from call_attempts where campaign_id = ${campaignId} group by outcome order by count desc`.execute(trx),
    sql<{ agency: string; targeted: number; reached: number }>`select x.agency, sum(x.targeted)::int as targeted, sum(x.reached)::int as reached from (
        select ${agencyNameOf(sql.ref('t.agency_id'))} as agency, count(*) as targeted, count(*) filter (where t.final_outcome = 'reached') as reached
        from campaign_targets t where t.campaign_id = ${campaignId} group by t.agency_id) x
      group by x.agency order by x.agency collate "fr-FR-x-icu"`.execute(trx),
    sql<{
      day: string;
      attempts: number;
      reached: number;
    }>`select to_char(recorded_at at time zone 'Europe/Paris', 'YYYY-MM-DD') as day, count(*)::int as attempts,
        count(*) filter (where outcome = 'reached')::int as reached
      from call_attempts where campaign_id = ${campaignId} group by 1 order by 1`.execute(trx),
  ]);
  return { totals: totals.rows[0], outcomes: outcomes.rows, agencies: agencies.rows, days: days.rows };
}

// ——— Export ———

export async function exportRows(trx: Tx, campaignId: string) {
  const r = await sql<{ erp_ref: string; agency: string; residence: string; status: string; final_outcome: string | null; attempts: number; priority: number }>`
    select x.* from (
      select ${householdRefOf(sql.ref('t.household_id'))} as erp_ref, ${agencyNameOf(sql.ref('t.agency_id'))} as agency,
        ${residenceNameOf(sql.ref('t.residence_id'))} as residence, t.status, t.final_outcome, t.attempts, t.priority
      from campaign_targets t where t.campaign_id = ${campaignId}) x
    order by x.agency collate "fr-FR-x-icu", x.residence collate "fr-FR-x-icu", x.erp_ref limit 200000`.execute(trx);
  return r.rows;
}

// ——— Home page figures (what each user has to do now) ———

/** Running campaigns (active or paused) the scope sees, with how far each got. */
export async function runningCampaigns(trx: Tx, scope: Scope) {
  const r = await sql<Pick<CampaignListRow, 'id' | 'name' | 'status' | 'targeted' | 'reached'>>`
    select c.id, c.name, c.status, ${countsSql}
    from campaigns c where c.status in ('active', 'paused') ${visibleTo(scope)}
    order by c.status, c.launched_at desc nulls last limit 50`.execute(trx);
  return r.rows;
}

/**
 * Callbacks whose promised time has passed and that nobody has taken yet: those promised by
 * `caller`, or every one of the running campaigns the scope sees.
 */
export async function countDueCallbacks(trx: Tx, who: { scope: Scope } | { caller: string }, now: Date) {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from campaign_targets t join campaigns c on c.id = t.campaign_id
    where t.callback_user_id is not null and t.status in ('queued', 'waiting') and t.next_attempt_at <= ${now}
      and c.status in ('active', 'paused')
      ${'caller' in who ? sql`and t.callback_user_id = ${who.caller}` : visibleTo(who.scope)}`.execute(trx);
  return r.rows[0]?.n ?? 0;
}

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
