// Outcomes: an outcome recorded for the household the caller holds, the answers checked against
// the script, the script's rules applied (needs, consents, watch, emergency), where the household
// goes next (ADR 0009). One transaction, the caller's target row locked first.
import { type CallOutcome, type CallScript, type OutcomeBody, unansweredOutcomes } from '../../../contracts/campaigns.ts';
import { checkNote } from '../../../contracts/note-guard.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { conflict, invalid, notFound } from '../../platform/errors/app-error.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import {
  type CallWindows,
  campaignLadder,
  campaignManagers,
  type DispatchSettings,
  describeWindows,
  isWithinWindows,
  nextAttemptAt,
  slotOf,
  type TimeSlot,
} from '../campaigns/index.ts';
import { type Deps, nowOf } from '../deps.ts';
import { openVisit } from '../doorstep/index.ts';
import { openFollowup } from '../followups/index.ts';
import { campaignAlertRecipients } from '../identity/index.ts';
import { enrolInWatch, recordCallNeed, recordPhoneConsent } from '../registry/index.ts';
import * as repo from './calls.repository.ts';

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
    const t = await repo.lockCall(trx, { targetId, callerId: s.userId });
    if (!t) throw notFound('Appel', 'call_not_found');
    if (t.status !== 'assigned' || t.assigned_to !== s.userId) throw notHeld();
    const c = t.campaign;
    if (!c) throw notFound('Appel', 'call_not_found');
    const script = c.script as CallScript;
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
    const callbackAt = body.outcome === 'callback' ? checkedCallback(body.callbackAt as string, now, c.call_windows) : null;
    const slot = slotOf(now);
    const settle = settlementOf({ outcome: body.outcome, callbackAt, now, slot, triedSlots: t.tried_slots, campaign: c });
    // Needs: health needs only under the tenant's consent given in this call (TRUST DP-03).
    const recorded = effects.needs.filter((n) => n.category !== 'health' || effects.consent);
    const opened = [...new Set(recorded.map((n) => n.need))];
    const needsWithoutConsent = effects.needs.length - recorded.length;
    const own = outcomeFollowups[body.outcome];
    // Whether anything is written after the attempt (below, in this order); when nothing is, the
    // attempt statement commits the transaction in its round trip (a statement after it would be refused).
    const writesAfter =
      settle.kind === 'doorstep' || !!own || (!!effects.consent && healthAnswered.length > 0) || recorded.length > 0 || !!effects.watch || urgent;

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
      // A reached household's last contact is written by the same statement (the registry's SQL).
      contacted: reached,
      // No answers nor note contents in the trail: outcome codes only.
      audit: { actor: actorOf(s, ip), details: { campaignId: t.campaign_id, outcome: body.outcome, urgent, needs: opened.length, noteFlags } },
      last: !writesAfter,
    });
    if (settle.kind === 'doorstep') {
      await openVisit(trx, { campaignId: t.campaign_id, targetId: t.id, householdId: t.household_id, residenceId: t.residence_id, agencyId: t.agency_id });
      // The escalation ladder's SMS before the doorstep visit, if the campaign has one (issue 15).
      await campaignLadder()?.toDoorstep(deps, trx, { organisationId: s.organisationId, campaignId: t.campaign_id, householdId: t.household_id });
    }
    if (own) {
      await openFollowup(trx, {
        householdId: t.household_id,
        agencyId: t.agency_id,
        campaignId: t.campaign_id,
        attemptId,
        ...own,
        urgent: false,
      });
    }

    let healthConsentId: string | null = null;
    const healthConsent = async (wording: string) => {
      healthConsentId ??= await recordPhoneConsent(trx, { householdId: t.household_id, purpose: 'health_needs', wording, recordedBy: s.userId });
      return healthConsentId;
    };
    if (effects.consent && healthAnswered.length) await repo.linkHealthAnswers(trx, attemptId, await healthConsent(effects.consent.wording), healthAnswered);
    for (const n of recorded) {
      if (n.category === 'health' && effects.consent) await healthConsent(effects.consent.wording);
      await recordCallNeed(trx, {
        householdId: t.household_id,
        category: n.category === 'rent' ? 'social' : n.category,
        label: n.label,
        consentId: n.category === 'health' ? healthConsentId : null,
        recordedBy: s.userId,
      });
      const followup = { householdId: t.household_id, agencyId: t.agency_id, campaignId: t.campaign_id, attemptId, ...n, urgent: false };
      // The same need twice in one call opens one follow-up (the attempt and the need are its key).
      await openFollowup(trx, { ...followup, consentId: n.category === 'health' ? healthConsentId : null });
    }

    let watchEnrolled = false;
    if (effects.watch) {
      const consentId = await recordPhoneConsent(trx, {
        householdId: t.household_id,
        purpose: 'regular_watch',
        wording: effects.watch.wording,
        recordedBy: s.userId,
      });
      watchEnrolled = await enrolInWatch(trx, {
        householdId: t.household_id,
        consentId,
        frequency: effects.watch.frequency,
        campaignId: t.campaign_id,
        enrolledBy: s.userId,
      });
    }

    if (urgent)
      await raiseUrgency(
        deps,
        s,
        trx,
        { campaignId: t.campaign_id, campaignName: c.name, author: c.created_by, householdId: t.household_id, agencyId: t.agency_id, attemptId },
        ip,
      );

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
  triedSlots: string[];
  campaign: Pick<DispatchSettings, 'retry_policy' | 'call_windows'>;
}): repo.Settlement {
  const { campaign } = p;
  if (unansweredOutcomes.includes(p.outcome)) {
    const tried = [...p.triedSlots, p.slot];
    return tried.length >= campaign.retry_policy.maxAttempts
      ? { kind: 'doorstep', nextAttemptAt: null, triedSlots: tried }
      : { kind: 'retry', nextAttemptAt: nextAttemptAt(p.now, campaign.retry_policy, campaign.call_windows, tried as TimeSlot[]), triedSlots: tried };
  }
  if (p.callbackAt) return { kind: 'callback', nextAttemptAt: p.callbackAt, triedSlots: p.triedSlots };
  return { kind: 'done', nextAttemptAt: null, triedSlots: p.triedSlots };
}

/** An emergency: an urgent follow-up in the agency's list and an e-mail to each manager concerned, once per call. */
async function raiseUrgency(
  deps: Deps,
  s: SessionContext,
  trx: Tx,
  u: { campaignId: string; campaignName: string; author: string | null; householdId: string; agencyId: string; attemptId: string },
  ip: string,
) {
  await openFollowup(trx, {
    householdId: u.householdId,
    agencyId: u.agencyId,
    campaignId: u.campaignId,
    attemptId: u.attemptId,
    need: 'urgence',
    label: 'Urgence signalée pendant l’appel : rappeler le ménage sans attendre',
    urgent: true,
  });
  const recipients = await campaignAlertRecipients(trx, { authorId: u.author, agencyIds: [u.agencyId], except: null, managerRoles: campaignManagers });
  for (const m of recipients) {
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
