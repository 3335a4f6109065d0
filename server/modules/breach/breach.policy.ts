import { rolesWith } from '../../platform/auth/abilities.ts';

/** Who may list a user's accesses to households after a suspected breach: the DPO's work, like the requests of persons. */
export const breachRoles = rolesWith('privacy.manage');
