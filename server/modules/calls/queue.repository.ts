/**
 * The queue's SQL outside dispatch and outcomes (those are in calls.repository.ts): filling it at
 * launch, its figures (campaign lists, dashboard, export, due callbacks), and the look-ups other
 * modules need (a target's or attempt's household for the audit journal, the callers who accepted
 * the charter). The calls module owns these tables; campaigns sits below it (ADR 0010).
 */
import { type RawBuilder, sql } from 'kysely';
import type { CampaignStatus } from '../../../contracts/campaign-labels.ts';
import type { HouseholdFilters } from '../../../contracts/households.ts';
import type { Tx } from '../../platform/db/database.ts';
import { campaignsSeenBy } from '../campaigns/index.ts';
import { visitResultOf } from '../doorstep/index.ts';
import { agencyNameOf } from '../identity/index.ts';
import { householdHasPhone, householdRefOf, residenceNameOf, type Scope, segmentHouseholds } from '../registry/index.ts';

/**
 * Dispatch priority, documented in docs/guide: most fragile first. Points add up from the oldest
 * occupant's age and each distinct indicator; the regular watch adds a little. Ties go to the
 * household without contact for the longest time (never contacted first).
 */
const priorityWeights = {
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

/** Fill the queue from the segment, « ne pas appeler » left out; a second run adds nothing (unique key). */
export async function insertTargets(trx: Tx, q: { campaignId: string; segment: HouseholdFilters; scope: Scope; now: Date }) {
  const r = await sql`
    insert into campaign_targets (organisation_id, campaign_id, household_id, agency_id, residence_id, priority, last_contact_at, next_attempt_at)
    select lien_current_org(), ${q.campaignId}, s.household_id, s.agency_id, s.residence_id, ${prioritySql}, s.last_contact_at, ${q.now}
    from (${segmentHouseholds(q.segment, q.scope)}) s where not s.no_call
    on conflict (organisation_id, campaign_id, household_id) do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

/** Households of a launched campaign's queue with no phone at all: out of the queue, for a doorstep visit (returned). */
export async function markPhoneless(trx: Tx, campaignId: string, now: Date) {
  const r = await sql<{ id: string; household_id: string; residence_id: string; agency_id: string }>`
    update campaign_targets t set status = 'doorstep', final_outcome = 'no_phone', updated_at = ${now}
    where t.campaign_id = ${campaignId} and t.status = 'queued' and not ${householdHasPhone(sql.ref('t.household_id'))}
    returning t.id, t.household_id, t.residence_id, t.agency_id`.execute(trx);
  return r.rows;
}

/** Fresh statistics for a newly filled queue, in a short transaction of its own after the launch commits. */
export async function analyzeTargets(trx: Tx) {
  await sql`select lien_analyze_campaign_targets()`.execute(trx);
}

/** How far the queue of the campaign whose id is `id` got, as two columns `targeted` and `reached` (campaign lists). */
export const queueFiguresOf = (id: RawBuilder<unknown>): RawBuilder<{ targeted: number; reached: number }> => sql`
  (select count(*)::int from campaign_targets t where t.campaign_id = ${id}) as targeted,
  (select count(*)::int from campaign_targets t where t.campaign_id = ${id} and t.final_outcome = 'reached') as reached`;

// ——— Dashboard ———

/**
 * The dashboard's figures. Its counts scan the campaign's whole queue (100,000 targets in the
 * benchmark); with parallel workers PostgreSQL forks two more processes per scan, which on a
 * 2-core server cost 5–8 times the CPU of the serial scan (160–250 ms against 30 ms for the
 * totals, measured) and took it from the callers' claims. So the dashboard's transaction scans
 * serially (`set_config(…, true)`: this transaction only).
 */
export async function dashboardData(trx: Tx, campaignId: string, now: Date) {
  await sql`select set_config('max_parallel_workers_per_gather', '0', true)`.execute(trx);
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

/**
 * One line per household of the queue. A household handed to the doorstep ends with the visit's
 * result when there is one (`doorstep_<result>`, the doorstep module's), else with the queue's own
 * final outcome.
 */
export async function exportRows(trx: Tx, campaignId: string) {
  const r = await sql<{ erp_ref: string; agency: string; residence: string; status: string; final_outcome: string | null; attempts: number; priority: number }>`
    select x.* from (
      select ${householdRefOf(sql.ref('t.household_id'))} as erp_ref, ${agencyNameOf(sql.ref('t.agency_id'))} as agency,
        ${residenceNameOf(sql.ref('t.residence_id'))} as residence, t.status,
        coalesce('doorstep_' || ${visitResultOf(sql.ref('t.id'))}, t.final_outcome) as final_outcome, t.attempts, t.priority
      from campaign_targets t where t.campaign_id = ${campaignId}) x
    order by x.agency collate "fr-FR-x-icu", x.residence collate "fr-FR-x-icu", x.erp_ref limit 200000`.execute(trx);
  return r.rows;
}

// ——— Home page figures ———

const running: CampaignStatus[] = ['active', 'paused'];

/**
 * Callbacks whose promised time has passed and that nobody has taken yet: those promised by
 * `caller`, or every one of the running campaigns the scope sees.
 */
export async function countDueCallbacks(trx: Tx, who: { scope: Scope } | { caller: string }, now: Date) {
  const campaigns = campaignsSeenBy({ statuses: running, scope: 'caller' in who ? null : who.scope });
  const r = await sql<{ n: number }>`
    select count(*)::int as n from campaign_targets t
    where t.callback_user_id is not null and t.status in ('queued', 'waiting') and t.next_attempt_at <= ${now}
      and t.campaign_id in (${campaigns}) ${'caller' in who ? sql`and t.callback_user_id = ${who.caller}` : sql``}`.execute(trx);
  return r.rows[0]?.n ?? 0;
}

// ——— Look-ups for other modules ———

async function householdsOf(trx: Tx, table: 'campaign_targets' | 'call_attempts', ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const r = await sql<{ id: string; household_id: string }>`
    select x.id, x.household_id from ${sql.table(table)} x where x.id = any(${[...ids]}::uuid[])`.execute(trx);
  return new Map(r.rows.map((x) => [x.id, x.household_id]));
}

/** The households in a campaign's queue (messaging to a campaign's households, issue 15). */
export async function campaignHouseholdIds(trx: Tx, campaignId: string): Promise<string[]> {
  const rows = await trx.selectFrom('campaign_targets').select('household_id').distinct().where('campaign_id', '=', campaignId).execute();
  return rows.map((r) => r.household_id);
}

/** The household of each of these call targets, by target id. */
export const targetHouseholds = (trx: Tx, ids: readonly string[]) => householdsOf(trx, 'campaign_targets', ids);

/** The household of each of these call attempts, by attempt id. */
export const attemptHouseholds = (trx: Tx, ids: readonly string[]) => householdsOf(trx, 'call_attempts', ids);

/** Which of these users accepted this version of the callers' charter. */
export async function charterAcceptedAmong(trx: Tx, q: { userIds: readonly string[]; version: string }): Promise<Set<string>> {
  if (!q.userIds.length) return new Set();
  const rows = await trx
    .selectFrom('charter_acceptances')
    .select('user_id')
    .where('user_id', 'in', [...q.userIds])
    .where('version', '=', q.version)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/** A household's places in campaign queues and every call made to it, with answers and notes (right of access, TRUST DP-06). */
export async function callRowsOf(trx: Tx, householdId: string) {
  return {
    campaign_targets: await trx.selectFrom('campaign_targets').selectAll().where('household_id', '=', householdId).orderBy('id').execute(),
    call_attempts: await trx.selectFrom('call_attempts').selectAll().where('household_id', '=', householdId).orderBy('recorded_at').execute(),
  };
}

/**
 * Erasure of a household's campaign data (TRUST DP-07): its calls, then its places in the queues
 * (a doorstep visit or follow-up that hangs on them goes first, through their owners). Counts per table.
 */
export async function eraseCallsOf(trx: Tx, householdId: string) {
  const attempts = await trx.deleteFrom('call_attempts').where('household_id', '=', householdId).executeTakeFirst();
  const targets = await trx.deleteFrom('campaign_targets').where('household_id', '=', householdId).executeTakeFirst();
  return { call_attempts: Number(attempts.numDeletedRows), campaign_targets: Number(targets.numDeletedRows) };
}

/** How many calls this caller recorded (a volunteer's tally, issue 17). */
export async function callsMadeBy(trx: Tx, userId: string): Promise<number> {
  const r = await trx
    .selectFrom('call_attempts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('caller_id', '=', userId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
