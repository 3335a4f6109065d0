import { sql } from 'kysely';
import type { CallerLimits, CampaignInput } from '../../../contracts/campaigns.ts';
import type { HouseholdFilters } from '../../../contracts/households.ts';
import type { Tx } from '../../platform/db/database.ts';
import { householdFilterSql as filterSql, type Scope } from '../registry/index.ts';

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

const prioritySql = sql`(
  (case ${sql.join(
    priorityWeights.age.map(
      (a) => sql`when h.oldest_birth_date <= (current_date - make_interval(years => ${sql.lit(a.minAge)}))::date then ${sql.lit(a.points)}`,
    ),
    sql` `,
  )} else 0 end)
  + coalesce((select sum(case v.kind ${sql.join(
    Object.entries(priorityWeights.indicators).map(([kind, points]) => sql`when ${sql.lit(kind)} then ${sql.lit(points)}`),
    sql` `,
  )} else 0 end) from (select distinct kind from vulnerability_indicators v where v.household_id = h.id) v), 0)
  + (case when exists (select 1 from watch_enrolments w where w.household_id = h.id and w.status = 'active') then ${sql.lit(priorityWeights.regularWatch)} else 0 end)
)::int`;

const segmentFrom = (segment: HouseholdFilters, scope: Scope) =>
  sql`households h join housing_units u on u.id = h.unit_id join residences r on r.id = u.residence_id where ${filterSql(segment, scope)}`;
const noCall = sql`exists (select 1 from objections o where o.household_id = h.id and o.kind = 'no_call')`;

/** How many households a segment holds, and how many of them the « ne pas appeler » objection leaves out. */
export async function countSegment(trx: Tx, segment: HouseholdFilters, scope: Scope) {
  const r = await sql<{ matching: number; excluded: number }>`
    select count(*)::int as matching, count(*) filter (where ${noCall})::int as excluded from ${segmentFrom(segment, scope)}`.execute(trx);
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
      select lien_current_org(), ${campaignId}, u.id from users u where u.id = any(${userIds}::uuid[]) on conflict do nothing`.execute(trx);
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

/** Campaigns in which a household is reserved to this caller now (the claim « next » would hand back). */
export async function heldCampaigns(trx: Tx, userId: string, now: Date) {
  const r = await sql<{ campaign_id: string }>`select distinct campaign_id from campaign_targets
    where status = 'assigned' and assigned_to = ${userId} and claim_expires_at > ${now}`.execute(trx);
  return new Set(r.rows.map((row) => row.campaign_id));
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

/** Users who may be put in a caller pool. */
export async function callerCandidates(trx: Tx, charterVersion: string) {
  const r = await sql<{ id: string; first_name: string; last_name: string; role: string; charter: boolean }>`
    select u.id, u.first_name, u.last_name, u.role,
      exists (select 1 from charter_acceptances ca where ca.user_id = u.id and ca.version = ${charterVersion}) as charter
    from users u where u.status = 'active' and u.role in ('org_admin', 'manager', 'staff', 'social_worker', 'volunteer', 'partner')
    order by u.last_name collate "fr-FR-x-icu", u.first_name collate "fr-FR-x-icu" limit 2000`.execute(trx);
  return r.rows;
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
    select lien_current_org(), ${campaignId}, h.id, r.agency_id, r.id, ${prioritySql}, h.last_contact_at, ${now}
    from ${segmentFrom(segment, scope)} and not ${noCall}
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

export async function hasAcceptedCharter(trx: Tx, userId: string, version: string) {
  const r = await trx.selectFrom('charter_acceptances').select('accepted_at').where('user_id', '=', userId).where('version', '=', version).executeTakeFirst();
  return r?.accepted_at ?? null;
}

export async function acceptCharter(trx: Tx, userId: string, version: string) {
  await sql`insert into charter_acceptances (organisation_id, user_id, version) values (lien_current_org(), ${userId}, ${version})
    on conflict (organisation_id, user_id, version) do nothing`.execute(trx);
}

// ——— Dispatch (ADR 0009: the rules in the service, the atomic claim here) ———

/** Everything the caller's page may show about a claimed household; the service filters it per role. */
export type CallCardRow = {
  target_id: string;
  agency_id: string;
  campaign_id: string;
  attempts: number;
  callback: boolean;
  claim_expires_at: Date;
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

/** What « next » decides on: the campaign, the caller's place in it, and their last hour. */
export type CallerState = {
  status: CampaignRow['status'];
  name: string;
  script: unknown;
  call_windows: CampaignRow['call_windows'];
  claim_timeout_minutes: number;
  caller_limits: CallerLimits;
  in_pool: boolean;
  charter: boolean;
  /** The household this caller holds (claim not expired), if any. */
  held: string | null;
  /** The hand-back (claim) that reached the hourly limit, when the caller is at it: the limit lasts until an hour after it. */
  release_limit_at: Date | null;
  claim_limit_at: Date | null;
};

/** The lock « next » takes for this caller and campaign: whatever runs under it does so one at a time per caller. */
export async function lockCaller(trx: Tx, campaignId: string, userId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended('next:' || ${campaignId}::text || ':' || ${userId}::text, 0))`.execute(trx);
}

/** Read under the caller lock, so a double tap sees the household the first tap claimed. */
export async function callerState(trx: Tx, p: { campaignId: string; userId: string; now: Date; charterVersion: string }) {
  const lastHour = (kind: 'release' | 'claim', limit: string) => sql`(select e.at from campaign_caller_events e
      where e.organisation_id = c.organisation_id and e.campaign_id = c.id and e.user_id = ${p.userId} and e.kind = ${kind}
        and e.at > ${p.now}::timestamptz - interval '1 hour'
      order by e.at desc offset (c.caller_limits ->> ${limit})::int - 1 limit 1)`;
  const r = await sql<CallerState>`select c.status, c.name, c.script, c.call_windows, c.claim_timeout_minutes, c.caller_limits,
      exists (select 1 from campaign_callers cc where cc.campaign_id = c.id and cc.user_id = ${p.userId}) as in_pool,
      exists (select 1 from charter_acceptances ca where ca.user_id = ${p.userId} and ca.version = ${p.charterVersion}) as charter,
      (select t.id from campaign_targets t where t.campaign_id = c.id and t.status = 'assigned' and t.assigned_to = ${p.userId}
         and t.claim_expires_at > ${p.now} limit 1) as held,
      ${lastHour('release', 'releasesPerHour')} as release_limit_at,
      ${lastHour('claim', 'claimsPerHour')} as claim_limit_at
    from campaigns c where c.id = ${p.campaignId}`.execute(trx);
  return r.rows[0];
}

/**
 * The one claim statement (ADR 0009): the first free row of, in this order, the caller's own
 * callbacks due, anyone's callback a quarter of an hour late, the queue by priority, a retry due
 * since the last maintenance pass, a claim abandoned past its timeout. Each branch takes its row
 * `FOR UPDATE SKIP LOCKED` (concurrent callers skip each other instead of waiting); the branches
 * run in order under `limit 1` and stop at the first row found, so one row is locked at most. An
 * objection recorded after the launch is honoured at once. The claim is logged for the caller's
 * hourly limit in the same statement.
 */
export async function claimNext(trx: Tx, p: { campaignId: string; userId: string; now: Date; timeoutMinutes: number }) {
  const free = sql`not exists (select 1 from objections o where o.household_id = q.household_id and o.kind = 'no_call')`;
  const r = await sql<{ id: string; household_id: string }>`
    with pick as (
      select id from (
        select id from (select id from campaign_targets q
          where q.campaign_id = ${p.campaignId} and q.status = 'waiting' and q.callback_user_id is not null and q.next_attempt_at <= ${p.now}
            and (q.callback_user_id = ${p.userId} or q.next_attempt_at < ${p.now}::timestamptz - interval '15 minutes') and ${free}
          order by (q.callback_user_id = ${p.userId}) desc, q.next_attempt_at limit 1 for update skip locked) b
        union all
        select id from (select id from campaign_targets q where q.campaign_id = ${p.campaignId} and q.status = 'queued' and ${free}
          order by q.priority desc, q.last_contact_at asc nulls first, q.id limit 1 for update skip locked) b
        union all
        select id from (select id from campaign_targets q
          where q.campaign_id = ${p.campaignId} and q.status = 'waiting' and q.next_attempt_at <= ${p.now} and q.callback_user_id is null and ${free}
          order by q.next_attempt_at limit 1 for update skip locked) b
        union all
        select id from (select id from campaign_targets q where q.campaign_id = ${p.campaignId} and q.status = 'assigned' and q.claim_expires_at < ${p.now} and ${free}
          order by q.claim_expires_at limit 1 for update skip locked) b
      ) candidates limit 1),
    claimed as (
      update campaign_targets t set status = 'assigned', assigned_to = ${p.userId}, assigned_at = ${p.now},
        claim_expires_at = ${p.now}::timestamptz + make_interval(mins => ${p.timeoutMinutes}), updated_at = ${p.now}
      from pick where t.id = pick.id
      returning t.id, t.household_id, t.organisation_id),
    logged as (
      insert into campaign_caller_events (organisation_id, campaign_id, user_id, kind, at)
      select organisation_id, ${p.campaignId}, ${p.userId}, 'claim', ${p.now} from claimed)
    select id, household_id from claimed`.execute(trx);
  return r.rows[0];
}

/** The call card of a claimed household: the person to ask for (one with a phone first), their phones, the household. */
export async function callCard(trx: Tx, targetId: string) {
  const r = await sql<CallCardRow>`
    with contact as (
      select p.id, p.first_name, p.last_name from persons p
      where p.household_id = (select household_id from campaign_targets where id = ${targetId})
      order by exists (select 1 from contact_points c where c.person_id = p.id and c.kind <> 'email') desc,
        array_position(array['holder', 'co_holder', 'occupant'], p.household_role), p.birth_date limit 1)
    select t.id as target_id, t.agency_id, t.campaign_id, t.attempts, t.callback_user_id is not null as callback, t.claim_expires_at,
      h.id as household_id, h.erp_ref, extract(year from age(h.oldest_birth_date))::int as age,
      coalesce(r.address || ', ', '') || coalesce(r.postal_code || ' ', '') || coalesce(r.city, '') as address, a.duty_phone,
      (select first_name from contact) as first_name, (select last_name from contact) as last_name,
      (select jsonb_agg(jsonb_build_object('kind', cp.kind, 'number', cp.value) order by (cp.source = 'staff') desc, cp.kind = 'landline')
         from contact_points cp where cp.person_id = (select id from contact) and cp.kind <> 'email') as phones,
      array(select distinct v.kind from vulnerability_indicators v where v.household_id = h.id) as indicators
    from campaign_targets t join households h on h.id = t.household_id
      join residences r on r.id = t.residence_id join agencies a on a.id = t.agency_id
    where t.id = ${targetId}`.execute(trx);
  return r.rows[0];
}

/**
 * Retries that came due go back to the queue. Callbacks stay apart: « next » hands them before
 * the queue, to their caller first, to anyone a quarter of an hour late.
 */
export async function promoteDue(trx: Tx, now: Date) {
  const r = await sql`update campaign_targets set status = 'queued', updated_at = ${now}
    where id in (select id from campaign_targets where status = 'waiting' and next_attempt_at <= ${now} and callback_user_id is null
      for update skip locked)`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

/** Claims past their timeout go back to the queue (an abandoned household is called by someone else). */
export async function releaseExpiredClaims(trx: Tx, now: Date) {
  const r = await sql`update campaign_targets set status = 'queued', assigned_to = null, assigned_at = null, claim_expires_at = null, updated_at = ${now}
    where id in (select id from campaign_targets where status = 'assigned' and claim_expires_at < ${now} for update skip locked)`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

export type TargetRow = {
  id: string;
  campaign_id: string;
  household_id: string;
  agency_id: string;
  residence_id: string;
  status: 'queued' | 'waiting' | 'assigned' | 'done' | 'doorstep';
  attempts: number;
  tried_slots: string[];
  assigned_to: string | null;
  assigned_at: Date | null;
  claim_expires_at: Date | null;
  callback_user_id: string | null;
};

export async function lockTarget(trx: Tx, targetId: string) {
  const r = await sql<TargetRow>`select id, campaign_id, household_id, agency_id, residence_id, status, attempts, tried_slots, assigned_to, assigned_at,
      claim_expires_at, callback_user_id from campaign_targets where id = ${targetId} for update`.execute(trx);
  return r.rows[0];
}

/** A household handed back by its caller waits a while, so the queue moves on to the next one. */
export async function releaseTarget(trx: Tx, targetId: string, now: Date, delayMinutes: number) {
  await sql`update campaign_targets set status = 'waiting', next_attempt_at = ${now}::timestamptz + make_interval(mins => ${delayMinutes}),
      callback_user_id = null, assigned_to = null, assigned_at = null, claim_expires_at = null, updated_at = ${now}
    where id = ${targetId}`.execute(trx);
}

// ——— Caller limits ———

/** One hand-back or alert of a caller, for the campaign's hourly limits (claims are logged by `claimNext`). */
export async function insertCallerEvent(trx: Tx, campaignId: string, userId: string, kind: 'release' | 'alert', at: Date) {
  await sql`insert into campaign_caller_events (organisation_id, campaign_id, user_id, kind, at)
    values (lien_current_org(), ${campaignId}, ${userId}, ${kind}, ${at})`.execute(trx);
}

/** Whether the managers were alerted about this caller in this campaign within the hour before `now`. */
export async function alertedWithinHour(trx: Tx, campaignId: string, userId: string, now: Date) {
  const r = await sql<{ alerted: boolean }>`select exists (select 1 from campaign_caller_events where campaign_id = ${campaignId} and user_id = ${userId}
      and kind = 'alert' and at > ${now}::timestamptz - interval '1 hour') as alerted`.execute(trx);
  return r.rows[0]?.alerted ?? false;
}

/** The counts only look an hour back: older events go (a day later, to leave room for a slow clock). */
export async function purgeCallerEvents(trx: Tx, now: Date) {
  const r = await sql`delete from campaign_caller_events where organisation_id = lien_current_org() and at < ${now}::timestamptz - interval '1 day'`.execute(
    trx,
  );
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Who hears about a caller past a limit: the campaign's author and the active managers whose
 * agencies meet the campaign's (organisation-wide ones always), the caller left out.
 */
export async function limitAlertRecipients(trx: Tx, campaignId: string, callerId: string) {
  const r = await sql<{ id: string; email: string }>`
    select u.id, u.email from users u, campaigns c where c.id = ${campaignId} and u.status = 'active' and u.id <> ${callerId} and (
      u.id = c.created_by
      or (u.role in ('manager', 'org_admin') and (not exists (select 1 from user_agencies ua where ua.user_id = u.id)
          or exists (select 1 from user_agencies ua where ua.user_id = u.id and (c.agency_ids is null or ua.agency_id = any(c.agency_ids))))))
    order by u.id`.execute(trx);
  return r.rows;
}

/** The name of a user, for a manager's alert. */
export async function userName(trx: Tx, userId: string) {
  const r = await sql<{ name: string }>`select first_name || ' ' || last_name as name from users where id = ${userId}`.execute(trx);
  return r.rows[0]?.name ?? '';
}

// ——— Outcomes ———

/** The call an outcome is for, locked with its campaign's rules: the service checks it is still this caller's. */
export type HeldCall = TargetRow & Pick<CampaignRow, 'name' | 'script' | 'retry_policy' | 'call_windows'>;

export async function lockCall(trx: Tx, targetId: string) {
  const r = await sql<HeldCall>`select t.id, t.campaign_id, t.household_id, t.agency_id, t.residence_id, t.status, t.attempts, t.tried_slots,
      t.assigned_to, t.assigned_at, t.claim_expires_at, t.callback_user_id, c.name, c.script, c.retry_policy, c.call_windows
    from campaign_targets t join campaigns c on c.id = t.campaign_id where t.id = ${targetId} for update of t`.execute(trx);
  return r.rows[0];
}

/** Where the household goes after the call (`triedSlots`: the unanswered calls' time slots). */
export type Settlement = { kind: 'done' | 'retry' | 'callback' | 'doorstep'; nextAttemptAt: Date | null; triedSlots: string[] };

/** One call's outcome, as the service decided it. */
export type RecordAttemptInput = {
  call: HeldCall;
  callerId: string;
  now: Date;
  outcome: string;
  slot: string;
  callbackAt: Date | null;
  answers: Record<string, unknown>;
  note: string | null;
  noteFlags: string[];
  urgent: boolean;
  settle: Settlement;
};

/**
 * The attempt and the target settled (done, another try later, the callback, or the doorstep
 * visit) in one statement, under the target's lock taken by `lockCall`. Returns the attempt id.
 */
export async function recordAttempt(trx: Tx, a: RecordAttemptInput) {
  const t = a.call;
  const s = a.settle;
  const status = s.kind === 'done' ? 'done' : s.kind === 'doorstep' ? 'doorstep' : 'waiting';
  const finalOutcome = s.kind === 'done' ? a.outcome : s.kind === 'doorstep' ? 'doorstep' : null;
  const r = await sql<{ id: string }>`
    with attempt as (
      insert into call_attempts (organisation_id, campaign_id, target_id, household_id, caller_id, claimed_at, recorded_at, outcome, slot,
          callback_at, answers, note, note_flags, note_review, urgent)
      values (lien_current_org(), ${t.campaign_id}, ${t.id}, ${t.household_id}, ${a.callerId}, ${t.assigned_at ?? a.now}, ${a.now}, ${a.outcome}, ${a.slot},
        ${a.callbackAt}, ${JSON.stringify(a.answers)}, ${a.note}, ${a.noteFlags}, ${a.noteFlags.length ? 'pending' : null}, ${a.urgent})
      returning id),
    settled as (
      update campaign_targets set attempts = attempts + 1, assigned_to = null, assigned_at = null, claim_expires_at = null, updated_at = ${a.now},
        status = ${status}, final_outcome = coalesce(${finalOutcome}, final_outcome),
        next_attempt_at = ${s.kind === 'retry' || s.kind === 'callback' ? s.nextAttemptAt : sql`next_attempt_at`},
        tried_slots = ${s.triedSlots}, callback_user_id = ${s.kind === 'callback' ? a.callerId : null}
      where id = ${t.id})
    select id from attempt`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

/** The caretaker's visit of a household the calls did not reach. */
export async function openDoorstepVisit(trx: Tx, call: Pick<TargetRow, 'id' | 'campaign_id' | 'household_id' | 'residence_id' | 'agency_id'>) {
  await sql`insert into doorstep_visits (organisation_id, campaign_id, target_id, household_id, residence_id, agency_id)
    values (lien_current_org(), ${call.campaign_id}, ${call.id}, ${call.household_id}, ${call.residence_id}, ${call.agency_id})
    on conflict (organisation_id, target_id) do nothing`.execute(trx);
}

export async function insertFollowup(
  trx: Tx,
  f: {
    householdId: string;
    agencyId: string;
    campaignId: string | null;
    attemptId: string | null;
    need: string;
    label: string;
    urgent: boolean;
    consentId?: string | null;
  },
) {
  const r = await sql<{ id: string }>`
    insert into followups (organisation_id, household_id, agency_id, campaign_id, attempt_id, need, label, urgent, consent_id)
    values (lien_current_org(), ${f.householdId}, ${f.agencyId}, ${f.campaignId}, ${f.attemptId}, ${f.need}, ${f.label}, ${f.urgent}, ${f.consentId ?? null})
    on conflict (organisation_id, attempt_id, need) do nothing returning id`.execute(trx);
  return r.rows[0]?.id;
}

/** The health answers of an attempt were kept under this consent: withdrawing it removes them. */
export async function linkHealthAnswers(trx: Tx, attemptId: string, consentId: string, keys: string[]) {
  await sql`update call_attempts set health_consent_id = ${consentId}, health_keys = ${keys} where id = ${attemptId}`.execute(trx);
}

export async function insertPhoneConsent(trx: Tx, householdId: string, purpose: 'health_needs' | 'regular_watch', wording: string, userId: string) {
  const r = await trx
    .insertInto('consents')
    .values({
      organisation_id: sql<string>`lien_current_org()`,
      household_id: householdId,
      person_id: null,
      purpose,
      channel: 'phone',
      wording_version: wording,
      recorded_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function insertCallNeed(
  trx: Tx,
  householdId: string,
  category: 'health' | 'social' | 'daily_life' | 'other',
  label: string,
  consentId: string | null,
  userId: string,
) {
  await trx
    .insertInto('declared_needs')
    .values({
      organisation_id: sql<string>`lien_current_org()`,
      household_id: householdId,
      category,
      label,
      source: 'call',
      consent_id: consentId,
      recorded_by: userId,
    })
    .execute();
}

/** Enrol in the regular watch; a household already enrolled stays as it is. */
export async function enrolWatch(
  trx: Tx,
  householdId: string,
  consentId: string,
  frequency: 'weekly' | 'fortnightly' | 'monthly',
  campaignId: string,
  userId: string,
) {
  const r = await sql`insert into watch_enrolments (organisation_id, household_id, consent_id, frequency, campaign_id, enrolled_by)
    values (lien_current_org(), ${householdId}, ${consentId}, ${frequency}, ${campaignId}, ${userId})
    on conflict (organisation_id, household_id) where status = 'active' do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** Managers to alert about an emergency in a household of this agency: the campaign's author and the managers of the agency (or of the whole organisation). */
export async function alertRecipients(trx: Tx, campaignId: string, agencyId: string) {
  const r = await sql<{ id: string; email: string }>`
    select u.id, u.email from users u where u.status = 'active' and (
      u.id = (select created_by from campaigns where id = ${campaignId})
      or (u.role in ('manager', 'org_admin') and (not exists (select 1 from user_agencies ua where ua.user_id = u.id)
          or exists (select 1 from user_agencies ua where ua.user_id = u.id and ua.agency_id = ${agencyId}))))`.execute(trx);
  return r.rows;
}

// ——— Dashboard ———

export async function dashboardData(trx: Tx, campaignId: string, now: Date) {
  const [totals, outcomes, needs, agencies, days, urgent] = await Promise.all([
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
    sql<{
      need: string;
      label: string;
      count: number;
    }>`select need, min(label) as label, count(*)::int as count from followups where campaign_id = ${campaignId}
      group by need order by count desc`.execute(trx),
    sql<{ agency: string; targeted: number; reached: number }>`select a.name as agency, count(*)::int as targeted,
        count(*) filter (where t.final_outcome = 'reached')::int as reached
      from campaign_targets t join agencies a on a.id = t.agency_id where t.campaign_id = ${campaignId} group by a.name order by a.name collate "fr-FR-x-icu"`.execute(
      trx,
    ),
    sql<{
      day: string;
      attempts: number;
      reached: number;
    }>`select to_char(recorded_at at time zone 'Europe/Paris', 'YYYY-MM-DD') as day, count(*)::int as attempts,
        count(*) filter (where outcome = 'reached')::int as reached
      from call_attempts where campaign_id = ${campaignId} group by 1 order by 1`.execute(trx),
    sql<{ id: string; at: Date; label: string; status: string; household_id: string; erp_ref: string; holder: string | null }>`select f.id, f.created_at as at,
        f.label, f.status, h.id as household_id, h.erp_ref, h.holder_name as holder
      from followups f join households h on h.id = f.household_id where f.campaign_id = ${campaignId} and f.urgent order by f.created_at desc limit 50`.execute(
      trx,
    ),
  ]);
  return { totals: totals.rows[0], outcomes: outcomes.rows, needs: needs.rows, agencies: agencies.rows, days: days.rows, urgent: urgent.rows };
}

// ——— Note review (TRUST DP-05) ———

export async function pendingNotes(trx: Tx) {
  const r = await sql<{
    id: string;
    at: Date;
    campaign: string;
    caller: string;
    household_id: string;
    note: string | null;
    flags: string[];
    answers: Record<string, unknown>;
    script: unknown;
  }>`
    select a.id, a.recorded_at as at, c.name as campaign, u.first_name || ' ' || u.last_name as caller, a.household_id, a.note, a.note_flags as flags,
      a.answers, c.script
    from call_attempts a join campaigns c on c.id = a.campaign_id join users u on u.id = a.caller_id
    where a.note_review = 'pending' order by a.recorded_at limit 200`.execute(trx);
  return r.rows;
}

/**
 * A free-text answer: a string that is neither oui/non nor one of the choices the campaign's
 * script offers for that question (an answer to a question removed since is treated as free text).
 */
const freeText = sql`jsonb_typeof(v) = 'string' and v #>> '{}' not in ('yes', 'no') and not exists (
  select 1 from campaigns c, jsonb_array_elements(c.script -> 'questions') q
  where c.id = call_attempts.campaign_id and q ->> 'key' = e.k and q ->> 'type' = 'choice' and (q -> 'choices') ? (v #>> '{}'))`;

export async function reviewNote(trx: Tx, attemptId: string, decision: 'kept' | 'redacted') {
  // Redacting removes the note and the free-text answers, the other places free text can hold.
  const r = await sql`update call_attempts set note_review = ${decision},
      note = ${decision === 'redacted' ? sql`case when note is null then null else '[note retirée après relecture]' end` : sql`note`},
      answers = ${
        decision === 'redacted'
          ? sql`(select coalesce(jsonb_object_agg(k, case when ${freeText} then to_jsonb('[réponse retirée]'::text) else v end), '{}'::jsonb)
        from jsonb_each(answers) e(k, v))`
          : sql`answers`
      }
    where id = ${attemptId} and note_review = 'pending'`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

// ——— Export ———

export async function exportRows(trx: Tx, campaignId: string) {
  const r = await sql<{ erp_ref: string; agency: string; residence: string; status: string; final_outcome: string | null; attempts: number; priority: number }>`
    select h.erp_ref, a.name as agency, r.name as residence, t.status, t.final_outcome, t.attempts, t.priority
    from campaign_targets t join households h on h.id = t.household_id join agencies a on a.id = t.agency_id join residences r on r.id = t.residence_id
    where t.campaign_id = ${campaignId} order by a.name collate "fr-FR-x-icu", r.name collate "fr-FR-x-icu", h.erp_ref limit 200000`.execute(trx);
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

/** Call notes waiting for the admin's review. */
export async function countPendingNotes(trx: Tx) {
  const r = await sql<{ n: number }>`select count(*)::int as n from call_attempts where note_review = 'pending'`.execute(trx);
  return r.rows[0]?.n ?? 0;
}
