import { rolesWith } from '../../platform/auth/abilities.ts';

/** Who works on follow-ups: sees, closes them. */
export const followupRoles = rolesWith('followups.work');

/** Who hands a follow-up to someone (the campaign managers). */
export const followupAssigners = rolesWith('campaigns.manage');
