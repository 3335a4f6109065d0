import type { Ability } from '../../../contracts/abilities.ts';
import { householdAccess } from '../../../contracts/households.ts';
import { type Role, roles } from '../../../contracts/roles.ts';

const householdReaders = roles.filter((r) => householdAccess[r].scope !== 'none');
const callers: readonly Role[] = ['org_admin', 'manager', 'staff', 'social_worker', 'volunteer', 'partner'];

/**
 * Which roles have each ability: the one place. Route policies use it (`allow(...rolesWith(a))`),
 * services use it for their checks, and the session carries `abilitiesOf(role)` to the web.
 */
const abilityRoles: Record<Ability, readonly Role[]> = {
  'home.view': ['org_admin', 'manager', 'staff', 'social_worker', 'caretaker', 'volunteer', 'partner'],
  'households.read': householdReaders,
  'households.edit': ['org_admin', 'manager', 'staff', 'social_worker'],
  'residences.manage': ['org_admin', 'manager'],
  'imports.run': ['org_admin', 'manager'],
  'campaigns.manage': ['org_admin', 'manager'],
  'calls.make': callers,
  /** Callers who may not read households (volunteers, partners): the charter first, the caller fields of the card only. */
  'calls.restricted': callers.filter((r) => !householdReaders.includes(r)),
  'notes.review': ['org_admin'],
  'followups.work': ['org_admin', 'manager', 'staff', 'social_worker'],
  'portal.publish': ['org_admin', 'manager'],
  /** Give a follow-up to someone: the campaign managers (`POST /api/followups/:id/assign`). */
  'followups.assign': ['org_admin', 'manager'],
  /**
   * Read and write case notes of type health or violence (issue 14): the database enforces the
   * same list (policy `case_notes_sensitive`, lien_reads_sensitive_notes()); cases.int.test.ts checks both agree.
   */
  'cases.sensitive_notes': ['manager', 'social_worker'],
  /** See whether the needs one raised (on a call, at the door) were taken care of: nothing more. */
  'needs.raised': [...callers, 'caretaker'],
  'doorstep.visit': ['org_admin', 'manager', 'caretaker'],
  'users.manage': ['org_admin'],
  'agencies.list': ['org_admin', 'manager', 'staff', 'social_worker', 'arrears_officer'],
  'households.export': ['org_admin', 'manager', 'staff', 'social_worker'],
  'audit.read': ['org_admin'],
  /**
   * Restricted households (erasure request, TRUST DP-07) stay visible only to the customer
   * officers (« chargé·es de clientèle »): the lease and the arrears, the legal purposes kept,
   * are their work; every other role (the DPO included, who works from the request) loses them.
   */
  'households.restricted': ['staff'],
  'privacy.manage': ['org_admin'],
  /** Work on every agency of the organisation, whatever agencies the account is attached to (`scopeOf`). */
  'agencies.all': ['org_admin'],
  'partners.manage': ['org_admin'],
  'referrals.send': ['org_admin', 'manager', 'staff', 'social_worker'],
  /** The database narrows them to their partner's referrals (policy `referrals_partner`). */
  'referrals.receive': ['partner'],
  /**
   * Arrears data (purpose `arrears`, TRUST DP-04): the customer officers, social workers, managers,
   * administrators and the recovery officers (`arrears_officer`, who get nothing of campaigns or
   * the fragility register); never volunteers, caretakers, partners nor federation analysts.
   */
  'arrears.work': ['org_admin', 'manager', 'staff', 'social_worker', 'arrears_officer'],
  'arrears.import': ['org_admin', 'manager', 'arrears_officer'],
  'arrears.pause': ['org_admin', 'manager'],
  /**
   * Federations (issue 18, TRUST DP-14): aggregates only. The service checks the organisation's
   * kind: a federation's analyst and administrator read the dashboard; a landlord's
   * administrator manages what it shares.
   */
  'federation.analyse': ['org_admin', 'federation_analyst'],
  'federation.manage': ['org_admin'],
  /** Dashboards and their exports (issue 18): counts only, for those who steer the work. */
  'reports.view': ['org_admin', 'manager'],
  'messages.send': ['org_admin', 'manager', 'staff'],
  'messages.approve': ['org_admin', 'manager'],
  'lending.manage': ['org_admin', 'manager', 'staff', 'social_worker'],
  /** Partners see only the requests whose referent they are; a lent shelter's address only as its referent (RLS). */
  'lending.request': ['org_admin', 'manager', 'staff', 'social_worker', 'partner'],
  'volunteers.manage': ['org_admin', 'manager'],
  'volunteers.self': ['volunteer'],
  'deliveries.manage': ['org_admin', 'manager', 'staff', 'social_worker'],
  /** A volunteer only once the charter is accepted and the training passed, and while not paused (the service checks). */
  'deliveries.deliver': ['volunteer', 'caretaker'],
  'distributions.manage': ['org_admin', 'manager', 'staff', 'social_worker'],
  'distributions.partner': ['partner'],
  'outreach.work': ['org_admin', 'manager', 'staff', 'social_worker'],
  'appointments.work': ['org_admin', 'manager', 'staff', 'social_worker'],
  'appointments.manage': ['org_admin', 'manager'],
};

/** The roles that have an ability. */
export const rolesWith = (ability: Ability): readonly Role[] => abilityRoles[ability];

/** Whether a role has an ability. */
export const can = (role: Role, ability: Ability) => abilityRoles[ability].includes(role);

/** Every ability of a role, in the order of `contracts/abilities.ts`. */
export const abilitiesOf = (role: Role): Ability[] => (Object.keys(abilityRoles) as Ability[]).filter((a) => can(role, a));
