import type { Role } from '../../contracts/roles.ts';

/** Entries of the main menu; each role sees only what it may use. */
export const navigation: { to: string; label: string; roles: readonly Role[] }[] = [
  { to: '/', label: 'Accueil', roles: ['org_admin', 'manager', 'staff', 'social_worker', 'caretaker', 'volunteer', 'partner', 'federation_analyst'] },
  { to: '/menages', label: 'Rechercher un ménage', roles: ['org_admin', 'manager', 'staff', 'social_worker', 'caretaker'] },
  { to: '/menages/liste', label: 'Ménages', roles: ['org_admin', 'manager', 'staff', 'social_worker', 'caretaker'] },
  { to: '/residences', label: 'Résidences', roles: ['org_admin', 'manager'] },
  { to: '/appels', label: 'Appels', roles: ['org_admin', 'manager', 'staff', 'social_worker', 'volunteer', 'partner'] },
  { to: '/campagnes', label: 'Campagnes d’appels', roles: ['org_admin', 'manager'] },
  { to: '/suivi', label: 'Suivis', roles: ['org_admin', 'manager', 'staff', 'social_worker'] },
  { to: '/porte-a-porte', label: 'Porte-à-porte', roles: ['org_admin', 'manager', 'caretaker'] },
  { to: '/registre/import', label: 'Import ERP', roles: ['org_admin', 'manager'] },
  { to: '/admin/utilisateurs', label: 'Utilisateurs', roles: ['org_admin'] },
  { to: '/admin/messages', label: "Boîte d'envoi", roles: ['org_admin'] },
  { to: '/admin/journal', label: "Journal d'audit", roles: ['org_admin'] },
  { to: '/admin/notes', label: 'Notes à relire', roles: ['org_admin'] },
  {
    to: '/compte/securite',
    label: 'Sécurité du compte',
    roles: ['org_admin', 'manager', 'staff', 'social_worker', 'caretaker', 'volunteer', 'partner', 'federation_analyst'],
  },
  { to: '/aide', label: 'Aide', roles: ['org_admin', 'manager', 'staff', 'social_worker', 'caretaker', 'volunteer', 'partner', 'federation_analyst'] },
];

/** The one menu entry to highlight: the longest `to` that is the path or one of its parents. */
export function activeEntry(pathname: string, entries: readonly { to: string }[]): string | undefined {
  const matches = entries.filter((e) => pathname === e.to || (e.to !== '/' && pathname.startsWith(`${e.to}/`)));
  return matches.sort((a, b) => b.to.length - a.to.length)[0]?.to;
}
