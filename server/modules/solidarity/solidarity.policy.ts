import { rolesWith } from '../../platform/auth/abilities.ts';

/** Who offers vacant homes, matches them and hands the keys. */
export const lendingManagers = rolesWith('lending.manage');
/** Who files a request for a lent home and follows it (partners: their own only). */
export const lendingRequesters = rolesWith('lending.request');
