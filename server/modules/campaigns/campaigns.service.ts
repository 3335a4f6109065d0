import ExcelJS from 'exceljs';
import {
  type CallOutcome,
  type CallScript,
  type CampaignDetail,
  type CampaignInput,
  type ClaimedCall,
  callOutcomeLabels,
  type Dashboard,
  doorstepResultLabels,
  type OutcomeBody,
  unansweredOutcomes,
} from '../../../contracts/campaigns.ts';
import { type HouseholdFilters, householdAccess } from '../../../contracts/households.ts';
import { checkNote } from '../../../contracts/note-guard.ts';
import type { Role } from '../../../contracts/roles.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { rolesWith } from '../../platform/auth/abilities.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import { neutraliseCell } from '../../platform/csv/csv-writer.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors/app-error.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { type Deps, nowOf } from '../deps.ts';
import { sendPhonelessToDoorstep } from '../doorstep/index.ts';
import { markHouseholdContacted, scopeOf } from '../registry/index.ts';
import * as repo from './campaigns.repository.ts';
import { CHARTER_VERSION, charterRoles, charterText } from './charter.ts';
import { type CallWindows, describeWindows, isWithinWindows, nextAttemptAt, nextWindowOpening, slotOf, type TimeSlot } from './schedule.ts';

export const campaignManagers = rolesWith('campaigns.manage');
export const callerRoles = rolesWith('calls.make');

const campaignNotFound = () => notFound('Campagne', 'campaign_not_found');

const parisFormat = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
});
const frenchInstant = (d: Date) => parisFormat.format(d);

// ——— Preparing ———

export function countSegment(deps: Deps, s: SessionContext, segment: HouseholdFilters) {
  return withSession(deps.database, s, (trx) => repo.countSegment(trx, segment, scopeOf(s)));
}

async function checkCallers(trx: Tx, ids: string[]) {
  if (!ids.length) return;
  const candidates = new Set((await repo.callerCandidates(trx, CHARTER_VERSION)).map((c) => c.id));
  const unknown = ids.filter((id) => !candidates.has(id));
  if (unknown.length) throw invalid('caller_invalid', 'Un·e appelant·e choisi·e n’existe pas ou n’est pas actif·ve.', { userIds: unknown });
}

export async function createCampaign(deps: Deps, s: SessionContext, input: CampaignInput, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    await checkCallers(trx, input.callerIds);
    const id = await repo.insertCampaign(trx, input, s.userId, scopeOf(s));
    await repo.setCallers(trx, id, input.callerIds);
    await recordAudit(trx, actorOf(s, ip), { action: 'campaign.created', objectType: 'campaign', objectId: id, details: { callers: input.callerIds.length } });
    return id;
  });
}

export async function updateCampaign(deps: Deps, s: SessionContext, id: string, input: CampaignInput, ip: string) {
  await withSession(deps.database, s, async (trx) => {
    const c = await repo.findCampaign(trx, id, scopeOf(s), { lock: true });
    if (!c) throw campaignNotFound();
    if (c.status === 'closed') throw conflict('campaign_closed', 'Cette campagne est terminée : elle ne peut plus être modifiée.');
    if (c.status !== 'draft' && !(await repo.sameSegment(trx, id, input.segment))) {
      throw conflict('segment_locked', 'Le segment d’une campagne lancée ne change plus : créez une nouvelle campagne pour d’autres ménages.');
    }
    await checkCallers(trx, input.callerIds);
    await repo.updateCampaign(trx, id, input);
    await repo.setCallers(trx, id, input.callerIds);
    await recordAudit(trx, actorOf(s, ip), { action: 'campaign.updated', objectType: 'campaign', objectId: id, details: { callers: input.callerIds.length } });
  });
}

const summaryOf = (r: repo.CampaignListRow) => ({
  id: r.id,
  name: r.name,
  purpose: r.purpose,
  status: r.status,
  createdAt: r.created_at.toISOString(),
  launchedAt: r.launched_at?.toISOString() ?? null,
  targeted: r.targeted,
  reached: r.reached,
  callers: r.callers,
});

export function listCampaigns(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => (await repo.listCampaigns(trx, { scope: scopeOf(s) })).map(summaryOf));
}

export async function getCampaign(deps: Deps, s: SessionContext, id: string): Promise<CampaignDetail> {
  return withSession(deps.database, s, async (trx) => {
    const c = await repo.findCampaign(trx, id, scopeOf(s));
    const counts = await repo.campaignCounts(trx, id);
    if (!c || !counts) throw campaignNotFound();
    return {
      ...summaryOf(counts),
      segment: c.segment,
      script: c.script as CallScript,
      retryPolicy: c.retry_policy,
      callWindows: c.call_windows,
      callWindowsText: describeWindows(c.call_windows),
      claimTimeoutMinutes: c.claim_timeout_minutes,
      callerLimits: c.caller_limits,
      excludedNoCall: c.excluded_no_call,
      callerIds: await repo.callerIds(trx, id),
    };
  });
}

export function callerCandidates(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) =>
    (await repo.callerCandidates(trx, CHARTER_VERSION)).map((u) => ({
      id: u.id,
      name: `${u.first_name} ${u.last_name}`,
      role: u.role,
      charterAccepted: u.charter,
    })),
  );
}

/**
 * Launch: fill the queue from the segment and open the campaign. Safe to call twice at once
 * (double click, two nodes): the campaign row is locked, the second call finds it active and
 * the unique key on (campaign, household) adds nothing (TRUST FT-03).
 */
export async function launchCampaign(deps: Deps, s: SessionContext, id: string, ip: string) {
  const now = nowOf(deps);
  const result = await withSession(deps.database, s, async (trx) => {
    const c = await repo.findCampaign(trx, id, scopeOf(s), { lock: true });
    if (!c) throw campaignNotFound();
    if (c.status === 'draft') {
      // The segment stays inside the agencies of the manager who created the campaign.
      const count = await repo.countSegment(trx, c.segment, c.agency_ids);
      if (count.targeted === 0) throw invalid('segment_empty', 'Aucun ménage à appeler dans ce segment : élargissez les filtres.');
      await repo.insertTargets(trx, id, c.segment, c.agency_ids, now);
      await sendPhonelessToDoorstep(trx, { campaignId: id, now });
      await repo.markLaunched(trx, id, count.excludedNoCall, now);
      await recordAudit(trx, actorOf(s, ip), {
        action: 'campaign.launched',
        objectType: 'campaign',
        objectId: id,
        details: { excludedNoCall: count.excludedNoCall },
      });
    }
    const after = await repo.findCampaign(trx, id, scopeOf(s));
    const counts = await repo.campaignCounts(trx, id);
    return { status: after?.status ?? c.status, targets: counts?.targeted ?? 0, excludedNoCall: after?.excluded_no_call ?? 0 };
  });
  // Statistics for the new queue (else the planner sorts it at every claim), after the commit so
  // the ANALYZE lock is not held for the whole launch.
  await withSession(deps.database, s, (trx) => repo.analyzeTargets(trx));
  return result;
}

const transitions = {
  pause: { from: ['active'], to: 'paused', message: 'Seule une campagne en cours peut être mise en pause.' },
  resume: { from: ['paused'], to: 'active', message: 'Seule une campagne en pause peut reprendre.' },
  close: { from: ['draft', 'active', 'paused'], to: 'closed', message: 'Cette campagne est déjà terminée.' },
} as const;

export async function changeStatus(deps: Deps, s: SessionContext, id: string, action: keyof typeof transitions, ip: string) {
  const t = transitions[action];
  return withSession(deps.database, s, async (trx) => {
    const c = await repo.findCampaign(trx, id, scopeOf(s), { lock: true });
    if (!c) throw campaignNotFound();
    if (!(await repo.setStatus(trx, id, [...t.from], t.to, nowOf(deps)))) throw conflict('campaign_status', t.message);
    await recordAudit(trx, actorOf(s, ip), { action: `campaign.${action}d`, objectType: 'campaign', objectId: id });
    return { status: t.to };
  });
}

// ——— Charter (TRUST DP-08) ———

export function charterStatus(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => {
    const at = await repo.hasAcceptedCharter(trx, s.userId, CHARTER_VERSION);
    return { version: CHARTER_VERSION, text: charterText, acceptedAt: at ? at.toISOString() : null };
  });
}

export function acceptCharter(deps: Deps, s: SessionContext, version: string, ip: string) {
  if (version !== CHARTER_VERSION) throw conflict('charter_outdated', 'La charte a changé : relisez la nouvelle version avant de l’accepter.');
  return withSession(deps.database, s, async (trx) => {
    await repo.acceptCharter(trx, s.userId, version);
    await recordAudit(trx, actorOf(s, ip), { action: 'charter.accepted', objectType: 'user', objectId: s.userId, details: { version } });
  });
}

// ——— Calling ———

export function myCampaigns(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => {
    const held = await repo.heldCampaigns(trx, s.userId, nowOf(deps));
    return (await repo.listCampaigns(trx, { caller: s.userId })).map((c) => ({ ...summaryOf(c), holding: held.has(c.id) }));
  });
}

const restrictedCallers: readonly Role[] = ['volunteer', 'partner'];

/**
 * Field-level allow-list of the call card (TRUST AA-03): `caller` fields go to every caller,
 * `staff` fields to staff only. A field missing here fails the type check, and one the query
 * returns without a classification fails `serializeCall` at run time.
 */
export const callFieldAccess: Record<keyof ClaimedCall, 'caller' | 'staff'> = {
  targetId: 'caller',
  campaignId: 'caller',
  campaignName: 'caller',
  firstName: 'caller',
  phones: 'caller',
  script: 'caller',
  dutyPhone: 'caller',
  attempts: 'caller',
  callback: 'caller',
  claimExpiresAt: 'caller',
  lastName: 'staff',
  householdId: 'staff',
  erpRef: 'staff',
  address: 'staff',
  age: 'staff',
  indicators: 'staff',
};

export function serializeCall(role: Role, full: Required<ClaimedCall>): ClaimedCall {
  const restricted = restrictedCallers.includes(role);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(full)) {
    const access = (callFieldAccess as Record<string, 'caller' | 'staff' | undefined>)[key];
    if (!access) throw new Error(`Call card field "${key}" has no access classification`);
    if (access === 'caller' || !restricted) out[key] = value;
  }
  return out as ClaimedCall;
}

function cardOf(card: repo.CallCardRow, campaign: Pick<repo.CallerState, 'name' | 'script'>, s: SessionContext): ClaimedCall {
  // Staff outside their agencies call like volunteers: no more than the call needs.
  const scope = scopeOf(s);
  const role: Role = scope && !scope.includes(card.agency_id) ? 'volunteer' : s.role;
  return serializeCall(role, {
    targetId: card.target_id,
    campaignId: card.campaign_id,
    campaignName: campaign.name,
    firstName: card.first_name ?? '',
    phones: card.phones ?? [],
    script: campaign.script as CallScript,
    dutyPhone: card.duty_phone,
    attempts: card.attempts,
    callback: card.callback,
    claimExpiresAt: card.claim_expires_at.toISOString(),
    lastName: card.last_name ?? '',
    householdId: card.household_id,
    erpRef: card.erp_ref,
    address: card.address,
    age: card.age,
    indicators: card.indicators,
  });
}

/** Where « next » stops, in the order it checks (ADR 0009); none of it is kept in the process. */
type Limited = { kind: 'release' | 'claim'; limit: number; until: string };

/** Past the campaign's hourly allowance of hand-backs, then of claims: nothing until the oldest counted one is an hour old. */
function limitReached(st: repo.CallerState): Limited | null {
  const hour = 3_600_000;
  if (st.release_limit_at)
    return { kind: 'release', limit: st.caller_limits.releasesPerHour, until: new Date(st.release_limit_at.getTime() + hour).toISOString() };
  if (st.claim_limit_at) return { kind: 'claim', limit: st.caller_limits.claimsPerHour, until: new Date(st.claim_limit_at.getTime() + hour).toISOString() };
  return null;
}

/**
 * « Appeler le suivant »: the household this caller already holds, else the next one of the
 * queue, in one transaction under the caller's lock (a double tap gets the same household). The
 * rules are here; the claim itself is one statement (`repo.claimNext`).
 */
export async function nextCall(deps: Deps, s: SessionContext, campaignId: string, ip: string): Promise<{ call: ClaimedCall | null; reason: string | null }> {
  const now = nowOf(deps);
  const outcome = await withSession(deps.database, s, async (trx) => {
    await repo.lockCaller(trx, campaignId, s.userId);
    const st = await repo.callerState(trx, { campaignId, userId: s.userId, now, charterVersion: CHARTER_VERSION });
    if (!st?.in_pool) throw new AppError('not_a_caller', 403, 'Vous ne faites pas partie des appelant·es de cette campagne.');
    if ((charterRoles as readonly Role[]).includes(s.role) && !st.charter) {
      throw new AppError('charter_required', 403, 'Acceptez la charte de confidentialité avant votre premier appel.');
    }
    if (st.status !== 'active') return { reason: st.status === 'paused' ? 'La campagne est en pause.' : 'La campagne n’est pas en cours.' };
    // A page reload hands the same household again.
    if (st.held) return { card: await handOut(trx, s, ip, st, st.held, true) };
    if (!isWithinWindows(now, st.call_windows)) {
      return { reason: `Hors des plages d’appel (${describeWindows(st.call_windows)}). Reprise ${frenchInstant(nextWindowOpening(now, st.call_windows))}.` };
    }
    const limited = limitReached(st);
    if (limited) return { limited };
    const claimed = await repo.claimNext(trx, { campaignId, userId: s.userId, now, timeoutMinutes: st.claim_timeout_minutes });
    if (!claimed) return { reason: 'Aucun ménage à appeler pour le moment : les prochains essais sont programmés plus tard.' };
    return { card: await handOut(trx, s, ip, st, claimed.id, false) };
  });
  // The alert is its own transaction: the refusal stands even if the e-mail cannot be queued.
  if (outcome.limited) throw await callerLimitReached(deps, s, campaignId, outcome.limited, now, ip);
  return { call: outcome.card ?? null, reason: outcome.reason ?? null };
}

/** The card of a household handed to the caller; the household's access log shows who was given it (TRUST DP-11). */
async function handOut(trx: Tx, s: SessionContext, ip: string, st: repo.CallerState, targetId: string, again: boolean) {
  const card = await repo.callCard(trx, targetId);
  if (!card) throw new Error(`call card of target ${targetId} not found`);
  await recordAudit(trx, actorOf(s, ip), {
    action: 'call.claimed',
    objectType: 'household',
    objectId: card.household_id,
    details: again ? { targetId, again: true } : { targetId },
  });
  return cardOf(card, st, s);
}

/**
 * A caller past an hourly limit of the campaign: the managers hear of it once an hour (audit
 * event and e-mail, no household in it), and the caller gets a 429 saying when they can go on.
 * Under the caller's lock, so two refused « next » at once alert once.
 */
async function callerLimitReached(deps: Deps, s: SessionContext, campaignId: string, limited: Limited, now: Date, ip: string) {
  const until = new Date(limited.until);
  const released = limited.kind === 'release';
  await withSession(deps.database, s, async (trx) => {
    await repo.lockCaller(trx, campaignId, s.userId);
    if (await repo.alertedWithinHour(trx, campaignId, s.userId, now)) return;
    await repo.insertCallerEvent(trx, campaignId, s.userId, 'alert', now);
    const campaign = (await repo.findCampaign(trx, campaignId, null))?.name ?? '';
    const who = (await repo.userName(trx, s.userId)) || 'Un·e appelant·e';
    const what = released
      ? `a rendu ${limited.limit} ménages sans les appeler en moins d’une heure`
      : `a demandé ${limited.limit} ménages en moins d’une heure`;
    const hour = now.toISOString().slice(0, 13);
    for (const m of await repo.limitAlertRecipients(trx, campaignId, s.userId)) {
      await enqueueMessage(trx, deps.jobs, s.organisationId, {
        channel: 'email',
        recipient: m.email,
        subject: `Appels inhabituels — campagne « ${campaign} »`,
        body:
          `${who} ${what} dans la campagne « ${campaign} » : c’est la limite fixée pour cette campagne. ` +
          `Lien ne lui confie plus de ménage jusqu’à ${frenchInstant(until)}.\n\n` +
          `Si ce n’est pas un usage normal (par exemple une collecte de noms et de numéros de téléphone), retirez cette personne du vivier d’appelant·es de la campagne : ${deps.config.publicUrl}/campagnes/${campaignId}/modifier\n\n` +
          'Ce message ne contient volontairement aucune information sur les ménages.',
        purpose: 'campaign_caller_limit',
        idempotencyKey: `caller-limit:${campaignId}:${s.userId}:${hour}:${m.id}`,
      });
    }
    await recordAudit(trx, actorOf(s, ip), {
      action: 'call.limit_reached',
      objectType: 'user',
      objectId: s.userId,
      details: { campaignId, kind: limited.kind, limit: limited.limit, until: limited.until },
    });
  });
  const detail = released
    ? `Vous avez rendu ${limited.limit} ménages sans les appeler en moins d’une heure : c’est la limite fixée pour cette campagne.`
    : `Vous avez reçu ${limited.limit} ménages en moins d’une heure : c’est la limite fixée pour cette campagne.`;
  return new AppError(
    'caller_limit_reached',
    429,
    `${detail} Vous pourrez appeler le suivant à partir de ${frenchInstant(until)}. Les responsables de la campagne en sont informé·es.`,
    { retryAt: limited.until, retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) },
  );
}

/** A household handed back waits this long before anyone is given it again. */
const RELEASE_DELAY_MINUTES = 30;

/** Hand a household back (the caller cannot call it now): it comes back to the queue a little later. */
export async function releaseCall(deps: Deps, s: SessionContext, targetId: string, ip: string) {
  const now = nowOf(deps);
  await withSession(deps.database, s, async (trx) => {
    const t = await repo.lockTarget(trx, targetId);
    if (t?.status !== 'assigned' || t.assigned_to !== s.userId) throw notFound('Appel', 'call_not_found');
    await repo.releaseTarget(trx, targetId, now, RELEASE_DELAY_MINUTES);
    await repo.insertCallerEvent(trx, t.campaign_id, s.userId, 'release', now);
    await recordAudit(trx, actorOf(s, ip), { action: 'call.released', objectType: 'campaign_target', objectId: targetId });
  });
}

type AnswerValue = string | number | boolean;

/** Check answers against the script: known questions, right types. Returns them normalised (yes/no as 'yes' | 'no'). */
export function validateAnswers(script: CallScript, answers: Record<string, AnswerValue>) {
  const out: Record<string, string | number> = {};
  const byKey = new Map(script.questions.map((q) => [q.key, q]));
  for (const [key, raw] of Object.entries(answers)) {
    const q = byKey.get(key);
    if (!q) throw invalid('answer_unknown', `Réponse à une question inconnue du script : « ${key} ».`);
    if (q.type === 'yes_no') {
      const v = raw === true ? 'yes' : raw === false ? 'no' : raw;
      if (v !== 'yes' && v !== 'no') throw invalid('answer_invalid', `« ${q.text} » attend oui ou non.`);
      out[key] = v;
    } else if (q.type === 'choice') {
      if (typeof raw !== 'string' || !q.choices?.includes(raw)) throw invalid('answer_invalid', `« ${q.text} » attend une des réponses proposées.`);
      out[key] = raw;
    } else if (q.type === 'number') {
      const n = typeof raw === 'number' ? raw : Number(String(raw).replace(',', '.'));
      if (!Number.isFinite(n)) throw invalid('answer_invalid', `« ${q.text} » attend un nombre.`);
      out[key] = n;
    } else {
      const text = String(raw).trim();
      if (text.length > 500) throw invalid('answer_invalid', `La réponse à « ${q.text} » fait au plus 500 caractères.`);
      if (text) out[key] = text;
    }
  }
  return out;
}

type Effects = {
  needs: { need: string; label: string; category: 'daily_life' | 'social' | 'rent' | 'health' }[];
  urgent: boolean;
  watch: { frequency: 'weekly' | 'fortnightly' | 'monthly'; wording: string } | null;
  consent: { wording: string } | null;
};

/** What the answers trigger, per the script's rules. */
export function evaluateRules(script: CallScript, answers: Record<string, string | number>): Effects {
  const effects: Effects = { needs: [], urgent: false, watch: null, consent: null };
  for (const q of script.questions) {
    const answer = answers[q.key];
    if (answer === undefined) continue;
    if (q.consent && answer === 'yes') effects.consent = { wording: `${script.title} — ${q.text}` };
    for (const rule of q.rules) {
      if (String(answer) !== rule.when) continue;
      if (rule.effect === 'need') effects.needs.push({ need: rule.need, label: rule.label, category: rule.category });
      else if (rule.effect === 'urgent') effects.urgent = true;
      else effects.watch = { frequency: rule.frequency, wording: `${script.title} — ${q.text}` };
    }
  }
  return effects;
}

/** Follow-ups opened by an outcome itself, whatever the script. */
const outcomeFollowups: Partial<Record<CallOutcome, { need: string; label: string }>> = {
  wrong_number: { need: 'numero_errone', label: 'Numéro erroné : mettre à jour les coordonnées' },
  in_hospital: { need: 'hospitalisation', label: 'Hospitalisation signalée : reprendre contact au retour' },
  moved: { need: 'demenagement', label: 'Départ signalé : vérifier la situation du bail' },
  deceased: { need: 'deces', label: 'Décès signalé : à traiter par l’agence' },
};

const MAX_CALLBACK_DAYS = 60;

/** Record the outcome of a call the caller holds, and everything it triggers, in one transaction. */
const notHeld = () =>
  conflict('call_not_held', 'Ce ménage ne vous est plus confié (délai dépassé ou déjà traité) : votre saisie n’a pas été enregistrée. Demandez le suivant.');

/**
 * One transaction: the caller's target row locked (`FOR UPDATE`) with its campaign's rules, the
 * check that this caller still holds it (else 409, nothing written), then the writes.
 */
export async function recordOutcome(deps: Deps, s: SessionContext, targetId: string, body: OutcomeBody, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const t = await repo.lockCall(trx, targetId);
    if (!t) throw notFound('Appel', 'call_not_found');
    if (t.status !== 'assigned' || t.assigned_to !== s.userId) throw notHeld();
    const script = t.script as CallScript;
    const reached = body.outcome === 'reached';
    const answers = reached ? validateAnswers(script, body.answers) : {};
    const effects = reached ? evaluateRules(script, answers) : { needs: [], urgent: false, watch: null, consent: null };
    const urgent = body.urgent || effects.urgent;
    // Without the consent answer, what the tenant said to questions about health is not kept at all.
    const healthKeys = new Set(script.questions.filter((q) => q.rules.some((r) => r.effect === 'need' && r.category === 'health')).map((q) => q.key));
    const storedAnswers = effects.consent ? answers : Object.fromEntries(Object.entries(answers).filter(([key]) => !healthKeys.has(key)));
    // Health answers kept under the consent given in this call: withdrawing it removes them.
    const healthAnswered = effects.consent ? Object.keys(storedAnswers).filter((key) => healthKeys.has(key)) : [];
    const textAnswers = Object.values(answers).filter((v): v is string => typeof v === 'string' && !['yes', 'no'].includes(v));
    const note = body.note?.trim() || null;
    const noteFlags = checkNote([note ?? '', ...textAnswers].join('\n')).flags;
    const callbackAt = body.outcome === 'callback' ? checkedCallback(body.callbackAt as string, now, t.call_windows) : null;
    const slot = slotOf(now);
    const settle = settlementOf({ outcome: body.outcome, callbackAt, now, slot, call: t });

    const attemptId = await repo.recordAttempt(trx, {
      call: t,
      callerId: s.userId,
      now,
      outcome: body.outcome,
      slot,
      callbackAt,
      answers: storedAnswers,
      note,
      noteFlags,
      urgent,
      settle,
    });
    if (settle.kind === 'doorstep') await repo.openDoorstepVisit(trx, t);
    if (reached) await markHouseholdContacted(trx, { householdId: t.household_id, at: now });
    const own = outcomeFollowups[body.outcome];
    if (own) {
      await repo.insertFollowup(trx, {
        householdId: t.household_id,
        agencyId: t.agency_id,
        campaignId: t.campaign_id,
        attemptId,
        ...own,
        urgent: false,
      });
    }

    // Needs: health needs only under the tenant's consent given in this call (TRUST DP-03).
    const opened: string[] = [];
    let needsWithoutConsent = 0;
    let healthConsentId: string | null = null;
    const healthConsent = async (wording: string) => {
      healthConsentId ??= await repo.insertPhoneConsent(trx, t.household_id, 'health_needs', wording, s.userId);
      return healthConsentId;
    };
    if (effects.consent && healthAnswered.length) await repo.linkHealthAnswers(trx, attemptId, await healthConsent(effects.consent.wording), healthAnswered);
    for (const n of effects.needs) {
      if (n.category === 'health') {
        if (!effects.consent) {
          needsWithoutConsent++;
          continue;
        }
        await healthConsent(effects.consent.wording);
      }
      await repo.insertCallNeed(
        trx,
        t.household_id,
        n.category === 'rent' ? 'social' : n.category,
        n.label,
        n.category === 'health' ? healthConsentId : null,
        s.userId,
      );
      const followup = { householdId: t.household_id, agencyId: t.agency_id, campaignId: t.campaign_id, attemptId, ...n, urgent: false };
      if (await repo.insertFollowup(trx, { ...followup, consentId: n.category === 'health' ? healthConsentId : null })) {
        opened.push(n.need);
      }
    }

    let watchEnrolled = false;
    if (effects.watch) {
      const consentId = await repo.insertPhoneConsent(trx, t.household_id, 'regular_watch', effects.watch.wording, s.userId);
      watchEnrolled = await repo.enrolWatch(trx, t.household_id, consentId, effects.watch.frequency, t.campaign_id, s.userId);
    }

    if (urgent)
      await raiseUrgency(deps, s, trx, { campaignId: t.campaign_id, campaignName: t.name, householdId: t.household_id, agencyId: t.agency_id, attemptId }, ip);

    // No answers nor note contents in the trail: outcome codes only.
    await recordAudit(trx, actorOf(s, ip), {
      action: 'call.recorded',
      objectType: 'household',
      objectId: t.household_id,
      details: { campaignId: t.campaign_id, outcome: body.outcome, urgent, needs: opened.length, noteFlags },
    });
    return {
      attemptId,
      needsOpened: opened,
      watchEnrolled,
      needsWithoutConsent,
      urgent,
      nextAttemptAt: settle.nextAttemptAt?.toISOString() ?? null,
      doorstep: settle.kind === 'doorstep',
      noteFlags,
    };
  });
}

/** A callback time asked for: in the future, within 60 days, inside the call windows. */
function checkedCallback(at: string, now: Date, windows: CallWindows) {
  const callbackAt = new Date(at);
  if (callbackAt.getTime() <= now.getTime()) throw invalid('callback_past', 'L’heure de rappel doit être dans le futur.');
  if (callbackAt.getTime() > now.getTime() + MAX_CALLBACK_DAYS * 86_400_000) {
    throw invalid('callback_too_far', `Un rappel se programme au plus ${MAX_CALLBACK_DAYS} jours à l’avance.`);
  }
  if (!isWithinWindows(callbackAt, windows)) {
    throw invalid('callback_outside_windows', `Le rappel doit tomber dans les plages d’appel (${describeWindows(windows)}).`);
  }
  return callbackAt;
}

/**
 * Where the household goes next: done, another try on another time slot, the callback asked
 * for, or the caretaker's doorstep visit once the retry policy is exhausted.
 */
export function settlementOf(p: {
  outcome: CallOutcome;
  callbackAt: Date | null;
  now: Date;
  slot: TimeSlot;
  call: Pick<repo.HeldCall, 'tried_slots' | 'retry_policy' | 'call_windows'>;
}): repo.Settlement {
  const { call } = p;
  if (unansweredOutcomes.includes(p.outcome)) {
    const tried = [...call.tried_slots, p.slot];
    return tried.length >= call.retry_policy.maxAttempts
      ? { kind: 'doorstep', nextAttemptAt: null, triedSlots: tried }
      : { kind: 'retry', nextAttemptAt: nextAttemptAt(p.now, call.retry_policy, call.call_windows, tried as TimeSlot[]), triedSlots: tried };
  }
  if (p.callbackAt) return { kind: 'callback', nextAttemptAt: p.callbackAt, triedSlots: call.tried_slots };
  return { kind: 'done', nextAttemptAt: null, triedSlots: call.tried_slots };
}

/** An emergency: an urgent follow-up in the agency's list and an e-mail to each manager concerned, once per call. */
async function raiseUrgency(
  deps: Deps,
  s: SessionContext,
  trx: Tx,
  u: { campaignId: string; campaignName: string; householdId: string; agencyId: string; attemptId: string },
  ip: string,
) {
  await repo.insertFollowup(trx, {
    householdId: u.householdId,
    agencyId: u.agencyId,
    campaignId: u.campaignId,
    attemptId: u.attemptId,
    need: 'urgence',
    label: 'Urgence signalée pendant l’appel : rappeler le ménage sans attendre',
    urgent: true,
  });
  for (const m of await repo.alertRecipients(trx, u.campaignId, u.agencyId)) {
    await enqueueMessage(trx, deps.jobs, s.organisationId, {
      channel: 'email',
      recipient: m.email,
      subject: `Urgence signalée — campagne « ${u.campaignName} »`,
      body: `Une situation d’urgence vient d’être signalée lors d’un appel de la campagne « ${u.campaignName} ».\n\nOuvrez le suivi dans Lien pour agir sans attendre : ${deps.config.publicUrl}/suivi?urgent=1\n\nCe message ne contient volontairement aucune information sur le ménage.`,
      purpose: 'campaign_urgency',
      idempotencyKey: `urgency:${u.attemptId}:${m.id}`,
    });
  }
  await recordAudit(trx, actorOf(s, ip), { action: 'call.urgency', objectType: 'household', objectId: u.householdId, details: { campaignId: u.campaignId } });
}

// ——— Watching ———

export async function getDashboard(deps: Deps, s: SessionContext, id: string): Promise<Dashboard> {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const c = await repo.findCampaign(trx, id, scopeOf(s));
    const counts = await repo.campaignCounts(trx, id);
    if (!c || !counts) throw campaignNotFound();
    const d = await repo.dashboardData(trx, id, now);
    const t = d.totals ?? { targeted: 0, reached: 0, queued: 0, assigned: 0, done: 0, doorstep: 0, attempts: 0, callers_active: 0 };
    return {
      campaign: summaryOf(counts),
      totals: {
        targeted: t.targeted,
        reached: t.reached,
        reachedPct: t.targeted ? Math.round((1000 * t.reached) / t.targeted) / 10 : 0,
        queued: t.queued,
        assigned: t.assigned,
        done: t.done,
        doorstep: t.doorstep,
        attempts: t.attempts,
        excludedNoCall: c.excluded_no_call,
        callersActive: t.callers_active,
      },
      outcomes: d.outcomes.map((o) => ({ outcome: o.outcome, label: callOutcomeLabels[o.outcome as CallOutcome] ?? o.outcome, count: o.count })),
      needs: d.needs,
      agencies: d.agencies,
      days: d.days,
      urgent: d.urgent.map((u) => ({
        id: u.id,
        at: u.at.toISOString(),
        label: u.label,
        status: u.status,
        erpRef: u.erp_ref,
        // The household as staff know it, within the role's field rules (identity), and its file when the role may open it.
        holder: householdAccess[s.role].fields.includes('identity') ? u.holder : null,
        householdId: householdAccess[s.role].scope === 'none' ? null : u.household_id,
      })),
    };
  });
}

/** Final outcome of a household: the call's, or the doorstep visit's. */
const finalOutcomeLabels: Record<string, string> = {
  ...callOutcomeLabels,
  doorstep: 'Confié au porte-à-porte',
  no_phone: 'Sans téléphone : porte-à-porte',
  ...Object.fromEntries(Object.entries(doorstepResultLabels).map(([k, v]) => [`doorstep_${k}`, `Porte-à-porte : ${v}`])),
};

const targetStatusLabels: Record<string, string> = {
  queued: 'À appeler',
  waiting: 'Relance programmée',
  assigned: 'En cours d’appel',
  done: 'Terminé',
  doorstep: 'Porte-à-porte',
};

/** The dashboard as a workbook: figures, then one line per household (reference, no names). Audited. */
export async function exportDashboard(deps: Deps, s: SessionContext, id: string, ip: string) {
  const d = await getDashboard(deps, s, id);
  const rows = await withSession(deps.database, s, async (trx) => {
    await recordAudit(trx, actorOf(s, ip), { action: 'campaign.exported', objectType: 'campaign', objectId: id });
    return repo.exportRows(trx, id);
  });
  const wb = new ExcelJS.Workbook();
  const summary = wb.addWorksheet('Synthèse');
  summary.addRows([
    ['Campagne', neutraliseCell(d.campaign.name)],
    ['Ménages ciblés', d.totals.targeted],
    ['Ménages joints', d.totals.reached],
    ['Taux de joignabilité (%)', d.totals.reachedPct],
    ['Appels passés', d.totals.attempts],
    ['Exclus (« ne pas appeler »)', d.totals.excludedNoCall],
    ['Porte-à-porte', d.totals.doorstep],
    [],
    ['Issue', 'Nombre'],
    ...d.outcomes.map((o) => [o.label, o.count]),
    [],
    ['Besoin', 'Nombre'],
    ...d.needs.map((n) => [neutraliseCell(n.label), n.count]),
    [],
    ['Agence', 'Ciblés', 'Joints'],
    ...d.agencies.map((a) => [neutraliseCell(a.agency), a.targeted, a.reached]),
    [],
    ['Jour', 'Appels', 'Joints'],
    ...d.days.map((x) => [x.day, x.attempts, x.reached]),
  ]);
  const list = wb.addWorksheet('Ménages');
  list.addRow(['Réf. ménage', 'Agence', 'Résidence', 'État', 'Issue', 'Appels', 'Priorité']);
  for (const r of rows) {
    list.addRow([
      neutraliseCell(r.erp_ref),
      neutraliseCell(r.agency),
      neutraliseCell(r.residence),
      targetStatusLabels[r.status] ?? r.status,
      r.final_outcome ? (finalOutcomeLabels[r.final_outcome] ?? r.final_outcome) : '',
      r.attempts,
      r.priority,
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ——— Note review (TRUST DP-05) ———

export function pendingNotes(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) =>
    (await repo.pendingNotes(trx)).map((n) => {
      // Free-text answers go through the same guard as the note: the reviewer sees both (an answer
      // to a question removed from the script since is shown with its key).
      const questions = new Map((n.script as CallScript).questions.map((q) => [q.key, q]));
      const texts = Object.entries(n.answers)
        .filter(([key, v]) => typeof v === 'string' && v !== 'yes' && v !== 'no' && !questions.get(key)?.choices?.includes(v))
        .map(([key, v]) => `${questions.get(key)?.text ?? key} — ${String(v)}`);
      return {
        id: n.id,
        at: n.at.toISOString(),
        campaign: n.campaign,
        caller: n.caller,
        householdId: n.household_id,
        note: [n.note, ...texts].filter(Boolean).join('\n'),
        flags: n.flags,
      };
    }),
  );
}

export async function reviewNote(deps: Deps, s: SessionContext, id: string, decision: 'kept' | 'redacted', ip: string) {
  return withSession(deps.database, s, async (trx) => {
    if (!(await repo.reviewNote(trx, id, decision))) throw notFound('Note à relire', 'note_not_found');
    await recordAudit(trx, actorOf(s, ip), { action: 'call_note.reviewed', objectType: 'call_attempt', objectId: id, details: { decision } });
  });
}

// ——— Maintenance ———

/** Expired claims of every campaign of the organisation go back to the queue. Safe to run twice. */
export const releaseExpiredClaims = (trx: Tx, now: Date) => repo.releaseExpiredClaims(trx, now);

/** Claims and hand-backs older than a day no longer count towards any limit: they go. Safe to run twice. */
export const forgetCallerEvents = (trx: Tx, now: Date) => repo.purgeCallerEvents(trx, now);

/** Retries and callbacks that came due go back to the queue. Safe to run twice. */
export const promoteDueCalls = (trx: Tx, now: Date) => repo.promoteDue(trx, now);

// ——— Home page figures, in the caller's transaction (each scoped as the matching list is) ———

/** Running campaigns the session may manage, with reached / targeted. */
export const runningCampaignsFor = (trx: Tx, s: SessionContext) => repo.runningCampaigns(trx, scopeOf(s));

/** Running campaigns whose caller pool holds the session's user. */
export async function poolCampaignsFor(trx: Tx, s: SessionContext) {
  return (await repo.listCampaigns(trx, { caller: s.userId })).map((c) => ({ id: c.id, name: c.name }));
}

/** Due callbacks: those the user promised (`mine`), or all those of the campaigns the session manages. */
export const dueCallbacksFor = (trx: Tx, s: SessionContext, now: Date, mine: boolean) =>
  repo.countDueCallbacks(trx, mine ? { caller: s.userId } : { scope: scopeOf(s) }, now);

/** Call notes waiting for the admin's review. */
export const pendingNotesCount = (trx: Tx) => repo.countPendingNotes(trx);
