import type { Tx } from '../../platform/db/database.ts';
import * as repo from './identity.repository.ts';

/** Identity: staff accounts, sign-in, second factor, invitations. */
export { identityRoutes } from './identity.routes.ts';
export { usersRoutes } from './users.routes.ts';

/** Create an already active account (demo and first administrator). */
export function createActiveUser(trx: Tx, user: Omit<repo.NewUser, 'status'>) {
  return repo.insertUser(trx, { ...user, status: 'active' });
}

export function assignAgencies(trx: Tx, userId: string, agencyIds: string[]) {
  return repo.setAgencies(trx, userId, agencyIds);
}
