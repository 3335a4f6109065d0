import { rolesWith } from '../../platform/auth/abilities.ts';

/**
 * The confidentiality charter every volunteer and partner caller accepts before a first call
 * (TRUST DP-08). A new version must be accepted again.
 */
export const CHARTER_VERSION = '2026-11';

export const charterText = `Charte de confidentialité des appelant·es bénévoles et partenaires

En appelant des locataires pour le compte du bailleur, je m'engage à :
1. Ne parler de ce que j'apprends qu'aux équipes du bailleur, par Lien, et à personne d'autre (ni famille, ni réseaux sociaux).
2. Ne rien noter ni copier en dehors de Lien : pas de capture d'écran, pas de carnet, pas de fichier.
3. Ne pas chercher à en savoir plus que ce que l'appel demande : je ne vois qu'un prénom, un numéro et le script.
4. Ne jamais noter d'information de santé dans une note ; un besoin de santé se note seulement avec l'accord du locataire.
5. Respecter le refus d'un locataire et ne pas le rappeler de mon propre chef.
6. En cas de danger, suivre la consigne d'urgence affichée (15, 112, astreinte de l'agence) et le signaler dans Lien.
7. Mon accès est personnel, limité aux campagnes qui me sont confiées, et prend fin à la date prévue.

Ces engagements valent pendant et après ma mission.`;

/** Roles that must accept the charter before calling: those with the `calls.restricted` ability. */
export const charterRoles = rolesWith('calls.restricted');
