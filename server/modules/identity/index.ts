import { recordAudit } from '../../platform/audit/audit.ts';
import { endUserSessions } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { MaintenanceTask } from '../../platform/jobs/maintenance.ts';
import { parisToday } from '../../platform/time.ts';
import * as repo from './identity.repository.ts';

/** Identity: staff accounts, sign-in, second factor, invitations. */
export {
  activeOrgAdmins,
  activeUsers,
  agenciesUpsert,
  agencyDutyPhoneOf,
  agencyIdOfCode,
  agencyIdsByCode,
  agencyNameOf,
  caretakerFor,
  caretakers,
  insertAgencies,
  isActiveWith,
  userNameOf,
  userNames,
  usersByEmail,
} from './directory.repository.ts';
export { identityRoutes } from './identity.routes.ts';
export { settleDeferredWork } from './identity.service.ts';
/** One e-mail to a user through the outbox (a notification: a partner's report, …). */
export { notifyUser } from './notify.ts';
export { usersRoutes } from './users.routes.ts';
/** Invite an account in the caller's transaction (the volunteers' vetting, issue 17). */
export { inviteIn } from './users.service.ts';

/** Create an already active account (demo and first administrator). */
export function createActiveUser(trx: Tx, user: Omit<repo.NewUser, 'status'>) {
  return repo.insertUser(trx, { ...user, status: 'active' });
}

export function assignAgencies(trx: Tx, userId: string, agencyIds: string[]) {
  return repo.setAgencies(trx, userId, agencyIds);
}

/**
 * Maintenance task (TRUST DP-08): volunteers past their end date are disabled and their
 * sessions ended at once. Safe to run twice: a disabled volunteer is not selected again.
 */
export const expireVolunteers: MaintenanceTask = {
  name: 'volunteers_expired',
  async run(trx, now) {
    const ids = await repo.deactivateVolunteersPastEndDate(trx, parisToday(now));
    for (const id of ids) {
      const sessions = await endUserSessions(trx, id, 'end_date');
      await recordAudit(trx, { userId: null, role: 'system', ip: null }, { action: 'user.expired', objectType: 'user', objectId: id, details: { sessions } });
    }
    return ids.length;
  },
};

/** A campaign's author and the managers concerned by its agencies, in the caller's transaction. */
export const campaignAlertRecipients = (
  trx: Tx,
  a: { authorId: string | null; agencyIds: string[] | null; except: string | null; managerRoles: readonly string[] },
) => repo.campaignAlertRecipients(trx, a);
/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { identityData } from './identity.data.ts';
/** What the retention purge removes from the accounts' security data (TRUST DP-02). */
export { identityPurgeTargets } from './purge.repository.ts';
