import { rolesWith } from '../../platform/auth/abilities.ts';

/** Who records and answers the requests of persons about their data (the DPO's work). */
export const privacyRoles = rolesWith('privacy.manage');
