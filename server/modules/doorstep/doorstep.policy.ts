import { rolesWith } from '../../platform/auth/abilities.ts';

/** Who makes doorstep visits: lists them and records their result (a caretaker only those of their residences). */
export const doorstepRoles = rolesWith('doorstep.visit');
