import { checkNote } from '../../../contracts/note-guard.ts';
import { HOUSEHOLD_IDS } from '../../platform/audit/accesses.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors/app-error.ts';
import { type Deps, nowOf } from '../deps.ts';
import { activeUsers, isActiveWith } from '../identity/index.ts';
import { scopeOf } from '../registry/index.ts';
import { closeCaseOfLastNeed } from './cases.repository.ts';
import { followupAssigners, followupRoles } from './followups.policy.ts';
import * as repo from './followups.repository.ts';

const followupNotFound = () => notFound('Suivi', 'followup_not_found');

/** The follow-ups of the caller's agencies; the households listed are audited (TRUST DP-11, DP-15). */
export function listFollowups(deps: Deps, s: SessionContext, filter: repo.FollowupFilter, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const rows = await repo.listFollowups(trx, filter, scopeOf(s));
    await recordAudit(trx, actorOf(s, ip), { action: 'followup.listed', details: { [HOUSEHOLD_IDS]: [...new Set(rows.map((f) => f.household_id))] } });
    return rows.map((f) => ({
      id: f.id,
      householdId: f.household_id,
      householdRef: f.erp_ref,
      holder: f.holder ?? '',
      agency: f.agency,
      campaign: f.campaign,
      need: f.need,
      label: f.label,
      urgent: f.urgent,
      status: f.status,
      assignedTo: f.assigned_to,
      assignedName: f.assigned_name,
      createdAt: f.created_at.toISOString(),
      resolution: f.resolution,
    }));
  });
}

/** People a follow-up can be assigned to. */
export function followupAssignees(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) =>
    (await activeUsers(trx, { roles: followupRoles })).map((u) => ({ id: u.id, name: `${u.first_name} ${u.last_name}`, role: u.role })),
  );
}

/** Open emergencies in the caller's agencies, for the alert shown on every page. */
export function openUrgentCount(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => ({ open: await repo.countOpenUrgent(trx, scopeOf(s)) }));
}

export type AssignFollowup = { id: string; userId: string | null; ip: string };

export async function assignFollowup(deps: Deps, s: SessionContext, input: AssignFollowup) {
  if (!followupAssigners.includes(s.role)) throw forbidden();
  return withSession(deps.database, s, async (trx) => {
    const f = await repo.findFollowup(trx, input.id, scopeOf(s));
    if (!f) throw followupNotFound();
    if (input.userId && !(await isActiveWith(trx, { userId: input.userId, roles: followupRoles }))) {
      throw invalid('assignee_invalid', 'Cette personne ne peut pas recevoir de suivi (compte inactif ou rôle sans accès aux ménages).');
    }
    await repo.assignFollowup(trx, input.id, input.userId);
    await recordAudit(trx, actorOf(s, input.ip), { action: 'followup.assigned', objectType: 'followup', objectId: input.id, details: { to: input.userId } });
  });
}

export type CloseFollowup = { id: string; resolution: string; ip: string };

export async function closeFollowup(deps: Deps, s: SessionContext, input: CloseFollowup) {
  return withSession(deps.database, s, async (trx) => {
    const f = await repo.findFollowup(trx, input.id, scopeOf(s));
    if (!f) throw followupNotFound();
    if (f.status === 'closed') throw conflict('followup_closed', 'Ce suivi est déjà clos.');
    const flags = checkNote(input.resolution).flags;
    if (flags.length)
      throw invalid('note_flagged', 'Ce texte contient une information de santé ou un terme péjoratif : reformulez-le de façon factuelle.', { flags });
    const at = nowOf(deps);
    await repo.closeFollowup(trx, { id: input.id, resolution: input.resolution, userId: s.userId, at });
    await recordAudit(trx, actorOf(s, input.ip), { action: 'followup.closed', objectType: 'followup', objectId: input.id });
    // The last open need of its case: the case closes with it (the case page and this page agree).
    const closedCase = await closeCaseOfLastNeed(trx, { followupId: input.id, note: input.resolution, userId: s.userId, at });
    if (closedCase)
      await recordAudit(trx, actorOf(s, input.ip), {
        action: 'case.closed',
        objectType: 'case',
        objectId: closedCase.id,
        details: { status: 'closed', followupId: input.id, [HOUSEHOLD_IDS]: [closedCase.household_id] },
      });
  });
}

/** Open follow-ups of the session's agencies (all, urgent, assigned to the user, older than `overdueDays`), for the home page. */
export const followupFiguresFor = (trx: Tx, s: SessionContext, now: Date, overdueDays: number) =>
  repo.followupFigures(trx, scopeOf(s), s.userId, new Date(now.getTime() - overdueDays * 86_400_000));
