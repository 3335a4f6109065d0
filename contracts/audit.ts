import { z } from 'zod';
import { callOutcomeLabels, doorstepResultLabels, needCategoryLabels } from './campaigns.ts';
import { purposeLabels } from './data-protection.ts';
import { indicatorLabels, objectionLabels } from './households.ts';
import { plural } from './plural.ts';
import { type Role, roleLabels } from './roles.ts';

/** The journal's domains, in the order the action filter shows them. */
export const auditDomains = {
  auth: 'Connexions et sécurité',
  user: 'Utilisateurs',
  household: 'Ménages',
  campaign: 'Campagnes et appels',
  registry: 'Référentiel et imports',
  access: 'Accès refusés et alertes',
  admin: 'Administration',
  solidarity: 'Solidarité (logements prêtés)',
  appointment: 'Rendez-vous en agence',
  portal: 'Espace locataire et demandes en ligne',
} as const;
export type AuditDomain = keyof typeof auditDomains;

/**
 * Every action code the server writes to `audit_events`, with its French label and domain.
 * `contracts/audit.test.ts` fails when the code writes an action missing here.
 */
export const auditActions: Record<string, { label: string; domain: AuditDomain }> = {
  'auth.signed_in': { label: 'Connexion', domain: 'auth' },
  'auth.sign_in_failed': { label: 'Échec de connexion', domain: 'auth' },
  'auth.sign_in_refused': { label: 'Connexion refusée', domain: 'auth' },
  'auth.signed_out': { label: 'Déconnexion', domain: 'auth' },
  'auth.second_factor_verified': { label: 'Double authentification validée', domain: 'auth' },
  'auth.second_factor_failed': { label: 'Code de double authentification erroné', domain: 'auth' },
  'auth.totp_enabled': { label: 'Double authentification activée', domain: 'auth' },
  'auth.recovery_code_used': { label: 'Code de secours utilisé', domain: 'auth' },
  'auth.recovery_codes_regenerated': { label: 'Nouveaux codes de secours', domain: 'auth' },
  'auth.reauthenticated': { label: 'Identité confirmée', domain: 'auth' },
  'auth.password_reset_requested': { label: 'Demande de nouveau mot de passe', domain: 'auth' },
  'auth.password_reset_suppressed': { label: 'Demande de mot de passe non envoyée', domain: 'auth' },
  'auth.password_reset': { label: 'Mot de passe changé', domain: 'auth' },
  'auth.invitation_accepted': { label: 'Invitation acceptée', domain: 'auth' },
  'user.viewed': { label: 'Compte consulté', domain: 'user' },
  'user.invited': { label: 'Utilisateur invité', domain: 'user' },
  'user.updated': { label: 'Compte modifié', domain: 'user' },
  'user.deactivated': { label: 'Compte désactivé', domain: 'user' },
  'user.reactivated': { label: 'Compte réactivé', domain: 'user' },
  'user.sessions_ended': { label: 'Sessions fermées', domain: 'user' },
  'user.invitation_resent': { label: 'Invitation renvoyée', domain: 'user' },
  'user.second_factor_reset': { label: 'Double authentification réinitialisée', domain: 'user' },
  'user.expired': { label: 'Compte arrivé à échéance', domain: 'user' },
  'household.searched': { label: 'Recherche de ménages', domain: 'household' },
  'household.exported': { label: 'Export de ménages', domain: 'household' },
  'household.viewed': { label: 'Fiche ménage consultée', domain: 'household' },
  'household.listed': { label: 'Liste de ménages consultée', domain: 'household' },
  'household.preferences_changed': { label: 'Préférences de contact modifiées', domain: 'household' },
  'household.contact_changed': { label: 'Coordonnées corrigées', domain: 'household' },
  'household.indicator_added': { label: 'Indicateur de fragilité ajouté', domain: 'household' },
  'household.indicator_removed': { label: 'Indicateur de fragilité retiré', domain: 'household' },
  'household.objection_added': { label: 'Opposition enregistrée', domain: 'household' },
  'household.objection_removed': { label: 'Opposition levée', domain: 'household' },
  'household.consent_given': { label: 'Consentement recueilli', domain: 'household' },
  'household.consent_withdrawn': { label: 'Consentement retiré', domain: 'household' },
  'household.need_added': { label: 'Besoin ajouté', domain: 'household' },
  'household.need_removed': { label: 'Besoin retiré', domain: 'household' },
  'campaign.created': { label: 'Campagne créée', domain: 'campaign' },
  'campaign.updated': { label: 'Campagne modifiée', domain: 'campaign' },
  'campaign.launched': { label: 'Campagne lancée', domain: 'campaign' },
  'campaign.paused': { label: 'Campagne mise en pause', domain: 'campaign' },
  'campaign.resumed': { label: 'Campagne reprise', domain: 'campaign' },
  'campaign.closed': { label: 'Campagne terminée', domain: 'campaign' },
  'campaign.exported': { label: 'Résultats de campagne exportés', domain: 'campaign' },
  'charter.accepted': { label: 'Charte de l’appelant acceptée', domain: 'campaign' },
  'call.claimed': { label: 'Ménage à appeler attribué', domain: 'campaign' },
  'call.recorded': { label: 'Appel enregistré', domain: 'campaign' },
  'call.released': { label: 'Appel relâché', domain: 'campaign' },
  'call.urgency': { label: 'Urgence signalée', domain: 'campaign' },
  'call.limit_reached': { label: 'Limite d’appels atteinte', domain: 'campaign' },
  'call_note.reviewed': { label: 'Note d’appel relue', domain: 'campaign' },
  'call_note.listed': { label: 'Notes à relire consultées', domain: 'campaign' },
  'followup.listed': { label: 'Liste des suivis consultée', domain: 'campaign' },
  'doorstep.listed': { label: 'Liste des passages à domicile consultée', domain: 'campaign' },
  'followup.assigned': { label: 'Suivi attribué', domain: 'campaign' },
  'followup.closed': { label: 'Suivi clos', domain: 'campaign' },
  'doorstep.recorded': { label: 'Passage à domicile enregistré', domain: 'campaign' },
  'case.listed': { label: 'Tableau des dossiers consulté', domain: 'campaign' },
  'case.read': { label: 'Dossier consulté', domain: 'campaign' },
  'case.opened': { label: 'Dossier ouvert', domain: 'campaign' },
  'case.status': { label: 'Statut d’un dossier changé', domain: 'campaign' },
  'case.closed': { label: 'Dossier clos', domain: 'campaign' },
  'case.assigned': { label: 'Dossiers attribués', domain: 'campaign' },
  'case.task_added': { label: 'Tâche ajoutée à un dossier', domain: 'campaign' },
  'case.task_done': { label: 'Tâche d’un dossier faite', domain: 'campaign' },
  'case.note_added': { label: 'Note ajoutée à un dossier', domain: 'campaign' },
  'partner.created': { label: 'Partenaire ajouté', domain: 'admin' },
  'federation.member_added': { label: 'Bailleur ajouté aux membres de la fédération', domain: 'admin' },
  'federation.member_removed': { label: 'Bailleur retiré des membres de la fédération', domain: 'admin' },
  'federation.report_text_set': { label: 'Texte d’un membre pour le rapport de la fédération', domain: 'admin' },
  'federation.agreement_set': { label: 'Indicateurs partagés avec une fédération', domain: 'admin' },
  'federation.left': { label: 'Fédération quittée', domain: 'admin' },
  'federation.preview_viewed': { label: 'Aperçu des chiffres partagés avec une fédération', domain: 'admin' },
  'federation.refresh_requested': { label: 'Recalcul des agrégats de la fédération', domain: 'admin' },
  'federation.report_generated': { label: 'Rapport de la fédération produit', domain: 'admin' },
  'partner.updated': { label: 'Partenaire modifié', domain: 'admin' },
  'partner.member_set': { label: 'Compte rattaché à un partenaire', domain: 'admin' },
  'referral.consent_recorded': { label: 'Accord du ménage pour une orientation recueilli', domain: 'household' },
  'referral.sent': { label: 'Orientation envoyée à un partenaire', domain: 'campaign' },
  'referral.listed': { label: 'Liste des orientations consultée', domain: 'campaign' },
  'referral.read': { label: 'Orientation consultée', domain: 'campaign' },
  'referral.acknowledged': { label: 'Orientation reçue par le partenaire', domain: 'campaign' },
  'referral.answered': { label: 'Orientation acceptée ou refusée', domain: 'campaign' },
  'referral.reported': { label: 'Retour du partenaire sur une orientation', domain: 'campaign' },
  'arrears.listed': { label: 'Impayés consultés (nouveaux ou aggravés depuis une date)', domain: 'household' },
  'arrears.read': { label: 'Impayés d’un ménage consultés', domain: 'household' },
  'arrears.case_opened': { label: 'Dossier « impayés » ouvert', domain: 'household' },
  'arrears.plan_created': { label: 'Plan d’apurement enregistré', domain: 'household' },
  'arrears.plan_read': { label: 'Plan d’apurement consulté', domain: 'household' },
  'arrears.compliance_checked': { label: 'Respect des plans vérifié', domain: 'household' },
  'arrears.paused': { label: 'Relances suspendues (mode crise)', domain: 'household' },
  'arrears.step_added': { label: 'Étape FSL ou garantie enregistrée', domain: 'household' },
  'arrears.fsl_summary': { label: 'Synthèse FSL téléchargée', domain: 'household' },
  'balances.previewed': { label: 'Fichier de soldes déposé (aperçu)', domain: 'registry' },
  'balances.applied': { label: 'Fichier de soldes appliqué', domain: 'registry' },
  'balances.cancelled': { label: 'Fichier de soldes abandonné', domain: 'registry' },
  'residence.caretaker_set': { label: 'Gardien·ne de résidence changé·e', domain: 'registry' },
  'registry.import_validation_started': { label: 'Import : vérification lancée', domain: 'registry' },
  'registry.import_confirmed': { label: 'Import confirmé', domain: 'registry' },
  'registry.import_applied': { label: 'Import écrit', domain: 'registry' },
  'registry.import_cancelled': { label: 'Import annulé', domain: 'registry' },
  'lending.offer_created': { label: 'Logement vacant proposé au prêt', domain: 'solidarity' },
  'lending.offer_withdrawn': { label: 'Offre de logement retirée', domain: 'solidarity' },
  'lending.request_created': { label: 'Demande de logement prêté enregistrée', domain: 'solidarity' },
  'lending.matched': { label: 'Logement prêté à une demande', domain: 'solidarity' },
  'lending.agreement_printed': { label: 'Convention d’occupation temporaire téléchargée', domain: 'solidarity' },
  'lending.keys_handed': { label: 'Clés d’un logement prêté remises', domain: 'solidarity' },
  'lending.keys_returned': { label: 'Clés d’un logement prêté rendues', domain: 'solidarity' },
  'portal.signed_in': { label: 'Connexion d’un locataire à son espace (code reçu)', domain: 'portal' },
  'portal.request_viewed': { label: 'Demande en ligne consultée', domain: 'portal' },
  'portal.request_replied': { label: 'Réponse à une demande en ligne', domain: 'portal' },
  'portal.request_noted': { label: 'Note interne sur une demande en ligne', domain: 'portal' },
  'portal.request_changed': { label: 'Demande en ligne modifiée (statut, attribution)', domain: 'portal' },
  'portal.request_case': { label: 'Demande en ligne rattachée à un suivi', domain: 'portal' },
  'portal.article_saved': { label: 'Question fréquente ou actualité de l’espace locataire enregistrée', domain: 'portal' },
  'portal.article_deleted': { label: 'Question fréquente ou actualité de l’espace locataire retirée', domain: 'portal' },
  'portal.settings_saved': { label: 'Réglages de l’espace locataire modifiés (solde affiché ou non)', domain: 'portal' },
  'portal.deadlines_saved': { label: 'Délais de réponse aux demandes modifiés', domain: 'portal' },
  'portal.documents_viewed': { label: 'Documents de l’espace locataire d’un ménage consultés', domain: 'portal' },
  'portal.document_published': { label: 'Document mis à disposition d’un ménage dans son espace locataire', domain: 'portal' },
  'portal.document_withdrawn': { label: 'Document retiré de l’espace locataire', domain: 'portal' },
  'portal.document_asked': { label: 'Document demandé à un ménage dans son espace locataire', domain: 'portal' },
  'portal.document_reviewed': { label: 'Document reçu accepté ou demandé à refaire', domain: 'portal' },
  'volunteer.signed_up': { label: 'Inscription de bénévole reçue (page publique)', domain: 'solidarity' },
  'volunteer.page_saved': { label: 'Page d’inscription des bénévoles modifiée', domain: 'solidarity' },
  'volunteer.applications_listed': { label: 'Inscriptions de bénévoles consultées', domain: 'solidarity' },
  'volunteer.accepted': { label: 'Bénévole accepté·e (invitation envoyée)', domain: 'solidarity' },
  'volunteer.declined': { label: 'Inscription de bénévole refusée', domain: 'solidarity' },
  'volunteer.training_saved': { label: 'Formation des bénévoles modifiée', domain: 'solidarity' },
  'volunteer.training_answered': { label: 'Questions de la formation répondues', domain: 'solidarity' },
  'volunteer.paused': { label: 'Bénévole en pause', domain: 'solidarity' },
  'volunteer.resumed': { label: 'Bénévole de retour', domain: 'solidarity' },
  'delivery.assigned': { label: 'Livraison confiée', domain: 'solidarity' },
  'delivery.listed': { label: 'Livraisons consultées', domain: 'solidarity' },
  'delivery.cards_read': { label: 'Fiches de livraison consultées (prénom, porte, téléphone)', domain: 'solidarity' },
  'delivery.recorded': { label: 'Résultat d’une livraison enregistré', domain: 'solidarity' },
  'distribution.created': { label: 'Distribution prévue', domain: 'solidarity' },
  'distribution.invited': { label: 'Ménages invités à une distribution', domain: 'solidarity' },
  'distribution.attendance': { label: 'Présence à une distribution notée', domain: 'solidarity' },
  'distribution.list_read': { label: 'Liste d’une distribution consultée (nom, nombre de personnes)', domain: 'solidarity' },
  'outreach.planned': { label: 'Après-midi au pied d’un immeuble prévu', domain: 'solidarity' },
  'outreach.contact_recorded': { label: 'Contact noté au pied d’un immeuble', domain: 'solidarity' },
  'help_call.planned': { label: 'Appel à l’aide par SMS simulé', domain: 'solidarity' },
  'help_call.sent': { label: 'Appel à l’aide envoyé par SMS', domain: 'solidarity' },
  'help_call.closed': { label: 'Appel à l’aide clos', domain: 'solidarity' },
  'help_call.read': { label: 'Réponses d’un appel à l’aide consultées', domain: 'solidarity' },
  'help_call.answered': { label: 'Réponse à un appel à l’aide reçue (lien ou SMS)', domain: 'solidarity' },
  'help_call.volunteer_created': { label: 'Locataire inscrit·e comme bénévole après un appel à l’aide', domain: 'solidarity' },
  'outreach.invited': { label: 'Ménages d’une résidence invités au pied de l’immeuble', domain: 'solidarity' },
  'appointment.slots_opened': { label: 'Créneaux de rendez-vous ouverts', domain: 'appointment' },
  'appointment.slot_closed': { label: 'Créneau de rendez-vous fermé (rendez-vous annulés)', domain: 'appointment' },
  'appointment.calendar_read': { label: 'Agenda des rendez-vous d’une agence consulté', domain: 'appointment' },
  'appointment.marked': { label: 'Rendez-vous noté venu ou absent', domain: 'appointment' },
  'appointment.booked': { label: 'Rendez-vous pris par le ménage', domain: 'appointment' },
  'appointment.cancelled': { label: 'Rendez-vous annulé par le ménage', domain: 'appointment' },
  'appointment.moved': { label: 'Rendez-vous déplacé par le ménage', domain: 'appointment' },
  'appointment.waitlist_joined': { label: 'Inscription sur la liste d’attente d’un créneau', domain: 'appointment' },
  'appointment.waitlist_left': { label: 'Sortie de la liste d’attente d’un créneau', domain: 'appointment' },
  'appointment.waitlist_booked': { label: 'Place libérée réservée pour le premier ménage en attente', domain: 'appointment' },
  'access.denied': { label: 'Accès refusé', domain: 'access' },
  'access.not_found': { label: 'Fiche introuvable', domain: 'access' },
  'alert.raised': { label: 'Alerte de sécurité', domain: 'access' },
  'audit.read': { label: 'Journal d’audit consulté', domain: 'admin' },
  'audit.exported': { label: 'Journal d’audit exporté', domain: 'admin' },
  'outbox.read': { label: 'Boîte d’envoi consultée', domain: 'admin' },
  'message_template.created': { label: 'Modèle de message créé', domain: 'household' },
  'message_template.updated': { label: 'Modèle de message modifié', domain: 'household' },
  'message_send.planned': { label: 'Envoi de messages simulé', domain: 'household' },
  'message_send.confirmed': { label: 'Envoi de messages confirmé', domain: 'household' },
  'message_send.approved': { label: 'Envoi de plus de 1 000 messages validé (seconde personne)', domain: 'household' },
  'campaign.ladder_set': { label: 'Échelle de relance d’une campagne réglée (SMS)', domain: 'campaign' },
  'message_letters.downloaded': { label: 'Courriers d’un envoi téléchargés (PDF)', domain: 'household' },
  'privacy.request_recorded': { label: 'Demande sur les données enregistrée (accès, effacement, opposition)', domain: 'admin' },
  'privacy.exported': { label: 'Données d’une personne exportées (droit d’accès)', domain: 'admin' },
  'privacy.request_answered': { label: 'Demande de droit d’accès répondue', domain: 'admin' },
  'privacy.request_refused': { label: 'Effacement ou opposition refusé, avec son motif', domain: 'admin' },
  'retention.rule_changed': { label: 'Durée de conservation modifiée', domain: 'admin' },
  'retention.purged': { label: 'Purge des données expirées', domain: 'admin' },
  'privacy.erasure_previewed': { label: 'Aperçu d’un effacement ou d’une opposition consulté', domain: 'admin' },
  'privacy.erasure_executed': { label: 'Effacement exécuté (données effacées ou limitées)', domain: 'admin' },
  'privacy.objection_executed': { label: 'Opposition exécutée', domain: 'admin' },
  'privacy.letter_downloaded': { label: 'Lettre de réponse (effacement, opposition) téléchargée', domain: 'admin' },
  'reporting.exported': { label: 'Tableau de bord exporté (CSV, XLSX ou bilan PDF)', domain: 'admin' },
  'breach.exported': { label: 'Accès d’un utilisateur exportés (violation de données)', domain: 'admin' },
};

/** The French label of an action code (the code itself for an unknown one, never blank). */
export const auditActionLabel = (action: string) => auditActions[action]?.label ?? action;

/**
 * Who did it, in words, when no staff account did: Lien itself (`system`) or a tenant in the
 * tenant portal (`tenant`: tenants have no account, their actions carry no user). The staff
 * member's name otherwise; null when nobody is known.
 */
export function auditActorLabel(e: { actorName: string | null; actorRole: string | null }): string | null {
  if (e.actorName) return e.actorName;
  if (e.actorRole === 'system') return 'Lien (automatique)';
  if (e.actorRole === 'tenant') return 'Locataire (espace locataire)';
  // A volunteer's sign-up form, an answer to a call for help by its link or SMS, a STOP reply.
  if (e.actorRole === 'public') return 'Sans compte (formulaire, lien ou SMS)';
  return null;
}

/** The action filter's options, grouped by domain (Mantine's grouped select shape). */
export const auditActionGroups = (Object.keys(auditDomains) as AuditDomain[]).map((domain) => ({
  group: auditDomains[domain],
  items: Object.entries(auditActions)
    .filter(([, a]) => a.domain === domain)
    .map(([value, a]) => ({ value, label: a.label })),
}));

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
const str = (v: unknown) => (typeof v === 'string' ? v : null);
/** « (12 ménages) » for a read that lists the households it showed. */
const shown = (d: Record<string, unknown>) => (Array.isArray(d.householdIds) ? ` (${plural(d.householdIds.length, 'ménage', 'ménages')})` : '');
const label = (table: Record<string, string>, v: unknown) => (typeof v === 'string' ? (table[v] ?? v) : null);
const role = (v: unknown) => label(roleLabels as Record<Role, string>, v);

const signInStages: Record<string, string> = {
  second_factor: 'code de double authentification demandé',
  enrolment: 'double authentification à activer',
  active: 'session ouverte',
};
const userStatuses: Record<string, string> = { inactive: 'compte désactivé', invited: 'invitation pas encore acceptée', active: 'compte actif' };
const contactKinds: Record<string, string> = { mobile: 'un téléphone mobile', landline: 'un téléphone fixe', email: 'une adresse e-mail' };
const limitKinds: Record<string, string> = { release: 'ménages relâchés', claim: 'ménages demandés' };
const reviewDecisions: Record<string, string> = { kept: 'conservée', redacted: 'masquée' };
const secondFactorMethods: Record<string, string> = { totp: 'code de l’application', recovery_code: 'code de secours' };
const routeOf = (d: Record<string, unknown>) => (str(d.route) ? ` (${str(d.method) ?? ''} ${str(d.route)})`.replace('( ', '(') : '');

/** What an event is about, as the sentence names it: « du ménage Dupont (M1-000298) ». */
export type AuditSentenceInput = { action: string; objectType: string | null; objectName: string | null; details: Record<string, unknown> };

/**
 * The event as a French sentence (the actor is shown in its own column): « a consulté la fiche
 * du ménage Dupont (M1-000298) ». Built from the action and its structured details only — the
 * journal never holds note contents (TRUST DP-11) and the sentence never shows raw JSON.
 */
export function describeAuditEvent(e: AuditSentenceInput): string {
  const d = e.details ?? {};
  const name = e.objectName;
  const household = name ? `du ménage ${name}` : 'd’un ménage';
  const ofUser = name ? ` de ${name}` : '';
  const campaign = name ? `la campagne « ${name} »` : 'une campagne';
  const importName = name ? `l’import « ${name} »` : 'un import';
  switch (e.action) {
    case 'auth.signed_in':
      return `s’est connecté·e${str(d.stage) ? ` (${signInStages[String(d.stage)] ?? d.stage})` : ''}`;
    case 'auth.sign_in_failed':
      return `connexion refusée${ofUser ? ` au compte${ofUser}` : ''} (mot de passe incorrect)`;
    case 'auth.sign_in_refused':
      return `connexion refusée${ofUser ? ` au compte${ofUser}` : ''}${str(d.status) ? ` (${userStatuses[String(d.status)] ?? d.status})` : ''}`;
    case 'auth.signed_out':
      return 's’est déconnecté·e';
    case 'auth.second_factor_verified':
      return `a validé la double authentification${str(d.method) ? ` (${secondFactorMethods[String(d.method)] ?? d.method})` : ''}`;
    case 'auth.second_factor_failed':
      return 'a saisi un code de double authentification erroné';
    case 'auth.totp_enabled':
      return `a activé la double authentification${num(d.recoveryCodes) !== null ? ` (${plural(num(d.recoveryCodes) as number, 'code de secours remis', 'codes de secours remis')})` : ''}`;
    case 'auth.recovery_code_used': {
      const left = num(d.remaining);
      return `a utilisé un code de secours${left !== null ? ` (${left <= 1 ? `il en reste ${left}` : `il en reste ${left}`})` : ''}`;
    }
    case 'auth.recovery_codes_regenerated':
      return 'a créé de nouveaux codes de secours (les précédents ne fonctionnent plus)';
    case 'auth.reauthenticated':
      return 'a confirmé son identité avant une action sensible';
    case 'auth.password_reset_requested':
      return `lien de nouveau mot de passe envoyé${ofUser ? ` à ${name}` : ''}`;
    case 'auth.password_reset_suppressed':
      return `demande de nouveau mot de passe${ofUser ? ` pour ${name}` : ''} non envoyée (trop de demandes en une heure)`;
    case 'auth.password_reset':
      return 'a choisi un nouveau mot de passe';
    case 'auth.invitation_accepted':
      return 'a accepté son invitation et choisi un mot de passe';
    case 'user.viewed':
      return `a consulté le compte${ofUser || ' d’un utilisateur'}`;
    case 'user.invited':
      return `a invité ${name ?? 'un utilisateur'}${role(d.role) ? ` (${role(d.role)})` : ''}`;
    case 'user.updated': {
      const before = (d.before ?? {}) as Record<string, unknown>;
      const after = (d.after ?? {}) as Record<string, unknown>;
      const changes: string[] = [];
      if (before.role !== after.role && after.role) changes.push(`rôle ${role(before.role) ?? '—'} → ${role(after.role)}`);
      const agencies = (v: unknown) => (Array.isArray(v) ? [...v].sort().join(',') : '');
      if (agencies(before.agencyIds) !== agencies(after.agencyIds)) changes.push('agences modifiées');
      if ((before.endDate ?? null) !== (after.endDate ?? null))
        changes.push(after.endDate ? `fin d’accès le ${frenchDay(String(after.endDate))}` : 'fin d’accès retirée');
      return `a modifié le compte${ofUser || ' d’un utilisateur'}${changes.length ? ` : ${changes.join(', ')}` : ''}`;
    }
    case 'user.deactivated':
      return `a désactivé le compte${ofUser || ' d’un utilisateur'}${num(d.sessionsEnded) ? ` (${plural(num(d.sessionsEnded) as number, 'session fermée', 'sessions fermées')})` : ''}`;
    case 'user.reactivated':
      return `a réactivé le compte${ofUser || ' d’un utilisateur'}`;
    case 'user.sessions_ended':
      return `a fermé les sessions${ofUser || ' d’un utilisateur'}${num(d.sessionsEnded) !== null ? ` (${plural(num(d.sessionsEnded) as number, 'session', 'sessions')})` : ''}`;
    case 'user.invitation_resent':
      return `a renvoyé l’invitation${ofUser ? ` à ${name}` : ''}`;
    case 'user.second_factor_reset':
      return `a réinitialisé la double authentification${ofUser || ' d’un utilisateur'}`;
    case 'user.expired':
      return `compte${ofUser} arrivé à sa date de fin d’accès, désactivé automatiquement`;
    case 'household.searched':
      return `a cherché un ménage${num(d.results) !== null ? ` (${plural(num(d.results) as number, 'résultat', 'résultats')})` : ''}`;
    case 'household.exported':
      return `a exporté ${plural(num(d.rows) ?? 0, 'ménage', 'ménages')}${str(d.format) ? ` (${String(d.format).toUpperCase()})` : ''}`;
    case 'household.viewed':
      return `a consulté la fiche ${household}`;
    case 'household.listed':
      return `a consulté une liste de ménages${shown(d)}`;
    case 'household.preferences_changed':
      return `a modifié les préférences de contact ${household}`;
    case 'household.contact_changed':
      return `a corrigé ${contactKinds[String(d.kind)] ?? 'des coordonnées'} ${household}`;
    case 'household.indicator_added':
      return `a ajouté l’indicateur « ${label(indicatorLabels, d.kind) ?? 'fragilité'} » ${household}`;
    case 'household.indicator_removed': {
      const old = (d.old ?? {}) as Record<string, unknown>;
      return `a retiré l’indicateur « ${label(indicatorLabels, old.kind ?? d.kind) ?? 'fragilité'} » ${household}`;
    }
    case 'household.objection_added':
      return `a enregistré l’opposition « ${label(objectionLabels, d.kind) ?? 'opposition'} » ${household}${d.via === 'sms_reply' ? ' (réponse STOP à un SMS)' : ''}`;
    case 'household.objection_removed':
      return `a levé l’opposition « ${label(objectionLabels, d.kind) ?? 'opposition'} » ${household}`;
    case 'household.consent_given':
      return `a recueilli le consentement ${household}`;
    case 'household.consent_withdrawn':
      return `a enregistré le retrait du consentement ${household}${num(d.needsDeleted) ? ` (${plural(num(d.needsDeleted) as number, 'besoin effacé', 'besoins effacés')})` : ''}`;
    case 'household.need_added':
      return `a ajouté le besoin « ${label(needCategoryLabels, d.category) ?? 'besoin'} » ${household}`;
    case 'household.need_removed':
      return `a retiré le besoin « ${label(needCategoryLabels, d.category) ?? 'besoin'} » ${household}`;
    case 'campaign.created':
      return `a créé ${campaign}${num(d.callers) !== null ? ` (${plural(num(d.callers) as number, 'appelant', 'appelants')})` : ''}`;
    case 'campaign.updated':
      return `a modifié ${campaign}${num(d.callers) !== null ? ` (${plural(num(d.callers) as number, 'appelant', 'appelants')})` : ''}`;
    case 'campaign.launched':
      return `a lancé ${campaign}${num(d.excludedNoCall) ? ` (${plural(num(d.excludedNoCall) as number, 'ménage écarté', 'ménages écartés')} pour « Ne pas appeler »)` : ''}`;
    case 'campaign.paused':
      return `a mis en pause ${campaign}`;
    case 'campaign.resumed':
      return `a repris ${campaign}`;
    case 'campaign.closed':
      return `a terminé ${campaign}`;
    case 'campaign.exported':
      return `a exporté les résultats de ${campaign}`;
    case 'charter.accepted':
      return `a accepté la charte de l’appelant${str(d.version) ? ` (version ${d.version})` : ''}`;
    case 'call.claimed':
      return `a reçu ${name ? `le ménage ${name}` : 'un ménage'} à appeler${d.again ? ' (appel repris)' : ''}`;
    case 'call.recorded': {
      const parts = [label(callOutcomeLabels, d.outcome)];
      if (num(d.needs)) parts.push(plural(num(d.needs) as number, 'besoin ouvert', 'besoins ouverts'));
      if (d.urgent) parts.push('urgent');
      return `a enregistré un appel ${name ? `au ménage ${name}` : 'à un ménage'}${parts.filter(Boolean).length ? ` : ${parts.filter(Boolean).join(', ')}` : ''}`;
    }
    case 'call.released':
      return `a relâché ${name ? `le ménage ${name}` : 'un ménage'} sans l’appeler`;
    case 'call.urgency':
      return `a signalé une urgence pour le ménage ${name ?? ''}`.trimEnd();
    case 'call.limit_reached':
      return `limite atteinte${num(d.limit) !== null ? ` : ${num(d.limit)} ${limitKinds[String(d.kind)] ?? ''}`.trimEnd() : ''}, pause imposée`;
    case 'call_note.reviewed':
      return `a relu une note d’appel${str(d.decision) ? ` (${reviewDecisions[String(d.decision)] ?? d.decision})` : ''}`;
    case 'call_note.listed':
      return `a consulté les notes à relire${shown(d)}`;
    case 'followup.listed':
      return `a consulté la liste des suivis${shown(d)}`;
    case 'doorstep.listed':
      return `a consulté la liste des passages à domicile${shown(d)}`;
    case 'followup.assigned':
      return `a attribué un suivi${name ? ` du ménage ${name}` : ''}${str(d.toName) ? ` à ${d.toName}` : d.to === null ? ' (attribution retirée)' : ''}`;
    case 'followup.closed':
      return `a clos un suivi${name ? ` du ménage ${name}` : ''}`;
    case 'case.listed':
      return `a consulté le tableau des dossiers${shown(d)}`;
    case 'case.read':
      return 'a consulté un dossier';
    case 'case.opened':
      return 'a ouvert un dossier';
    case 'case.status':
      return 'a changé le statut d’un dossier';
    case 'case.closed':
      return 'a clos un dossier';
    case 'case.assigned':
      return `a attribué ${plural(num(d.cases) ?? 0, 'dossier', 'dossiers')}${d.to === null ? ' (attribution retirée)' : ''}`;
    case 'case.task_added':
      return 'a ajouté une tâche à un dossier';
    case 'case.task_done':
      return 'a marqué faite une tâche d’un dossier';
    case 'case.note_added':
      return 'a ajouté une note à un dossier';
    case 'doorstep.recorded':
      return `a enregistré un passage au domicile ${household}${str(d.result) ? ` : ${label(doorstepResultLabels, d.result)}` : ''}`;
    case 'residence.caretaker_set':
      return `a changé le ou la gardien·ne de ${name ? `la résidence ${name}` : 'une résidence'}${str(d.toName) ? ` (désormais ${d.toName})` : d.to === null ? ' (aucun·e désormais)' : ''}`;
    case 'registry.import_validation_started':
      return `a lancé la vérification de ${importName}`;
    case 'registry.import_confirmed':
      return `a confirmé ${importName}${d.validOnly ? ' (lignes valides seulement)' : ''}`;
    case 'registry.import_applied': {
      const total = Object.values(d).reduce<number>((sum, v) => sum + (num(v) ?? 0), 0);
      return `${importName} a été écrit${total ? ` (${plural(total, 'enregistrement', 'enregistrements')})` : ''}`.replace(/^l’/, 'L’').replace(/^un /, 'Un ');
    }
    case 'registry.import_cancelled':
      return `a annulé ${importName}`;
    case 'access.denied':
      return `accès refusé à une page hors de ses droits${routeOf(d)}`;
    case 'access.not_found':
      return `a demandé une fiche introuvable ou d’un autre organisme${routeOf(d)}`;
    case 'alert.raised':
      return `alerte : ${plural(num(d.denied) ?? 0, 'refus', 'refus')} en ${plural(num(d.windowMinutes) ?? 0, 'minute', 'minutes')}${name ? ` pour le compte de ${name}` : ''}`;
    case 'audit.read':
      return 'a consulté le journal d’audit';
    case 'audit.exported':
      return `a exporté le journal d’audit${num(d.rows) !== null ? ` (${plural(num(d.rows) as number, 'ligne', 'lignes')})` : ''}`;
    case 'outbox.read':
      return 'a consulté la boîte d’envoi';
    case 'message_template.created':
      return 'a créé un modèle de message';
    case 'message_template.updated':
      return 'a modifié un modèle de message';
    case 'message_send.planned':
      return `a simulé un envoi de messages${num(d.recipients) !== null ? ` (${plural(num(d.recipients) as number, 'destinataire')})` : ''}`;
    case 'message_send.confirmed':
      return `a confirmé un envoi de messages${num(d.recipients) !== null ? ` (${plural(num(d.recipients) as number, 'destinataire')})` : ''}`;
    case 'message_send.approved':
      return 'a validé un envoi de plus de 1 000 messages';
    case 'campaign.ladder_set':
      return 'a réglé les SMS de relance d’une campagne';
    case 'message_letters.downloaded':
      return `a téléchargé les courriers d’un envoi${num(d.letters) !== null ? ` (${plural(num(d.letters) as number, 'courrier')})` : ''}`;
    case 'privacy.request_recorded':
      return `a enregistré une demande ${d.kind === 'erasure' ? 'd’effacement' : d.kind === 'objection' ? 'd’opposition' : 'de droit d’accès'}${ofUser}${str(d.receivedOn) ? ` reçue le ${frenchDay(String(d.receivedOn))}` : ''}`;
    case 'privacy.exported':
      return `a exporté les données${ofUser || ' d’une personne'} (droit d’accès)${str(d.format) ? ` en ${String(d.format).toUpperCase()}` : ''}`;
    case 'privacy.request_answered':
      return `a marqué comme répondue la demande de droit d’accès${ofUser}`;
    case 'privacy.request_refused':
      return `a refusé la demande ${d.kind === 'objection' ? 'd’opposition' : 'd’effacement'}${ofUser}`;
    case 'retention.rule_changed':
      return `a changé la durée de conservation${str(d.purpose) ? ` « ${label(purposeLabels, d.purpose)} »` : ''}${num(d.months) !== null ? ` : ${plural(num(d.months) as number, 'mois', 'mois')}` : ''}`;
    case 'retention.purged':
      return `purge des données expirées : ${plural(num(d.total) ?? 0, 'purgé', 'purgés')}`;
    case 'privacy.erasure_previewed':
      return `a consulté l’aperçu d’un effacement ou d’une opposition${ofUser}`;
    case 'privacy.erasure_executed':
      return `a exécuté l’effacement des données${ofUser || ' d’une personne'}${
        d.deleted && typeof d.deleted === 'object'
          ? ` (${plural(
              Object.values(d.deleted as Record<string, number>).reduce((a, b) => a + b, 0),
              'ligne effacée',
              'lignes effacées',
            )})`
          : ''
      }`;
    case 'privacy.objection_executed':
      return `a exécuté l’opposition${ofUser}`;
    case 'privacy.letter_downloaded':
      return `a téléchargé la lettre de réponse${ofUser}`;
    case 'breach.exported':
      return `a exporté les ménages consultés${ofUser || ' par un utilisateur'}${num(d.households) !== null ? ` (${plural(num(d.households) as number, 'ménage', 'ménages')})` : ''}`;
    default:
      return `${auditActionLabel(e.action)}${name ? ` — ${name}` : ''}`;
  }
}

/** « 29 nov. 2026 » for a date-only value (YYYY-MM-DD). */
function frenchDay(day: string): string {
  const date = new Date(`${day.slice(0, 10)}T12:00:00Z`);
  return Number.isNaN(date.getTime())
    ? day
    : new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Paris' }).format(date);
}

/** « 29 nov. 2026 à 21:14 », Europe/Paris, for the journal and its export. */
export function frenchDateTime(iso: string): string {
  const date = new Date(iso);
  const day = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Paris' }).format(date);
  const time = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).format(date);
  return `${day} à ${time}`;
}

/** Filters of the journal (in a POST body, never in the URL). `to` is exclusive. */
export const auditFilters = z.strictObject({
  action: z.string().max(100).optional(),
  actorId: z.string().uuid().optional(),
  objectId: z.string().uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type AuditFilters = z.infer<typeof auditFilters>;

/** Keyset cursor: the last row shown, newest first on (at, id). */
export const auditCursor = z.strictObject({ at: z.iso.datetime({ offset: true }), id: z.string().uuid() });

export const auditQueryBody = auditFilters.extend({
  limit: z.number().int().min(1).max(200).default(50),
  after: auditCursor.optional(),
});

/** One entry of the journal, readable: label, named object, sentence. */
export const auditEvent = z.object({
  id: z.string().uuid(),
  at: z.string(),
  actorId: z.string().uuid().nullable(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  actionLabel: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().uuid().nullable(),
  objectName: z.string().nullable(),
  summary: z.string(),
  ip: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof auditEvent>;

/** Most rows counted before the page says « plus de N ». */
export const AUDIT_COUNT_CAP = 10_000;

export const auditPage = z.object({
  events: z.array(auditEvent),
  /** Rows matching the filters, up to AUDIT_COUNT_CAP; `totalCapped` when there are more. */
  total: z.number().int(),
  totalCapped: z.boolean(),
  next: auditCursor.nullable(),
});
export type AuditPage = z.infer<typeof auditPage>;
