import type { Ability } from '../../contracts/abilities.ts';

/** Entries of the main menu; each user sees those whose ability the server gives them (none needed: everyone). */
export const navigation: { to: string; label: string; ability?: Ability }[] = [
  { to: '/', label: 'Accueil' },
  { to: '/menages', label: 'Rechercher un ménage', ability: 'households.read' },
  { to: '/menages/liste', label: 'Ménages', ability: 'households.read' },
  { to: '/residences', label: 'Résidences', ability: 'residences.manage' },
  { to: '/appels', label: 'Appels', ability: 'calls.make' },
  { to: '/campagnes', label: 'Campagnes d’appels', ability: 'campaigns.manage' },
  { to: '/demandes', label: 'Demandes des locataires', ability: 'followups.work' },
  { to: '/espace-locataire', label: 'Espace locataire', ability: 'portal.publish' },
  { to: '/dossiers', label: 'Dossiers', ability: 'followups.work' },
  { to: '/suivi', label: 'Suivis', ability: 'followups.work' },
  { to: '/orientations', label: 'Orientations', ability: 'referrals.send' },
  { to: '/orientations', label: 'Orientations reçues', ability: 'referrals.receive' },
  { to: '/impayes', label: 'Impayés', ability: 'arrears.work' },
  { to: '/rendez-vous', label: 'Rendez-vous', ability: 'appointments.work' },
  { to: '/tableaux-de-bord', label: 'Tableaux de bord', ability: 'reports.view' },
  { to: '/messages', label: 'Messages', ability: 'messages.send' },
  { to: '/porte-a-porte', label: 'Porte-à-porte', ability: 'doorstep.visit' },
  { to: '/logements-pretes', label: 'Logements prêtés', ability: 'lending.request' },
  { to: '/livraisons', label: 'Mes livraisons', ability: 'deliveries.deliver' },
  { to: '/livraisons/suivi', label: 'Livraisons', ability: 'deliveries.manage' },
  { to: '/distributions', label: 'Distributions', ability: 'distributions.manage' },
  { to: '/distributions', label: 'Distributions', ability: 'distributions.partner' },
  { to: '/au-pied-des-immeubles', label: 'Au pied des immeubles', ability: 'outreach.work' },
  { to: '/benevoles', label: 'Bénévoles', ability: 'volunteers.manage' },
  { to: '/appels-a-l-aide', label: 'Appels à l’aide', ability: 'volunteers.manage' },
  { to: '/mon-benevolat', label: 'Mon bénévolat', ability: 'volunteers.self' },
  { to: '/registre/import', label: 'Import ERP', ability: 'imports.run' },
  { to: '/federation', label: 'Fédération', ability: 'federation.analyse' },
  { to: '/admin/utilisateurs', label: 'Utilisateurs', ability: 'users.manage' },
  { to: '/admin/partenaires', label: 'Partenaires', ability: 'partners.manage' },
  { to: '/admin/messages', label: "Boîte d'envoi", ability: 'audit.read' },
  { to: '/admin/journal', label: "Journal d'audit", ability: 'audit.read' },
  { to: '/admin/notes', label: 'Notes à relire', ability: 'notes.review' },
  { to: '/admin/donnees', label: 'Protection des données', ability: 'privacy.manage' },
  { to: '/compte/securite', label: 'Sécurité du compte' },
  { to: '/aide', label: 'Aide' },
];

/** The one menu entry to highlight: the longest `to` that is the path or one of its parents. */
export function activeEntry(pathname: string, entries: readonly { to: string }[]): string | undefined {
  const matches = entries.filter((e) => pathname === e.to || (e.to !== '/' && pathname.startsWith(`${e.to}/`)));
  return matches.sort((a, b) => b.to.length - a.to.length)[0]?.to;
}
