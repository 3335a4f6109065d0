/**
 * Everything the purge may remove, gathered from the tables' owners (each names only its own
 * tables), in the order it runs: follow-ups before the calls they rest on, visits and calls
 * before their queue entries, enrolments before their consents, a household's contacts, people
 * and lease before the household itself (found by its not-yet-anonymised reference), the
 * answered requests about data, the audit trail last. The coverage test (retention.test.ts) fails when a table holding personal data is
 * neither here nor in `notPurged` with its reason.
 */

import { auditPurgeTargets } from '../../platform/audit/audit.purge.ts';
import { authPurgeTargets } from '../../platform/auth/auth.purge.ts';
import type { PurgeTarget } from '../../platform/db/purge.ts';
import type { TableName } from '../../platform/db/tables.ts';
import { outboxPurgeTargets } from '../../platform/outbox/outbox.purge.ts';
import { appointmentsPurgeTargets } from '../appointments/index.ts';
import { arrearsPurgeTargets } from '../arrears/index.ts';
import { callsPurgeTargets } from '../calls/index.ts';
import { doorstepPurgeTargets } from '../doorstep/index.ts';
import { followupsPurgeTargets } from '../followups/index.ts';
import { identityPurgeTargets } from '../identity/index.ts';
import { messagingPurgeTargets } from '../messaging/index.ts';
import { partnersPurgeTargets } from '../partners/index.ts';
import { portalPurgeTargets } from '../portal/index.ts';
import { privacyPurgeTargets } from '../privacy/index.ts';
import { registryPurgeTargets } from '../registry/index.ts';
import { solidarityPurgeTargets } from '../solidarity/index.ts';

export const purgeTargets: readonly PurgeTarget[] = [
  ...appointmentsPurgeTargets,
  ...portalPurgeTargets,
  ...solidarityPurgeTargets,
  ...partnersPurgeTargets,
  ...messagingPurgeTargets,
  ...followupsPurgeTargets,
  ...doorstepPurgeTargets,
  ...callsPurgeTargets,
  ...arrearsPurgeTargets,
  ...registryPurgeTargets,
  ...outboxPurgeTargets,
  ...authPurgeTargets,
  ...identityPurgeTargets,
  ...privacyPurgeTargets,
  ...auditPurgeTargets,
];

/** Tables with personal data that the purge leaves alone, each with the reason (in French, for the DPIA file). */
export const notPurged: Partial<Record<TableName, string>> = {
  users: 'comptes des salarié·es et bénévoles du bailleur : désactivés puis supprimés par l’administration des comptes',
  user_agencies: 'rattachement des comptes du bailleur à leurs agences, supprimé avec le compte',
  residences: 'la résidence (bâtiment) ; la ou le gardien·ne désigné·e est un compte du bailleur',
  campaigns: 'réglages d’une campagne (auteur : un compte du bailleur), sans ménage',
  campaign_callers: 'appelant·es d’une campagne (comptes du bailleur)',
  campaign_caller_events: 'prises et rendus d’appels, effacés au bout d’un jour par la maintenance de chaque minute',
  charter_acceptances: 'preuve de l’engagement de confidentialité de l’appelant·e, gardée tant que son compte existe',
  auth_throttle: 'compteurs d’échecs de connexion sans organisme, oubliés au bout de la fenêtre glissante',
  campaign_message_steps: 'réglage d’une campagne (modèle de chaque relance ; auteur : un compte du bailleur), sans ménage, supprimé avec la campagne',
  portal_articles: 'questions fréquentes et actualités écrites par le bailleur (auteur : un compte du bailleur), sans ménage',
  message_templates: 'modèles de messages écrits par le bailleur (auteur : un compte du bailleur), sans ménage',
  partner_members: 'rattachement d’un compte « partenaire » à son organisme, supprimé avec le compte',
  sms_opt_outs:
    'un numéro qui a répondu STOP ne doit plus jamais recevoir de SMS de l’organisme : le garder est la seule façon de respecter sa demande (numéro seul, sans nom)',
  lendings: 'prêt de logement (auteur : un compte du bailleur) : supprimé avec sa demande, que la purge des demandes terminées supprime',
  lending_offer_units:
    'logement d’une offre de prêt (gardien·ne et référent·e : comptes) : supprimé avec son offre, que la purge des offres terminées supprime',
  volunteer_profiles: 'parcours d’un compte bénévole (formation, pause) : supprimé avec le compte',
  volunteer_trainings: 'formation écrite par le bailleur ; l’auteur est un compte du bailleur',
  distributions: 'distribution (jour, lieu, partenaire ; auteur : un compte du bailleur) ; ses invitations sont purgées',
  outreach_events: 'après-midi au pied d’un immeuble (résidence, jour ; présents : comptes du bailleur) ; ses contacts sont purgés',
  objections:
    'une opposition (« ne pas appeler ») doit être respectée tant que le ménage est au registre ; après son départ, elle ne désigne plus qu’un ménage anonymisé',
};
