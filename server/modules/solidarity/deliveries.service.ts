/**
 * Deliveries (issue 17): a meal, groceries or medicines for a household, assigned to a volunteer
 * or a caretaker, who sees on a phone only the holder's first name, the door and a phone (the
 * address: the one field a deliverer needs and a caller does not); medicines carry no detail.
 * Done, not at home, refused; « not at home » twice opens a doorstep check (doorstep module). A
 * volunteer reaches these cards only after the charter, the training, and while not paused.
 */
import type { DeliveryBody, DeliveryStatus, MyDeliveries } from '../../../contracts/solidarity.ts';
import { HOUSEHOLD_IDS } from '../../platform/audit/accesses.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors/app-error.ts';
import { charterAcceptedAmong } from '../calls/index.ts';
import { CHARTER_VERSION } from '../campaigns/index.ts';
import { type Deps, nowOf } from '../deps.ts';
import { openDeliveryVisit } from '../doorstep/index.ts';
import { activeUsers, isActiveWith, userNames } from '../identity/index.ts';
import { deliveryFacts, householdNames, scopeOf } from '../registry/index.ts';
import * as repo from './deliveries.repository.ts';
import { gateOf } from './volunteers.repository.ts';

const delivererRoles = ['volunteer', 'caretaker'] as const;

/** The active volunteers and caretakers, to assign a delivery to. */
export function listDeliverers(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) =>
    (await activeUsers(trx, { roles: delivererRoles })).map((u) => ({
      id: u.id,
      name: `${u.first_name} ${u.last_name}`,
      role: u.role as 'volunteer' | 'caretaker',
    })),
  );
}

export async function assignDelivery(deps: Deps, s: SessionContext, body: DeliveryBody, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const facts = (await deliveryFacts(trx, [body.householdId])).get(body.householdId);
    const scope = scopeOf(s);
    if (!facts || (scope !== null && !scope.includes(facts.agencyId))) throw notFound('Ménage');
    if (!(await isActiveWith(trx, { userId: body.assigneeId, roles: delivererRoles })))
      throw invalid('assignee_invalid', 'Une livraison se confie à un·e bénévole ou à un·e gardien·ne dont le compte est actif.');
    const id = await repo.insertDelivery(trx, {
      householdId: body.householdId,
      agencyId: facts.agencyId,
      kind: body.kind,
      detail: body.kind === 'medicines' ? null : (body.detail ?? null),
      dueOn: body.dueOn,
      assigneeId: body.assigneeId,
      createdBy: s.userId,
    });
    await recordAudit(trx, actorOf(s, ip), {
      action: 'delivery.assigned',
      objectType: 'household',
      objectId: body.householdId,
      details: { kind: body.kind, assigneeId: body.assigneeId },
    });
    return { id };
  });
}

export function listDeliveries(deps: Deps, s: SessionContext, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const rows = await repo.listDeliveries(trx, scopeOf(s));
    const households = await householdNames(trx, [...new Set(rows.map((d) => d.household_id))]);
    const assignees = await userNames(trx, [...new Set(rows.map((d) => d.assignee_id))]);
    await recordAudit(trx, actorOf(s, ip), { action: 'delivery.listed', details: { [HOUSEHOLD_IDS]: [...households.keys()] } });
    return rows.map((d) => ({
      id: d.id,
      householdId: d.household_id,
      household: households.get(d.household_id) ?? '',
      kind: d.kind,
      detail: d.detail,
      dueOn: d.due_on,
      status: d.status,
      notHomeCount: d.not_home_count,
      assignee: assignees.get(d.assignee_id) ?? '',
    }));
  });
}

const blockMessages = {
  charter: 'Acceptez la charte de confidentialité avant tout accès à un ménage (menu « Appels »).',
  training: 'Suivez la formation des bénévoles et répondez à ses questions avant tout accès à un ménage (menu « Mon bénévolat »).',
  paused: 'Vous avez mis votre bénévolat en pause : reprenez-le (menu « Mon bénévolat ») pour voir vos livraisons.',
} as const;

/** What holds this volunteer back from any household now: the charter, the training, their pause; null for others. */
async function blockOf(trx: Tx, s: SessionContext): Promise<keyof typeof blockMessages | null> {
  if (s.role !== 'volunteer') return null;
  const accepted = await charterAcceptedAmong(trx, { userIds: [s.userId], version: CHARTER_VERSION });
  if (!accepted.has(s.userId)) return 'charter';
  return gateOf(trx, s.userId);
}

/**
 * The deliverer's own cards, as a phone shows them: first name, door, phone; the households shown
 * are audited. A volunteer held back gets no card, and why.
 */
export function myDeliveries(deps: Deps, s: SessionContext, ip: string): Promise<MyDeliveries> {
  return withSession(deps.database, s, async (trx) => {
    const blocked = await blockOf(trx, s);
    if (blocked) return { blocked, message: blockMessages[blocked], cards: [] };
    const rows = await repo.deliveriesOf(trx, s.userId);
    const facts = await deliveryFacts(trx, [...new Set(rows.map((d) => d.household_id))]);
    await recordAudit(trx, actorOf(s, ip), { action: 'delivery.cards_read', details: { [HOUSEHOLD_IDS]: [...facts.keys()] } });
    const cards = rows.map((d) => {
      const f = facts.get(d.household_id);
      return {
        id: d.id,
        kind: d.kind,
        detail: d.kind === 'medicines' ? null : d.detail,
        dueOn: d.due_on,
        status: d.status,
        notHomeCount: d.not_home_count,
        firstName: f?.firstName ?? '',
        address: f?.address ?? '',
        unit: f?.unit ?? '',
        floor: f?.floor ?? null,
        phone: f?.phone ?? null,
      };
    });
    return { blocked: null, message: null, cards };
  });
}

/** The deliverer records what happened; « not at home » the second time closes the delivery and opens a doorstep check. */
export async function recordDelivery(deps: Deps, s: SessionContext, id: string, outcome: 'done' | 'not_home' | 'refused', ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const blocked = await blockOf(trx, s);
    if (blocked)
      throw new AppError(
        blocked === 'charter' ? 'charter_required' : blocked === 'training' ? 'training_required' : 'volunteer_paused',
        403,
        blockMessages[blocked],
      );
    const d = await repo.deliveryById(trx, id);
    if (!d || d.assignee_id !== s.userId) throw notFound('Livraison');
    if (d.status !== 'assigned') throw conflict('delivery_closed', 'Le résultat de cette livraison est déjà enregistré.');
    const notHome = d.not_home_count + (outcome === 'not_home' ? 1 : 0);
    const status: DeliveryStatus = outcome === 'not_home' ? (notHome >= 2 ? 'not_home' : 'assigned') : outcome;
    await repo.recordOutcome(trx, id, { status, notHomeCount: notHome, at: now });
    let doorstep = false;
    if (status === 'not_home') {
      const f = (await deliveryFacts(trx, [d.household_id])).get(d.household_id);
      if (f) {
        await openDeliveryVisit(trx, { deliveryId: d.id, householdId: d.household_id, residenceId: f.residenceId, agencyId: f.agencyId });
        doorstep = true;
      }
    }
    await recordAudit(trx, actorOf(s, ip), { action: 'delivery.recorded', objectType: 'household', objectId: d.household_id, details: { outcome, doorstep } });
    return { status, doorstep };
  });
}

/** How many deliveries this user made (a volunteer's tally). */
export const deliveriesDoneBy = (trx: Tx, userId: string) => repo.countDone(trx, userId);
