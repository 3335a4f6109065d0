import type { ImportRun } from '../../../contracts/imports.ts';

export const statusLabels: Record<ImportRun['status'], string> = {
  staged: 'À vérifier',
  validating: 'Simulation en cours',
  previewed: 'Prêt à importer',
  applying: 'Écriture en cours',
  applied: 'Importé',
  failed: 'Échec',
  cancelled: 'Abandonné',
};

/** Purposes of a tenant's recorded consent. */
export const consentPurposeLabels: Record<string, string> = {
  health_needs: 'Besoins de santé ou de handicap',
  regular_watch: 'Veille régulière',
  referral: 'Orientation vers un partenaire',
  referral_health: 'Orientation : précisions de santé (consentement explicite)',
};

export const consentChannelLabels: Record<string, string> = {
  phone: 'par téléphone',
  in_person: 'en personne',
  letter: 'par courrier',
  portal: 'sur le portail',
};

/** Categories of a declared need. */
export const needCategoryLabels: Record<string, string> = {
  health: 'Santé',
  disability: 'Handicap',
  daily_life: 'Vie quotidienne',
  social: 'Social',
  other: 'Autre',
};
