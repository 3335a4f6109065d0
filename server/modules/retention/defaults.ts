/**
 * The default retention rule of each purpose (TRUST DP-02), used by an organisation until its
 * DPO changes it. Sources: the CNIL's framework for social housing (AU-2014-124, as issue 13
 * quotes it: fragility data deleted when the follow-up ends or consent is withdrawn, arrears data
 * kept while the purpose lasts, audit trail six to twelve months) and, for the rest, the choices
 * documented in docs/aipd/conservation.md.
 */
import type { Purpose } from '../../../contracts/data-protection.ts';
import type { EndKind } from '../../../contracts/retention.ts';

export type Rule = { endKind: EndKind; months: number };

export type DefaultRule = Rule & { basis: string };

export const defaultRules: Record<Purpose, DefaultRule> = {
  fragility_register: {
    endKind: 'end_of_followup',
    months: 0,
    basis: 'AU-2014-124 : les données de fragilité sont supprimées à la fin du suivi ou au retrait du consentement.',
  },
  referral: {
    endKind: 'end_of_followup',
    months: 0,
    basis: 'Comme le registre des fragilités : l’orientation finit avec le suivi (aucune donnée propre aujourd’hui).',
  },
  arrears: {
    endKind: 'purpose_lasts',
    months: 36,
    basis: 'AU-2014-124 : tant que dure la finalité ; après le départ du ménage, trois ans (prescription des loyers, loi du 6 juillet 1989, art. 7-1).',
  },
  rental_management: {
    endKind: 'purpose_lasts',
    months: 60,
    basis: 'Tant que dure le bail ; après le départ, cinq ans (prescription civile, code civil art. 2224), puis anonymisation.',
  },
  campaign: {
    endKind: 'fixed',
    months: 12,
    basis: 'Choix documenté : un an d’appels, de réponses libres, de notes et de visites, pour comparer une saison à la suivante.',
  },
  security: {
    endKind: 'fixed',
    months: 12,
    basis: 'AU-2014-124 : journal d’audit de six à douze mois, réglable ; douze mois par défaut.',
  },
  service_operation: {
    endKind: 'fixed',
    months: 3,
    basis: 'Choix documenté : trois mois pour les messages envoyés et les fichiers d’import terminés (le temps de traiter une réclamation).',
  },
  portal: {
    endKind: 'purpose_lasts',
    months: 12,
    basis:
      'Choix documenté : un an après la fin de ce que la donnée sert (la clôture d’une demande de l’espace locataire, avec ses échanges, documents joints et notes internes ; le rendez-vous à l’agence passé).',
  },
};
