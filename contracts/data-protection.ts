/**
 * Data protection vocabulary (TRUST DP-01): the data class and the purpose of every stored
 * column. Codes in English for the code; the French labels below are the ones the DPO reads
 * (data inventory of docs/aipd/, and the DPO's screens to come).
 */

/** How sensitive a column is, from least to most. */
export const dataClasses = ['public', 'internal', 'personal', 'social_sensitive', 'art9_health'] as const;

/** One data class. */
export type DataClass = (typeof dataClasses)[number];

/** Why a column is collected and kept. */
export const purposes = ['rental_management', 'arrears', 'fragility_register', 'campaign', 'referral', 'portal', 'security', 'service_operation'] as const;

/** One purpose. */
export type Purpose = (typeof purposes)[number];

/** French labels of the data classes, for the DPO. */
export const dataClassLabels: Record<DataClass, string> = {
  public: 'Publique',
  internal: 'Interne',
  personal: 'Donnée personnelle',
  social_sensitive: 'Donnée sociale sensible',
  art9_health: 'Santé ou handicap (art. 9 RGPD)',
};

/** What each data class covers, in French, for the inventory's legend. */
export const dataClassDescriptions: Record<DataClass, string> = {
  public: 'information publique (nom d’une résidence, quartier prioritaire…)',
  internal: 'donnée de fonctionnement du bailleur, sans personne identifiable (identifiants techniques, réglages, statuts)',
  personal: 'donnée qui se rapporte à une personne identifiée ou identifiable (locataire, occupant·e ou salarié·e), y compris son identifiant',
  social_sensitive:
    'donnée personnelle qui révèle une fragilité sociale ou dont la divulgation nuirait à la personne (isolement, fragilité financière, notes libres, impayés)',
  art9_health: 'donnée de santé ou de handicap, catégorie particulière de l’article 9 du RGPD (consentement explicite requis)',
};

/** French labels of the purposes, for the DPO. */
export const purposeLabels: Record<Purpose, string> = {
  rental_management: 'Gestion locative',
  arrears: 'Prévention et suivi des impayés',
  fragility_register: 'Registre des fragilités et accompagnement',
  campaign: 'Campagnes d’appels (veille téléphonique)',
  referral: 'Orientation vers un partenaire',
  portal: 'Portail locataire',
  security: 'Sécurité et traçabilité des accès',
  service_operation: 'Fonctionnement technique du service',
};
