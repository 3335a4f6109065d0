import type { Role } from '../../../contracts/roles.ts';

/** Who works the inbox of tenants' requests (within their agencies). */
export const inboxRoles: Role[] = ['org_admin', 'manager', 'staff', 'social_worker'];
/** Who sets the answer deadlines. */
export const settingsRoles: Role[] = ['org_admin', 'manager'];
