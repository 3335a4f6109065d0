/**
 * Referrals (orientations, issue 14; TRUST DP-09). A case's need goes to one partner with only the
 * fields of the referral template, after the tenant's recorded agreement for that partner (409
 * without it); health fields (art. 9) only under an explicit consent for that partner. The payload
 * is kept as sent; recipient, fields and time are audited.
 *
 * The partner answers (Histologe's assignments as a model): new → acknowledged → accepted or
 * declined with a reason → reported back (done, tenant not reachable, refused, redirected). What
 * it does to the case (decided here, written in docs/architecture.md):
 * - sent: the case waits for a partner (« En attente d’un partenaire »);
 * - reported « fait »: the case is closed, outcome « Orienté vers un partenaire », with a note;
 * - declined, or reported otherwise: a note on the case, and the case back to « Ouvert » for its
 *   assignee (unless another referral is still under way);
 * - declined or reported: its assignee gets an e-mail (through the outbox, no household data in it).
 */
import type { z } from 'zod';
import { type CaseType, caseTypeLabels } from '../../../contracts/cases.ts';
import type { TimelineEvent } from '../../../contracts/households.ts';
import { checkNote } from '../../../contracts/note-guard.ts';
import {
  art9ReferralFields,
  declineReasonLabels,
  type ReferralField,
  type referralAnswerBody,
  type referralConsentBody,
  referralFieldLabels,
  type referralListBody,
  referralOutcomeLabels,
  type referralReportBody,
  type referralSendBody,
} from '../../../contracts/partners.ts';
import { HOUSEHOLD_IDS } from '../../platform/audit/accesses.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { can } from '../../platform/auth/abilities.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { conflict, invalid, notFound } from '../../platform/errors/app-error.ts';
import { type Deps, nowOf } from '../deps.ts';
import { addCaseNote, caseOf, closeCase, setCaseStatus } from '../followups/index.ts';
import { notifyUser } from '../identity/index.ts';
import { householdReferralFacts, recordReferralConsent, referralConsentsOf, scopeOf } from '../registry/index.ts';
import * as repo from './partners.repository.ts';

const caseNotFound = () => notFound('Dossier', 'case_not_found');
const referralNotFound = () => notFound('Orientation', 'referral_not_found');

/** The case of the caller's agencies, open. */
async function openCaseOf(trx: Tx, s: SessionContext, caseId: string) {
  const c = await caseOf(trx, caseId, scopeOf(s), true);
  if (!c) throw caseNotFound();
  if (c.status === 'closed') throw conflict('case_closed', 'Ce dossier est clos.');
  return c;
}

async function activePartner(trx: Tx, partnerId: string) {
  const p = await repo.partnerOf(trx, partnerId);
  if (!p?.active) throw notFound('Partenaire', 'partner_not_found');
  return p;
}

/** The household's agreements by partner: to be referred, and to send health fields. */
async function consentsByPartner(trx: Tx, householdId: string) {
  const rows = await referralConsentsOf(trx, householdId);
  const find = (partnerId: string, purpose: 'referral' | 'referral_health') =>
    rows.find((c) => c.partner_id === partnerId && c.purpose === purpose)?.id ?? null;
  return { agreement: (p: string) => find(p, 'referral'), health: (p: string) => find(p, 'referral_health') };
}

/** The template's fields and their values for this case (the message and health details: what the sender typed). */
async function templateValues(trx: Tx, c: { household_id: string; type: CaseType }) {
  const f = await householdReferralFacts(trx, c.household_id);
  if (!f) throw notFound('Ménage', 'household_not_found');
  const values: Partial<Record<ReferralField, string>> = {
    holder_name: f.holder ?? '',
    phone: f.phone ?? '',
    address: [f.address, f.postal_code].filter(Boolean).join(', '),
    commune: f.city ?? '',
    need_type: caseTypeLabels[c.type],
  };
  return { values, commune: f.city };
}

/** A case's type « santé » says a health need: it is an art. 9 field then. */
const healthCase = (type: CaseType) => type === 'health';

/** Partners to choose from (suggested first), their consent state, and what the referral would carry. */
export function referralOptions(deps: Deps, s: SessionContext, caseId: string) {
  return withSession(deps.database, s, async (trx) => {
    const c = await caseOf(trx, caseId, scopeOf(s));
    if (!c) throw caseNotFound();
    const { values, commune } = await templateValues(trx, c);
    const consents = await consentsByPartner(trx, c.household_id);
    const partners = await repo.partnersFor(trx, { type: c.type, commune });
    return {
      partners: partners.map((p) => ({
        ...p,
        agreement: consents.agreement(p.id) !== null,
        healthConsent: consents.health(p.id) !== null,
      })),
      fields: (Object.keys(referralFieldLabels) as ReferralField[]).map((field) => ({
        field,
        label: referralFieldLabels[field],
        value: values[field] ?? '',
        art9: art9ReferralFields.includes(field) || (field === 'need_type' && healthCase(c.type)),
      })),
    };
  });
}

/** Records the tenant's agreement to be referred to this partner, or the explicit consent for health fields. */
export function recordConsent(deps: Deps, s: SessionContext, caseId: string, body: z.infer<typeof referralConsentBody>, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const c = await openCaseOf(trx, s, caseId);
    const p = await activePartner(trx, body.partnerId);
    const wording =
      body.purpose === 'referral'
        ? `Accord pour être orienté·e vers ${p.name} (champs du modèle d’orientation)`
        : `Consentement explicite : précisions de santé transmises à ${p.name}`;
    const id = await recordReferralConsent(trx, {
      householdId: c.household_id,
      partnerId: p.id,
      purpose: body.purpose,
      channel: body.channel,
      wording: wording.slice(0, 200),
      recordedBy: s.userId,
    });
    await recordAudit(trx, actorOf(s, ip), {
      action: 'referral.consent_recorded',
      objectType: 'household',
      objectId: c.household_id,
      details: { consentId: id, purpose: body.purpose, partnerId: p.id, channel: body.channel },
    });
    return { id };
  });
}

const guard = (text: string | undefined, allowHealth: boolean) => {
  if (!text) return;
  const flags = checkNote(text).flags.filter((f) => f === 'pejorative' || !allowHealth);
  if (flags.length)
    throw invalid('note_flagged', 'Ce texte contient une information de santé ou un terme péjoratif : reformulez-le de façon factuelle.', { flags });
};

/** Sends a case's need to a partner (see the file's head for the rules). */
export function sendReferral(deps: Deps, s: SessionContext, body: z.infer<typeof referralSendBody>, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const c = await openCaseOf(trx, s, body.caseId);
    const p = await activePartner(trx, body.partnerId);
    const consents = await consentsByPartner(trx, c.household_id);
    const consentId = consents.agreement(p.id);
    if (!consentId)
      throw conflict(
        'referral_consent_required',
        `Le ménage n’a pas donné son accord pour être orienté vers ${p.name} : recueillez son accord avant d’envoyer l’orientation.`,
      );
    const healthConsentId = consents.health(p.id);
    if ((body.healthDetails || healthCase(c.type)) && !healthConsentId)
      throw conflict(
        'referral_health_consent_required',
        `Des informations de santé ne peuvent être transmises à ${p.name} qu’avec le consentement explicite du ménage pour ce partenaire.`,
      );
    // The message goes to a partner: no health term in it (health details have their own field).
    guard(body.message, false);
    guard(body.healthDetails, true);
    const { values } = await templateValues(trx, c);
    const payload: Record<string, string> = {};
    for (const [field, value] of Object.entries({ ...values, message: body.message, health_details: body.healthDetails })) {
      if (value) payload[field] = value;
    }
    const fields = Object.keys(payload);
    const id = await repo.insertReferral(trx, {
      caseId: c.id,
      householdId: c.household_id,
      agencyId: c.agency_id,
      partnerId: p.id,
      consentId,
      healthConsentId: fields.some((f) => art9ReferralFields.includes(f as ReferralField)) || healthCase(c.type) ? healthConsentId : null,
      fields,
      payload,
      sentBy: s.userId,
      at: now,
      ackDays: p.ack_days,
    });
    if (c.status !== 'waiting_partner') await setCaseStatus(trx, c.id, 'waiting_partner');
    // Recipient, fields and time (the event's own): never the values.
    await recordAudit(trx, actorOf(s, ip), {
      action: 'referral.sent',
      objectType: 'referral',
      objectId: id,
      details: { partnerId: p.id, fields, caseId: c.id, [HOUSEHOLD_IDS]: [c.household_id] },
    });
    return { id };
  });
}

type Record_ = repo.ReferralRecord;
const rowOf = (r: Record_, partnerView: boolean) => ({
  id: r.id,
  caseId: partnerView ? null : r.case_id,
  partnerId: r.partner_id,
  partner: r.partner,
  status: r.status,
  sentAt: r.sent_at.toISOString(),
  ackDueAt: r.ack_due_at.toISOString(),
  overdue: r.overdue,
  declineReason: r.decline_reason,
  outcome: r.outcome,
  partnerNote: r.partner_note,
  needType: r.payload.need_type ?? null,
  commune: r.payload.commune ?? null,
});

const partnerView = (s: SessionContext) => can(s.role, 'referrals.receive');

/**
 * Referrals: a partner's user gets their partner's (the database narrows them), staff those of
 * their agencies; filtered by status or « overdue » (not acknowledged within the partner's delay).
 */
export function listReferrals(deps: Deps, s: SessionContext, body: z.infer<typeof referralListBody>, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const partner = partnerView(s);
    if (partner && !(await repo.partnerOfUser(trx, s.userId))) return [];
    const rows = await repo.referrals(trx, { now, status: body.status, overdue: body.overdue, agencyIds: partner ? null : scopeOf(s), limit: body.limit });
    await recordAudit(trx, actorOf(s, ip), { action: 'referral.listed', details: { [HOUSEHOLD_IDS]: [...new Set(rows.map((r) => r.household_id))] } });
    return rows.map((r) => rowOf(r, partner));
  });
}

/** The referrals of a case (staff). */
export function caseReferrals(deps: Deps, s: SessionContext, caseId: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const c = await caseOf(trx, caseId, scopeOf(s));
    if (!c) throw caseNotFound();
    return (await repo.referrals(trx, { now, caseId, limit: 200 })).map((r) => rowOf(r, false));
  });
}

/** A referral the caller may read: 404 otherwise (another partner's, another agency's). */
async function readable(trx: Tx, s: SessionContext, id: string, now: Date, lock = false) {
  const r = await repo.referralOf(trx, id, now, lock);
  if (!r) throw referralNotFound();
  if (!partnerView(s)) {
    const scope = scopeOf(s);
    if (scope && !(await caseOf(trx, r.case_id, scope))) throw referralNotFound();
  }
  return r;
}

/** One referral: its snapshot (what was sent, nothing more), its status; audited. */
export function referralDetail(deps: Deps, s: SessionContext, id: string, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const r = await readable(trx, s, id, now);
    await recordAudit(trx, actorOf(s, ip), {
      action: 'referral.read',
      objectType: 'referral',
      objectId: id,
      details: { [HOUSEHOLD_IDS]: [r.household_id] },
    });
    return { ...rowOf(r, partnerView(s)), fields: r.fields as ReferralField[], payload: r.payload };
  });
}

const wrongState = () => conflict('referral_state', 'Cette orientation n’est plus à cette étape : rechargez la page.');

/** The partner acknowledges receipt. */
export function acknowledgeReferral(deps: Deps, s: SessionContext, id: string, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const r = await readable(trx, s, id, now, true);
    if (r.status !== 'new') throw wrongState();
    await repo.setReferralStatus(trx, id, { status: 'acknowledged', at: now, userId: s.userId });
    await recordAudit(trx, actorOf(s, ip), {
      action: 'referral.acknowledged',
      objectType: 'referral',
      objectId: id,
      details: { [HOUSEHOLD_IDS]: [r.household_id] },
    });
  });
}

/** After a decline or a report: the case's note, status, and its assignee's e-mail. */
async function backToCase(deps: Deps, trx: Tx, s: SessionContext, r: Record_, c: { text: string; close: boolean; at: Date }) {
  const k = await caseOf(trx, r.case_id, null, true);
  if (!k) return;
  await addCaseNote(trx, { caseId: k.id, kind: 'general', body: c.text.slice(0, 1000), authorId: s.userId });
  if (k.status !== 'closed') {
    if (c.close)
      await closeCase(trx, {
        id: k.id,
        outcome: 'referred',
        note: c.text.slice(0, 500),
        resolution: c.text.slice(0, 500),
        userId: s.userId,
        at: c.at,
      });
    else if (k.status === 'waiting_partner' && !(await repo.caseHasActiveReferral(trx, k.id))) await setCaseStatus(trx, k.id, 'open');
  }
  if (k.assigned_to)
    await notifyUser(trx, deps.jobs, s.organisationId, {
      userId: k.assigned_to,
      subject: `Orientation : retour de ${r.partner}`,
      body: `${r.partner} a répondu à une orientation d’un dossier qui vous est attribué.\n\nOuvrez le dossier dans Lien : ${deps.config.publicUrl}/dossiers/${k.id}\n\nCe message ne contient volontairement aucune information sur le ménage.`,
      purpose: 'referral_feedback',
      key: `referral:${r.id}:${c.close ? 'closed' : 'update'}:${c.at.toISOString()}`,
    });
}

/** The partner accepts, or declines with a reason (the case goes back to its assignee). */
export function answerReferral(deps: Deps, s: SessionContext, id: string, body: z.infer<typeof referralAnswerBody>, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const r = await readable(trx, s, id, now, true);
    if (r.status !== 'new' && r.status !== 'acknowledged') throw wrongState();
    if (body.accept) await repo.setReferralStatus(trx, id, { status: 'accepted', at: now, userId: s.userId });
    else {
      guard(body.note, false);
      await repo.setReferralStatus(trx, id, { status: 'declined', at: now, userId: s.userId, declineReason: body.reason, note: body.note ?? null });
      await backToCase(deps, trx, s, r, {
        text: `Orientation refusée par ${r.partner} : ${declineReasonLabels[body.reason]}${body.note ? ` — ${body.note}` : ''}`,
        close: false,
        at: now,
      });
    }
    await recordAudit(trx, actorOf(s, ip), {
      action: 'referral.answered',
      objectType: 'referral',
      objectId: id,
      details: { accepted: body.accept, ...(body.accept ? {} : { reason: body.reason }), [HOUSEHOLD_IDS]: [r.household_id] },
    });
  });
}

/** The partner reports back: « fait » closes the case; any other outcome gives it back to its assignee. */
export function reportReferral(deps: Deps, s: SessionContext, id: string, body: z.infer<typeof referralReportBody>, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const r = await readable(trx, s, id, now, true);
    if (r.status !== 'acknowledged' && r.status !== 'accepted') throw wrongState();
    guard(body.note, false);
    await repo.setReferralStatus(trx, id, { status: 'reported', at: now, userId: s.userId, outcome: body.outcome, note: body.note ?? null });
    await backToCase(deps, trx, s, r, {
      text: `Retour de ${r.partner} : ${referralOutcomeLabels[body.outcome]}${body.note ? ` — ${body.note}` : ''}`,
      close: body.outcome === 'done',
      at: now,
    });
    await recordAudit(trx, actorOf(s, ip), {
      action: 'referral.reported',
      objectType: 'referral',
      objectId: id,
      details: { outcome: body.outcome, [HOUSEHOLD_IDS]: [r.household_id] },
    });
  });
}

/** The household's referrals on its timeline, for those who send them: sent, acknowledged, answered, reported. */
export async function referralTimeline(trx: Tx, s: SessionContext, householdId: string): Promise<TimelineEvent[]> {
  if (!can(s.role, 'referrals.send')) return [];
  return (await repo.referralEventsOf(trx, householdId)).map((e) => {
    const base = { at: e.at.toISOString(), kind: e.kind, type: 'referral' as const, caseId: e.case_id };
    switch (e.kind) {
      case 'referral.sent':
        return { ...base, label: `Orientation envoyée à ${e.partner}` };
      case 'referral.acknowledged':
        return { ...base, label: `Orientation reçue par ${e.partner}` };
      case 'referral.answered':
        return { ...base, label: e.status === 'declined' ? `Orientation refusée par ${e.partner}` : `Orientation acceptée par ${e.partner}` };
      default:
        return { ...base, label: `Retour de ${e.partner} : ${e.outcome ? referralOutcomeLabels[e.outcome] : ''}` };
    }
  });
}
