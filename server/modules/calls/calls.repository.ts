// The only file with the calls module's SQL. Tables it owns: campaign_targets, call_attempts,
// campaign_caller_events, charter_acceptances (ADR 0009). Other modules' tables are reached
// through their index.ts, in the same transaction.
import { sql } from 'kysely';
import { type Actor, auditFromRowsSql } from '../../platform/audit/audit.ts';
import { advisoryLockSql, prepared, type Tx, thenCommit } from '../../platform/db/database.ts';
import { type DispatchSettings, dispatchSettingsSql } from '../campaigns/index.ts';
import { type HouseholdCallCard, householdCallCardSql, householdContactedSql, noCallObjectionOn } from '../registry/index.ts';

// ——— Charter (TRUST DP-08) ———

export async function hasAcceptedCharter(trx: Tx, userId: string, version: string) {
  const r = await trx.selectFrom('charter_acceptances').select('accepted_at').where('user_id', '=', userId).where('version', '=', version).executeTakeFirst();
  return r?.accepted_at ?? null;
}

export async function acceptCharter(trx: Tx, userId: string, version: string) {
  await sql`insert into charter_acceptances (organisation_id, user_id, version) values (lien_current_org(), ${userId}, ${version})
    on conflict (organisation_id, user_id, version) do nothing`.execute(trx);
}

// ——— Dispatch ———

/** The target row of a household handed to a caller, as the card and the outcome need it. */
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

const targetColumns = sql`t.id, t.campaign_id, t.household_id, t.agency_id, t.residence_id, t.status, t.attempts, t.tried_slots, t.assigned_to,
  t.assigned_at, t.claim_expires_at, t.callback_user_id`;

/**
 * The lock « next » takes for this caller (whatever the campaign): whatever runs under it does so
 * one at a time per caller. The « next » route takes it with the `begin` that resolves the
 * session (`callerLockPrefix`, route config `sessionTransaction`); `withSession(…, { lock })`
 * takes it when the transaction did not; `lockCaller` inside an open transaction.
 */
export const callerLockPrefix = 'next:';
export const callerLockKey = (userId: string) => `${callerLockPrefix}${userId}`;

export async function lockCaller(trx: Tx, userId: string) {
  await advisoryLockSql(callerLockKey(userId)).execute(trx);
}

/** What « next » decides on, read under the caller lock in one statement: the campaign, the charter, the household held, the last hour. */
export type CallerState = {
  /** The campaign's settings (campaigns module), or null when there is no such campaign. */
  campaign: DispatchSettings | null;
  charter: boolean;
  /**
   * Why this caller, if a volunteer, may not reach a household now (issue 17): 'paused' (they paused
   * themselves), 'training' (the landlord's current training not passed), or null. The rule is the
   * solidarity module's SQL function `lien_volunteer_gate` (migration 2026-12-02T0810).
   */
  volunteerGate: 'paused' | 'training' | null;
  /** The household this caller holds (claim not expired), if any. */
  held: TargetRow | null;
  /**
   * The caller's hand-back, and claim, of the last hour that reached the campaign's hourly limit:
   * the limit-th newest (with a limit of 5, the fifth newest), or null when there were fewer. The
   * rule (`dispatch.service.ts`) refuses until an hour after it. One instant each is read, not
   * the hour's list (up to 10,000 claims).
   */
  releaseAtLimit: Date | null;
  claimAtLimit: Date | null;
};

/**
 * The claim transaction of « next » commits without waiting for the WAL flush (ADR 0009, update
 * « synchronous_commit »): a claim is a lease. A PostgreSQL crash can forget the last fraction of
 * a second of claims (and what rode in the same transaction: their `call.claimed` audit events, a
 * session's once-a-minute activity); those households are simply free again. An outcome commits
 * synchronously, and that flush covers every earlier record of the WAL, so a claim an outcome
 * depends on is durable once the outcome is. Transaction-local (`set_config(…, true)`): the
 * connection's next transaction commits synchronously again. Sent inside the caller-state
 * statement, the first of the claim transaction, so it costs no round trip.
 */
const claimCommitsAsynchronously = sql`set_config('synchronous_commit', 'off', true)`;

/**
 * The claim statement runs on its connection's generic plan (ADR 0009, update « afternoon »):
 * PostgreSQL otherwise re-plans a prepared statement for its parameters at every execution when
 * it estimates that a custom plan is cheaper, and the claim (four branches under RLS, the
 * objection check, the card's six tables, the audit) costs more to plan than to run. Its filters
 * are the campaign, the caller and instants, through the queue's indexes, so the generic plan is
 * the custom one. Transaction-local, set by the caller-state statement (planned before it runs).
 */
const claimUsesGenericPlan = sql`set_config('plan_cache_mode', 'force_generic_plan', true)`;

/** Reads what « next » decides on and makes its transaction commit asynchronously (`claimCommitsAsynchronously`): only « next » calls it. */
export async function callerState(trx: Tx, p: { campaignId: string; userId: string; now: Date; charterVersion: string }) {
  // The limit-th newest event of the hour (offset limit − 1), the limit read from the campaign's settings in this statement.
  const atLimit = (kind: 'release' | 'claim', limit: 'releasesPerHour' | 'claimsPerHour') => sql`(select e.at from campaign_caller_events e
      where e.organisation_id = lien_current_org() and e.campaign_id = ${p.campaignId} and e.user_id = ${p.userId} and e.kind = ${kind}
        and e.at > ${p.now}::timestamptz - interval '1 hour'
      order by e.at desc offset greatest(coalesce((s.campaign -> 'caller_limits' ->> ${limit})::int, 1) - 1, 0) limit 1)`;
  const r = await sql<Omit<CallerState, 'held'> & { held: Record<string, unknown> | null }>`${prepared('caller_state')}select
      s.campaign,
      exists (select 1 from charter_acceptances ca where ca.user_id = ${p.userId} and ca.version = ${p.charterVersion}) as charter,
      lien_volunteer_gate(${p.userId}) as "volunteerGate",
      (select to_jsonb(x) from (select ${targetColumns} from campaign_targets t where t.campaign_id = ${p.campaignId} and t.status = 'assigned'
         and t.assigned_to = ${p.userId} and t.claim_expires_at > ${p.now} limit 1) x) as held,
      ${atLimit('release', 'releasesPerHour')} as "releaseAtLimit",
      ${atLimit('claim', 'claimsPerHour')} as "claimAtLimit",
      ${claimCommitsAsynchronously} as synchronous_commit,
      ${claimUsesGenericPlan} as plan_cache_mode
    from (select ${dispatchSettingsSql({ campaignId: p.campaignId, callerId: p.userId })} as campaign) s`.execute(trx);
  const {
    synchronous_commit: _,
    plan_cache_mode: __,
    ...st
  } = r.rows[0] as Omit<CallerState, 'held'> & { held: Record<string, unknown> | null; synchronous_commit: string; plan_cache_mode: string };
  return { ...st, held: st.held ? targetFromJson(st.held) : null } satisfies CallerState;
}

/** A target row read as JSON: its instants as Dates, like the claim's. */
function targetFromJson(h: Record<string, unknown>): TargetRow {
  const at = (v: unknown) => (typeof v === 'string' ? new Date(v) : null);
  return { ...(h as TargetRow), assigned_at: at(h.assigned_at), claim_expires_at: at(h.claim_expires_at) };
}

/**
 * The one claim statement (ADR 0009): the first free row of, in this order, the caller's own
 * callbacks due, anyone's callback a quarter of an hour late, the queue by priority, a retry due
 * since the last maintenance pass, a claim abandoned past its timeout. Each branch takes its row
 * `FOR UPDATE SKIP LOCKED` (concurrent callers skip each other instead of waiting); the branches
 * run in order under `limit 1` and stop at the first row found, so one row is locked at most. An
 * objection recorded after the launch is honoured at once. The claim is logged for the caller's
 * hourly limit, the `call.claimed` audit event written (the household's access log, TRUST DP-11)
 * and the household's card returned in the same statement (the card's SQL is the registry's,
 * `householdCallCardSql`; the audit's the platform's, `auditFromRowsSql`). It is the last
 * statement of « next »: it commits the transaction in the same round trip (`thenCommit`).
 */
export async function claimNext(trx: Tx, p: { campaignId: string; userId: string; now: Date; timeoutMinutes: number; actor: Actor }) {
  const free = sql`not ${noCallObjectionOn(sql.ref('q.household_id'))}`;
  const card = householdCallCardSql({
    householdId: sql.ref('claimed.household_id'),
    residenceId: sql.ref('claimed.residence_id'),
    agencyId: sql.ref('claimed.agency_id'),
  });
  const r = await sql<TargetRow & { card: HouseholdCallCard | null }>`${prepared('claim_next')}${thenCommit()}
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
      returning ${targetColumns}),
    logged as (
      insert into campaign_caller_events (organisation_id, campaign_id, user_id, kind, at)
      select lien_current_org(), ${p.campaignId}, ${p.userId}, 'claim', ${p.now} from claimed),
    audited as (${auditFromRowsSql(p.actor, {
      action: 'call.claimed',
      objectType: 'household',
      rows: sql`claimed`,
      objectId: sql.ref('claimed.household_id'),
      details: sql`jsonb_build_object('targetId', claimed.id)`,
    })})
    select claimed.*, ${card} as card from claimed`.execute(trx);
  return r.rows[0];
}

/** Campaigns in which a household is reserved to this caller now (the claim « next » would hand back). */
export async function heldCampaigns(trx: Tx, userId: string, now: Date) {
  const r = await sql<{ campaign_id: string }>`select distinct campaign_id from campaign_targets
    where status = 'assigned' and assigned_to = ${userId} and claim_expires_at > ${now}`.execute(trx);
  return new Set(r.rows.map((row) => row.campaign_id));
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

/** The caller's target row, locked: an outcome or a hand-back checks it is still theirs. */
export async function lockTarget(trx: Tx, targetId: string) {
  const r = await sql<TargetRow>`select ${targetColumns} from campaign_targets t where t.id = ${targetId} for update`.execute(trx);
  return r.rows[0];
}

/** The same, with its campaign's settings read in the same statement (for an outcome). */
export async function lockCall(trx: Tx, p: { targetId: string; callerId: string }) {
  const settings = dispatchSettingsSql({ campaignId: sql.ref('t.campaign_id'), callerId: p.callerId });
  const r = await sql<TargetRow & { campaign: DispatchSettings | null }>`${prepared('lock_call')}select ${targetColumns}, ${settings} as campaign
    from campaign_targets t where t.id = ${p.targetId} for update of t`.execute(trx);
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

// ——— Outcomes ———

/** Where the household goes after the call (`triedSlots`: the unanswered calls' time slots). */
export type Settlement = { kind: 'done' | 'retry' | 'callback' | 'doorstep'; nextAttemptAt: Date | null; triedSlots: string[] };

/** One call's outcome, as the service decided it. */
export type RecordAttemptInput = {
  call: TargetRow;
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
  /** The household was reached: its last contact moves to `now` in the same statement (the registry's SQL, `householdContactedSql`). */
  contacted: boolean;
  /** The `call.recorded` audit event written by the same statement: who, and its details (outcome codes only, no answers nor note). */
  audit: { actor: Actor; details: Record<string, unknown> };
  /** Nothing is written after it: the statement commits the transaction in the same round trip (`thenCommit`). */
  last: boolean;
};

/**
 * The attempt, the target settled (done, another try later, the callback, or the doorstep
 * visit), the `call.recorded` audit event and, for a reached household, its last contact, in one
 * statement, under the target's lock taken by `lockCall` (the audit's SQL is the platform's,
 * `auditFromRowsSql`; the contact's the registry's, `householdContactedSql`). Returns the attempt id.
 */
export async function recordAttempt(trx: Tx, a: RecordAttemptInput) {
  const t = a.call;
  const s = a.settle;
  const status = s.kind === 'done' ? 'done' : s.kind === 'doorstep' ? 'doorstep' : 'waiting';
  const finalOutcome = s.kind === 'done' ? a.outcome : s.kind === 'doorstep' ? 'doorstep' : null;
  const r = await sql<{ id: string }>`${prepared('record_attempt')}${thenCommit(a.last)}
    with attempt as (
      insert into call_attempts (organisation_id, campaign_id, target_id, household_id, caller_id, claimed_at, recorded_at, outcome, slot,
          callback_at, answers, note, note_flags, note_review, urgent)
      values (lien_current_org(), ${t.campaign_id}, ${t.id}, ${t.household_id}, ${a.callerId}, ${t.assigned_at ?? a.now}, ${a.now}, ${a.outcome}, ${a.slot},
        ${a.callbackAt}, ${JSON.stringify(a.answers)}, ${a.note}, ${a.noteFlags}, ${a.noteFlags.length ? 'pending' : null}, ${a.urgent})
      returning id, household_id),
    audited as (${auditFromRowsSql(a.audit.actor, {
      action: 'call.recorded',
      objectType: 'household',
      rows: sql`attempt`,
      objectId: sql.ref('attempt.household_id'),
      details: sql`${JSON.stringify(a.audit.details)}::jsonb`,
    })}),
    settled as (
      update campaign_targets set attempts = attempts + 1, assigned_to = null, assigned_at = null, claim_expires_at = null, updated_at = ${a.now},
        status = ${status}, final_outcome = coalesce(${finalOutcome}, final_outcome),
        next_attempt_at = ${s.kind === 'retry' || s.kind === 'callback' ? s.nextAttemptAt : sql`next_attempt_at`},
        tried_slots = ${s.triedSlots}, callback_user_id = ${s.kind === 'callback' ? a.callerId : null}
      where id = ${t.id})${
        a.contacted
          ? sql`,
    contacted as (${householdContactedSql({ householdId: t.household_id, at: a.now })})`
          : sql``
      }
    select id from attempt`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

/** The health answers of an attempt were kept under this consent: withdrawing it removes them. */
export async function linkHealthAnswers(trx: Tx, attemptId: string, consentId: string, keys: string[]) {
  await sql`update call_attempts set health_consent_id = ${consentId}, health_keys = ${keys} where id = ${attemptId}`.execute(trx);
}

// ——— Note review (TRUST DP-05) ———

export async function pendingNotes(trx: Tx) {
  const r = await sql<{
    id: string;
    at: Date;
    campaign_id: string;
    caller_id: string;
    household_id: string;
    note: string | null;
    flags: string[];
    answers: Record<string, unknown>;
  }>`select a.id, a.recorded_at as at, a.campaign_id, a.caller_id, a.household_id, a.note, a.note_flags as flags, a.answers
    from call_attempts a where a.note_review = 'pending' order by a.recorded_at limit 200`.execute(trx);
  return r.rows;
}

/** A note waiting for review, locked: the decision is written once. */
export async function lockPendingNote(trx: Tx, attemptId: string) {
  const r = await sql<{ id: string; campaign_id: string; note: string | null; answers: Record<string, unknown> }>`
    select id, campaign_id, note, answers from call_attempts where id = ${attemptId} and note_review = 'pending' for update`.execute(trx);
  return r.rows[0];
}

export async function writeNoteReview(trx: Tx, r: { attemptId: string; decision: 'kept' | 'redacted'; note: string | null; answers: Record<string, unknown> }) {
  await sql`update call_attempts set note_review = ${r.decision}, note = ${r.note}, answers = ${JSON.stringify(r.answers)} where id = ${r.attemptId}`.execute(
    trx,
  );
}

/** Call notes waiting for the admin's review. */
export async function countPendingNotes(trx: Tx) {
  const r = await sql<{ n: number }>`select count(*)::int as n from call_attempts where note_review = 'pending'`.execute(trx);
  return r.rows[0]?.n ?? 0;
}
