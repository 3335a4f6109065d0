import { type Kysely, sql } from 'kysely';
import type { CallerLimits, CampaignInput } from '../../../contracts/campaigns.ts';
import type { HouseholdFilters } from '../../../contracts/households.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';
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

export async function hasAcceptedCharter(trx: Tx, userId: string, version: string) {
  const r = await trx.selectFrom('charter_acceptances').select('accepted_at').where('user_id', '=', userId).where('version', '=', version).executeTakeFirst();
  return r?.accepted_at ?? null;
}

export async function acceptCharter(trx: Tx, userId: string, version: string) {
  await sql`insert into charter_acceptances (organisation_id, user_id, version) values (lien_current_org(), ${userId}, ${version})
    on conflict (organisation_id, user_id, version) do nothing`.execute(trx);
}

// ——— Dispatch ———

/** Everything the caller's page may show about a claimed household; the service filters it per role. */
export type CallCardRow = {
  target_id: string;
  agency_id: string;
  campaign_id: string;
  campaign_name: string;
  script: unknown;
  attempts: number;
  callback: boolean;
  claim_expires_at: string;
  claim_version: number | null;
  tried_slots: string[];
  campaign_version: number;
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

export type NextCallResult = {
  state: {
    status: CampaignRow['status'];
    call_windows: CampaignRow['call_windows'];
    retry_policy: CampaignRow['retry_policy'];
    in_pool: boolean;
    charter: boolean;
  };
  card?: CallCardRow;
  /** Nothing was handed: the caller is past the campaign's hourly limit of this kind until `until`. */
  limited?: { kind: 'release' | 'claim'; limit: number; until: string };
};

/**
 * « Appeler le suivant » in one statement (`campaign_next_call`, ADR 0007): the caller lock, the
 * checks, the claim (own callbacks due, then the queue by priority, then due retries and
 * abandoned calls, `FOR UPDATE SKIP LOCKED`), the audit event and the call card. It runs in its
 * own transaction and sets the organisation itself (RLS applies), so it takes the pool, not a
 * transaction. Nothing is claimed unless `windows` (what `windowOpen` was decided from) are still
 * the campaign's call windows; the state tells them.
 */
export async function nextCall(
  db: Kysely<DB>,
  p: {
    organisationId: string;
    userId: string;
    role: string;
    ip: string;
    campaignId: string;
    now: Date;
    charterVersion: string;
    charterRequired: boolean;
    windowOpen: boolean;
    windows: CampaignRow['call_windows'] | null;
  },
) {
  const r = await sql<{ r: NextCallResult | null }>`select campaign_next_call(${p.organisationId}, ${p.userId}, ${p.role}, ${p.ip}, ${p.campaignId},
    ${p.now}, ${p.charterVersion}, ${p.charterRequired}, ${p.windowOpen}, ${p.windows ? JSON.stringify(p.windows) : null}) as r`.execute(db);
  return r.rows[0]?.r ?? null;
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
  status: 'queued' | 'assigned' | 'done' | 'doorstep';
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

/** One claim, hand-back or alert of a caller, for the campaign's hourly limits (claims are logged by `campaign_next_call`). */
export async function insertCallerEvent(trx: Tx, campaignId: string, userId: string, kind: 'release' | 'alert', at: Date) {
  await sql`insert into campaign_caller_events (organisation_id, campaign_id, user_id, kind, at)
    values (lien_current_org(), ${campaignId}, ${userId}, ${kind}, ${at})`.execute(trx);
}

/** The lock « next » takes for this caller and campaign: whatever runs under it does so one at a time per caller. */
export async function lockCaller(trx: Tx, campaignId: string, userId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended('next:' || ${campaignId}::text || ':' || ${userId}::text, 0))`.execute(trx);
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

/** What recording an outcome needs, read without a lock (`campaign_call_context`). */
export type CallContext = {
  status: TargetRow['status'] | 'waiting';
  assigned_to: string | null;
  /** The claim's start in microseconds: the write checks the claim is still this one. */
  claim_version: number | null;
  /** The campaign's last change in microseconds: the write checks it is still the same. */
  campaign_version: number;
  attempts: number;
  tried_slots: string[];
  campaign_id: string;
  household_id: string;
  agency_id: string;
  campaign: Pick<CampaignRow, 'name' | 'script' | 'retry_policy' | 'call_windows'>;
};

export async function callContext(db: Kysely<DB>, organisationId: string, targetId: string) {
  const r = await sql<{ c: CallContext | null }>`select campaign_call_context(${organisationId}, ${targetId}) as c`.execute(db);
  return r.rows[0]?.c ?? null;
}

/** Where the household goes after the call (`triedSlots`: the unanswered calls' time slots). */
export type Settlement = { kind: 'done' | 'retry' | 'callback' | 'doorstep'; nextAttemptAt: Date | null; triedSlots: string[] };

export type RecordedAttempt = {
  organisationId: string;
  userId: string;
  role: string;
  ip: string;
  targetId: string;
  now: Date;
  claimVersion: number | null;
  campaignVersion: number;
  outcome: string;
  slot: string;
  callbackAt: Date | null;
  answers: Record<string, unknown>;
  note: string | null;
  noteFlags: string[];
  urgent: boolean;
  settle: Settlement;
  /** The follow-up an outcome opens by itself (wrong number, moved…). */
  followup: { need: string; label: string } | null;
  /** The `call.recorded` audit details, or null when the service writes the event itself. */
  audit: Record<string, unknown> | null;
};

/**
 * Record an outcome in one statement (`campaign_record_outcome`): the attempt, the target settled,
 * the contact noted, the doorstep visit, the outcome's follow-up, the audit event. On the pool it
 * is its own transaction; inside one, the needs can follow. Null: the claim or the campaign changed
 * since they were read (nothing written).
 */
export async function recordAttempt(db: Kysely<DB>, a: RecordedAttempt) {
  const r = await sql<{ id: string | null }>`select campaign_record_outcome(${a.organisationId}, ${a.userId}, ${a.role}, ${a.ip}, ${a.targetId}, ${a.now},
    ${a.claimVersion}, ${a.campaignVersion}, ${a.outcome}, ${a.slot}, ${a.callbackAt}, ${JSON.stringify(a.answers)}, ${a.note}, ${a.noteFlags}, ${a.urgent},
    ${a.settle.kind}, ${a.settle.nextAttemptAt}, ${a.settle.triedSlots}, ${a.followup?.need ?? null}, ${a.followup?.label ?? null},
    ${a.audit ? JSON.stringify(a.audit) : null}) as id`.execute(db);
  return r.rows[0]?.id ?? null;
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

/** Call notes waiting for the admin's review. */
export async function countPendingNotes(trx: Tx) {
  const r = await sql<{ n: number }>`select count(*)::int as n from call_attempts where note_review = 'pending'`.execute(trx);
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
