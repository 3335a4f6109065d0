import type { DoorstepStatus } from '../../../contracts/campaigns.ts';
import { checkNote } from '../../../contracts/note-guard.ts';
import { HOUSEHOLD_IDS } from '../../platform/audit/accesses.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { conflict, invalid, notFound } from '../../platform/errors/app-error.ts';
import { type Deps, nowOf } from '../deps.ts';
import { type NewFollowup, openFollowup } from '../followups/index.ts';
import { markHouseholdContacted, scopeOf } from '../registry/index.ts';
import * as repo from './doorstep.repository.ts';

/** A caretaker sees only the visits of their residences; other roles those of their agencies. */
const visibleTo = (s: SessionContext): repo.Visible => ({ scope: scopeOf(s), caretakerId: s.role === 'caretaker' ? s.userId : null });

/** The visits to make or made; the households listed are audited (TRUST DP-11, DP-15). */
export function listDoorstep(deps: Deps, s: SessionContext, status: DoorstepStatus, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const rows = await repo.listDoorstep(trx, status, visibleTo(s));
    await recordAudit(trx, actorOf(s, ip), { action: 'doorstep.listed', details: { status, [HOUSEHOLD_IDS]: [...new Set(rows.map((d) => d.household_id))] } });
    return rows.map((d) => ({
      id: d.id,
      householdId: d.household_id,
      campaign: d.campaign ?? '',
      residence: d.residence,
      address: d.address,
      unit: d.unit,
      floor: d.floor,
      holder: d.holder ?? '',
      createdAt: d.created_at.toISOString(),
      status: d.status,
      result: d.result as never,
    }));
  });
}

export type DoorstepResult = { id: string; result: string; note: string | undefined; ip: string };

export async function recordDoorstep(deps: Deps, s: SessionContext, input: DoorstepResult) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const d = await repo.findDoorstep(trx, input.id, visibleTo(s));
    if (!d) throw notFound('Visite', 'visit_not_found');
    if (d.status === 'done') throw conflict('visit_done', 'Le résultat de cette visite est déjà enregistré.');
    const flags = checkNote(input.note ?? '').flags;
    if (flags.length)
      throw invalid('note_flagged', 'La note contient une information de santé ou un terme péjoratif : reformulez-la de façon factuelle.', { flags });
    await repo.recordDoorstep(trx, { id: input.id, result: input.result, note: input.note?.trim() || null, userId: s.userId, at: now });
    if (input.result === 'met') await markHouseholdContacted(trx, { householdId: d.household_id, at: now });
    if (input.result === 'concern') {
      const concern: NewFollowup = {
        householdId: d.household_id,
        agencyId: d.agency_id,
        campaignId: d.campaign_id,
        attemptId: null,
        need: 'porte_a_porte',
        label: 'Inquiétude signalée au porte-à-porte',
        urgent: false,
      };
      await openFollowup(trx, concern);
    }
    await recordAudit(trx, actorOf(s, input.ip), {
      action: 'doorstep.recorded',
      objectType: 'household',
      objectId: d.household_id,
      details: { result: input.result },
    });
  });
}

/** Doorstep visits to make, as « Porte-à-porte » lists them for this session (home page). */
export const pendingDoorstepFor = (trx: Tx, s: SessionContext) => repo.countPendingDoorstep(trx, visibleTo(s));
