import { describe, expect, it } from 'vitest';
import { abilities } from '../../../contracts/abilities.ts';
import { householdAccess } from '../../../contracts/households.ts';
import { roles } from '../../../contracts/roles.ts';
import { abilitiesOf, can, rolesWith } from './abilities.ts';

describe('abilities the web asks for', () => {
  it('every ability named in the contract has roles, and the session lists them in the contract order', () => {
    for (const a of abilities) expect(rolesWith(a).length).toBeGreaterThan(0);
    // The org admin has every ability but the restricted callers', the restricted households' (DP-07)
    // the sensitive case notes' (issue 14: social workers and managers only) and the partners'
    // inbox (a referral is read by the partner it was sent to, issue 14), nor the volunteer's own
    // space, the deliverer's round and a partner's distributions (issue 17: each is one's own).
    const notAdmins = [
      'calls.restricted',
      'households.restricted',
      'cases.sensitive_notes',
      'referrals.receive',
      'volunteers.self',
      'deliveries.deliver',
      'distributions.partner',
    ];
    expect(abilitiesOf('org_admin')).toEqual(abilities.filter((a) => !notAdmins.includes(a)));
    expect(abilitiesOf('volunteer')).toEqual(['home.view', 'calls.make', 'calls.restricted', 'needs.raised', 'volunteers.self', 'deliveries.deliver']);
  });

  it('the restricted callers are the callers who may not read households: volunteers and partners, no one else', () => {
    expect(rolesWith('calls.restricted')).toEqual(['volunteer', 'partner']);
    for (const r of roles) expect(can(r, 'calls.restricted')).toBe(can(r, 'calls.make') && householdAccess[r].scope === 'none');
  });

  it('a restricted household (erasure, DP-07) stays with one role, the customer officers who read households', () => {
    expect(rolesWith('households.restricted')).toEqual(['staff']);
    expect(can('staff', 'households.read')).toBe(true);
  });

  it('assigning a follow-up is for the campaign managers, as the assign route enforces', () => {
    expect(rolesWith('followups.assign')).toEqual(rolesWith('campaigns.manage'));
    expect(can('staff', 'followups.assign')).toBe(false);
  });

  it('working on every agency goes with the organisation-wide household scope', () => {
    expect(roles.filter((r) => can(r, 'agencies.all'))).toEqual(roles.filter((r) => householdAccess[r].scope === 'organisation'));
  });
});
