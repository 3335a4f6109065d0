/** Staff roles, from widest to narrowest. Tenants use the portal and are not users. */
export const roles = ['org_admin', 'manager', 'staff', 'social_worker', 'caretaker', 'volunteer', 'partner', 'federation_analyst', 'arrears_officer'] as const;

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
  arrears_officer: 'Chargé·e de recouvrement',
};

// Every role signs in with a password and a second factor (TRUST AA-05): there is no role
// without one. The rule lives in one place, the sign-in (server/modules/identity).
