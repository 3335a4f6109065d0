/**
 * Food distributions (issue 17): with a partner association, a day, a place, a capacity and a
 * kind; households invited from the open cases of type « food » or from a segment of the
 * registry, never past the capacity; who came; the partner's list with only the name to call out
 * and how many people (no address, phone, nor why the household was invited). A partner's user
 * reads and marks only their partner's distributions. Invitations by SMS or letter belong to the
 * messaging module: it plugs in through `provideSolidarityMessaging` (one send per distribution).
 */
import type { HouseholdFilters } from '../../../contracts/households.ts';
import { type DistributionBody, distributionKindLabels, type PartnerList } from '../../../contracts/solidarity.ts';
import { HOUSEHOLD_IDS } from '../../platform/audit/accesses.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { can } from '../../platform/auth/abilities.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { conflict, invalid, notFound } from '../../platform/errors/app-error.ts';
import { type Deps, nowOf } from '../deps.ts';
import { householdsWithOpenCase } from '../followups/index.ts';
import { partnerOf, partnerOfUser, partnerRecords } from '../partners/index.ts';
import { distributionListFacts, scopeOf } from '../registry/index.ts';
import * as repo from './distributions.repository.ts';
import { frenchDay, solidarityMessaging } from './messaging-hook.ts';

/** A partner's user sees only their partner's distributions; staff see all. */
async function partnerScope(trx: Tx, s: SessionContext): Promise<string | null> {
  if (can(s.role, 'distributions.manage')) return null;
  return (await partnerOfUser(trx, s.userId)) ?? '00000000-0000-0000-0000-000000000000';
}

async function visibleDistribution(trx: Tx, s: SessionContext, id: string, lock = false) {
  const d = await repo.distributionById(trx, id, lock);
  const partner = await partnerScope(trx, s);
  if (!d || (partner !== null && d.partner_id !== partner)) throw notFound('Distribution');
  return d;
}

export async function createDistribution(deps: Deps, s: SessionContext, body: DistributionBody, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const partner = await partnerOf(trx, body.partnerId);
    if (!partner?.active) throw invalid('partner_unknown', 'Partenaire inconnu ou inactif.');
    const id = await repo.insertDistribution(trx, { ...body, createdBy: s.userId });
    await recordAudit(trx, actorOf(s, ip), { action: 'distribution.created', objectType: 'distribution', objectId: id, details: { kind: body.kind } });
    return { id };
  });
}

export function listDistributions(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => {
    const rows = await repo.listDistributions(trx, await partnerScope(trx, s));
    const names = new Map<string, string>();
    for (const p of new Set(rows.map((d) => d.partner_id))) names.set(p, (await partnerOf(trx, p))?.name ?? '');
    const invitations = new Map<string, Awaited<ReturnType<ReturnType<typeof solidarityMessaging>['figures']>>>();
    for (const d of rows) if (d.invitation_send_id) invitations.set(d.id, await solidarityMessaging().figures(trx, d.invitation_send_id));
    return rows.map((d) => ({
      id: d.id,
      invitations: invitations.get(d.id) ?? null,
      partner: names.get(d.partner_id) ?? '',
      kind: d.kind,
      heldOn: d.held_on,
      place: d.place,
      capacity: d.capacity,
      invited: d.invited,
      attended: d.attended,
    }));
  });
}

/** Invites households up to the capacity; a full distribution is a French 409. Returns how many were added. */
export async function inviteToDistribution(
  deps: Deps,
  s: SessionContext,
  id: string,
  input: { from: 'food_cases' } | { from: 'segment'; segment: HouseholdFilters },
  ip: string,
) {
  return withSession(deps.database, s, async (trx) => {
    const d = await visibleDistribution(trx, s, id, true);
    const room = d.capacity - d.invited;
    if (room <= 0) throw conflict('distribution_full', 'La distribution est complète : augmentez sa capacité ou créez-en une autre.');
    const invited = new Set((await repo.inviteesOf(trx, id)).map((i) => i.household_id));
    const candidates =
      input.from === 'food_cases'
        ? (await householdsWithOpenCase(trx, { type: 'food', agencyIds: scopeOf(s), limit: d.capacity + invited.size }))
            .filter((h) => !invited.has(h))
            .slice(0, room)
        : await repo.segmentNotInvited(trx, id, input.segment, scopeOf(s), room);
    const added = await repo.inviteHouseholds(trx, id, candidates, input.from === 'food_cases' ? 'food_case' : 'segment');
    const kind = distributionKindLabels[d.kind].toLowerCase();
    const sendId = await solidarityMessaging().invite(deps, trx, {
      organisationId: s.organisationId,
      userId: s.userId,
      scope: scopeOf(s),
      event: { kind: 'distribution', id, text: `vous êtes invité·e à une distribution de ${kind} le ${frenchDay(d.held_on)}, ${d.place}` },
      sendId: d.invitation_send_id,
      householdIds: candidates,
    });
    if (sendId && sendId !== d.invitation_send_id) await repo.setInvitationSend(trx, id, sendId);
    await recordAudit(trx, actorOf(s, ip), {
      action: 'distribution.invited',
      objectType: 'distribution',
      objectId: id,
      details: { source: input.from, added, [HOUSEHOLD_IDS]: candidates },
    });
    return { added };
  });
}

/** Who came (staff, or the partner's user at the door). */
export async function markAttendance(deps: Deps, s: SessionContext, id: string, householdId: string, attended: boolean, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    await visibleDistribution(trx, s, id);
    if (!(await repo.markAttendance(trx, id, householdId, attended, now))) throw notFound('Ménage invité');
    await recordAudit(trx, actorOf(s, ip), {
      action: 'distribution.attendance',
      objectType: 'household',
      objectId: householdId,
      details: { distributionId: id, attended },
    });
  });
}

/** The partner's list: the name to call out and how many people; the households shown are audited. */
export function partnerListOf(deps: Deps, s: SessionContext, id: string, ip: string): Promise<PartnerList> {
  return withSession(deps.database, s, async (trx) => {
    const d = await visibleDistribution(trx, s, id);
    const all = await repo.inviteesOf(trx, id);
    const facts = await distributionListFacts(
      trx,
      all.map((i) => i.household_id),
    );
    // A partner's user gets the whole list; staff limited to some agencies, their agencies' households only.
    const scope = (await partnerScope(trx, s)) === null ? scopeOf(s) : null;
    const invitees = all.filter((i) => scope === null || scope.includes(facts.get(i.household_id)?.agencyId ?? ''));
    await recordAudit(trx, actorOf(s, ip), {
      action: 'distribution.list_read',
      objectType: 'distribution',
      objectId: id,
      details: { [HOUSEHOLD_IDS]: invitees.map((i) => i.household_id) },
    });
    const lines = invitees
      .map((i) => ({
        householdId: i.household_id,
        name: facts.get(i.household_id)?.name ?? '',
        persons: facts.get(i.household_id)?.persons ?? 0,
        attended: i.attended,
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    return { partner: (await partnerOf(trx, d.partner_id))?.name ?? '', kind: d.kind, heldOn: d.held_on, place: d.place, lines };
  });
}

/** The active partners a distribution may be held with. */
export function distributionPartnerOptions(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => (await partnerRecords(trx)).filter((p) => p.active).map((p) => ({ id: p.id, name: p.name })));
}
