import { rolesWith } from '../../platform/auth/abilities.ts';

/** Who sets the retention rules and sees the next purge: the DPO's work (`privacy.manage`). */
export const retentionRoles = rolesWith('privacy.manage');
