/**
 * Outreach events at the foot of buildings (issue 17): plan (residence, day, partners, staff and
 * caretakers there), record contacts quickly on a phone — with or without the household — and
 * the topics raised; each topic with a household opens or joins a case of its type, routed to the
 * household's agency (the followups module's `joinOrOpenCase`); then the summary.
 */

import type { CaseType } from '../../../contracts/cases.ts';
import type { OutreachTopic } from '../../../contracts/solidarity.ts';
import { HOUSEHOLD_IDS } from '../../platform/audit/accesses.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import { conflict, invalid, notFound } from '../../platform/errors/app-error.ts';
import type { Deps } from '../deps.ts';
import { joinOrOpenCase } from '../followups/index.ts';
import { activeUsers, isActiveWith, userNames } from '../identity/index.ts';
import { partnerOf, partnerRecords } from '../partners/index.ts';
import { householdAgencyOf, listResidences, residenceNames, scopeOf } from '../registry/index.ts';
import { frenchDay, solidarityMessaging } from './messaging-hook.ts';
import * as repo from './outreach.repository.ts';

/** The case type each topic opens. */
const caseTypeOf: Record<OutreachTopic, CaseType> = { arrears: 'rent', technical: 'technical', health: 'health', isolation: 'isolation', other: 'other' };
const presentRoles = ['org_admin', 'manager', 'staff', 'social_worker', 'caretaker'] as const;

export async function planEvent(
  deps: Deps,
  s: SessionContext,
  body: { residenceId: string; heldOn: string; partnerIds: string[]; staffIds: string[] },
  ip: string,
) {
  return withSession(deps.database, s, async (trx) => {
    if (!(await residenceNames(trx, [body.residenceId])).has(body.residenceId)) throw notFound('Résidence');
    for (const p of body.partnerIds) if (!(await partnerOf(trx, p))) throw invalid('partner_unknown', 'Partenaire inconnu.');
    for (const u of body.staffIds)
      if (!(await isActiveWith(trx, { userId: u, roles: presentRoles })))
        throw invalid('staff_unknown', 'Seuls des salarié·es ou gardien·nes actifs peuvent être présents.');
    const id = await repo.insertEvent(trx, { ...body, partnerIds: [...new Set(body.partnerIds)], staffIds: [...new Set(body.staffIds)], createdBy: s.userId });
    await recordAudit(trx, actorOf(s, ip), { action: 'outreach.planned', objectType: 'outreach_event', objectId: id });
    return { id };
  });
}

export function listEvents(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => {
    const rows = await repo.listEvents(trx);
    const residences = await residenceNames(trx, [...new Set(rows.map((e) => e.residence_id))]);
    const out = [];
    for (const e of rows)
      out.push({
        id: e.id,
        residence: residences.get(e.residence_id) ?? '',
        heldOn: e.held_on,
        contacts: e.contacts,
        invitations: e.invitation_send_id ? await solidarityMessaging().figures(trx, e.invitation_send_id) : null,
      });
    return out;
  });
}

/**
 * Invites the residence's households (in the session's agencies): each gets an SMS, else a letter
 * in the send's letters PDF (messaging's channel choice). Once per event.
 */
export async function inviteResidence(deps: Deps, s: SessionContext, eventId: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const e = await repo.eventById(trx, eventId, true);
    if (!e) throw notFound('Événement');
    if (e.invitation_send_id) throw conflict('outreach_already_invited', 'Les ménages de la résidence sont déjà invités à cet après-midi.');
    const households = await repo.residenceHouseholds(trx, e.residence_id, scopeOf(s));
    if (!households.length) throw invalid('outreach_no_household', 'Aucun ménage de vos agences n’habite cette résidence : personne à inviter.');
    const residence = (await residenceNames(trx, [e.residence_id])).get(e.residence_id) ?? '';
    const sendId = await solidarityMessaging().invite(deps, trx, {
      organisationId: s.organisationId,
      userId: s.userId,
      scope: scopeOf(s),
      event: {
        kind: 'outreach',
        id: eventId,
        text: `votre bailleur et ses partenaires vous attendent au pied de votre immeuble (${residence}) le ${frenchDay(e.held_on)} l’après-midi : venez nous rencontrer`,
      },
      sendId: null,
      householdIds: households,
    });
    if (sendId) await repo.setInvitationSend(trx, eventId, sendId);
    await recordAudit(trx, actorOf(s, ip), {
      action: 'outreach.invited',
      objectType: 'outreach_event',
      objectId: eventId,
      details: { households: households.length, [HOUSEHOLD_IDS]: households },
    });
    return { invited: households.length, invitations: sendId ? await solidarityMessaging().figures(trx, sendId) : null };
  });
}

/** A contact: its topics; with a household, each topic opens or joins a case of its type (a health one only with the tenant's agreement). */
export async function recordContact(
  deps: Deps,
  s: SessionContext,
  eventId: string,
  body: { householdId?: string | undefined; topics: OutreachTopic[]; healthAgreed: boolean },
  ip: string,
) {
  return withSession(deps.database, s, async (trx) => {
    if (!(await repo.eventById(trx, eventId))) throw notFound('Événement');
    const topics = [...new Set(body.topics)];
    const cases: string[] = [];
    if (body.householdId) {
      const agencyId = await householdAgencyOf(trx, body.householdId);
      const scope = scopeOf(s);
      if (!agencyId || (scope !== null && !scope.includes(agencyId))) throw notFound('Ménage');
      if (topics.includes('health') && !body.healthAgreed)
        throw invalid(
          'health_agreement_required',
          'Un sujet de santé ne s’enregistre pour un ménage qu’avec son accord d’être suivi ; sinon, notez le contact sans le ménage.',
        );
      for (const t of topics)
        cases.push(await joinOrOpenCase(trx, { householdId: body.householdId, agencyId, type: caseTypeOf[t], origin: 'outreach', urgent: false }));
    }
    const id = await repo.insertContact(trx, { eventId, householdId: body.householdId ?? null, topics, casesOpened: cases.length, by: s.userId });
    await recordAudit(trx, actorOf(s, ip), {
      action: 'outreach.contact_recorded',
      objectType: body.householdId ? 'household' : 'outreach_event',
      objectId: body.householdId ?? eventId,
      details: { eventId, contactId: id, cases: cases.length },
    });
    return { id, caseIds: cases };
  });
}

/** After the event: contacts, topics, cases opened. */
export function eventSummary(deps: Deps, s: SessionContext, eventId: string) {
  return withSession(deps.database, s, async (trx) => {
    const e = await repo.eventById(trx, eventId);
    if (!e) throw notFound('Événement');
    const contacts = await repo.contactsOf(trx, eventId);
    const topics = { arrears: 0, technical: 0, health: 0, isolation: 0, other: 0 } satisfies Record<OutreachTopic, number>;
    for (const c of contacts) for (const t of c.topics) topics[t] += 1;
    const partners: string[] = [];
    for (const p of e.partner_ids) partners.push((await partnerOf(trx, p))?.name ?? '');
    const staff = await userNames(trx, e.staff_ids);
    return {
      id: e.id,
      residence: (await residenceNames(trx, [e.residence_id])).get(e.residence_id) ?? '',
      heldOn: e.held_on,
      partners,
      staff: e.staff_ids.map((u) => staff.get(u) ?? ''),
      contacts: contacts.length,
      withHousehold: contacts.filter((c) => c.household_id !== null).length,
      topics,
      casesOpened: contacts.reduce((n, c) => n + c.cases_opened, 0),
    };
  });
}

/** What the planning form offers: the residences of the session's agencies, the active partners, the staff and caretakers. */
export function planningOptions(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => ({
    residences: (await listResidences(trx, scopeOf(s), {})).map((r) => ({ id: r.id, name: `${r.name} — ${r.city}` })),
    partners: (await partnerRecords(trx)).filter((p) => p.active).map((p) => ({ id: p.id, name: p.name })),
    staff: (await activeUsers(trx, { roles: presentRoles })).map((u) => ({ id: u.id, name: `${u.first_name} ${u.last_name}` })),
  }));
}
