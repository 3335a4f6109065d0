import type { ClaimedCall } from '../../../contracts/campaigns.ts';
import type { Role } from '../../../contracts/roles.ts';
import { can, rolesWith } from '../../platform/auth/abilities.ts';

/** Who may call (the « Appels » pages and /api/calls/*). */
export const callerRoles = rolesWith('calls.make');

/** Who reviews the flagged call notes (DPO). */
export const noteReviewers = rolesWith('notes.review');

/**
 * Field-level allow-list of the call card (TRUST AA-03): `caller` fields go to every caller,
 * `staff` fields to staff only. A field missing here fails the type check, and one the query
 * returns without a classification fails `serializeCall` at run time.
 */
export const callFieldAccess: Record<keyof ClaimedCall, 'caller' | 'staff'> = {
  targetId: 'caller',
  campaignId: 'caller',
  campaignName: 'caller',
  firstName: 'caller',
  phones: 'caller',
  script: 'caller',
  dutyPhone: 'caller',
  attempts: 'caller',
  callback: 'caller',
  claimExpiresAt: 'caller',
  lastName: 'staff',
  householdId: 'staff',
  erpRef: 'staff',
  address: 'staff',
  age: 'staff',
  indicators: 'staff',
};

export function serializeCall(role: Role, full: Required<ClaimedCall>): ClaimedCall {
  const restricted = can(role, 'calls.restricted');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(full)) {
    const access = (callFieldAccess as Record<string, 'caller' | 'staff' | undefined>)[key];
    if (!access) throw new Error(`Call card field "${key}" has no access classification`);
    if (access === 'caller' || !restricted) out[key] = value;
  }
  return out as ClaimedCall;
}
