/** Staff roles, from widest to narrowest. Tenants use the portal and are not users. */
export const roles = ['org_admin', 'manager', 'staff', 'social_worker', 'caretaker', 'volunteer', 'partner', 'federation_analyst'] as const;

/** One staff role. */
export type Role = (typeof roles)[number];

/** French labels shown in the interface. */
export const roleLabels: Record<Role, string> = {
  org_admin: 'Administrateur·rice',
  manager: 'Responsable',
  staff: 'Chargé·e de clientèle',
  social_worker: 'Travailleur·se social·e (CESF)',
  caretaker: 'Gardien·ne',
  volunteer: 'Bénévole',
  partner: 'Partenaire',
  federation_analyst: 'Analyste fédération',
};

/** Roles that must enrol a second factor before using Lien (volunteers: TRUST DP-08). */
export const rolesRequiringTotp: readonly Role[] = ['org_admin', 'volunteer'];
