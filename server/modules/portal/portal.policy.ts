import { rolesWith } from '../../platform/auth/abilities.ts';

/** Who works the inbox of tenants' requests (within their agencies). */
export const inboxRoles = rolesWith('followups.work');
/** Who sets the answer deadlines and writes the portal's FAQ and news. */
export const settingsRoles = rolesWith('portal.publish');
