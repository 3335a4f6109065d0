import { z } from 'zod';

/** Canonical fields an export column can be mapped to (null: ignored). */
export const importFieldNames = [
  'agency_code',
  'agency_name',
  'residence_code',
  'residence_name',
  'address',
  'street_number',
  'street_repeat',
  'street_type',
  'street_name',
  'address_complement',
  'building',
  'staircase',
  'postal_code',
  'city',
  'insee_code',
  'qpv',
  'unit_ref',
  'floor',
  'rooms',
  'has_lift',
  'lease_ref',
  'lease_start',
  'lease_end',
  'household_ref',
  'person_ref',
  'civility',
  'last_name',
  'first_name',
  'birth_date',
  'household_role',
  'mobile',
  'landline',
  'email',
  'language',
  'preferred_channel',
  'balance',
  'reduced_mobility',
  'disability',
] as const;
export type ImportFieldName = (typeof importFieldNames)[number];

/** French label of each field (mapping step, errors, list of expected columns). */
export const importFieldLabels: Record<ImportFieldName, string> = {
  agency_code: 'Code agence',
  agency_name: 'Nom agence',
  residence_code: 'Code groupe / résidence',
  residence_name: 'Nom de la résidence',
  address: 'Adresse',
  street_number: 'N° de voie',
  street_repeat: 'Indice de répétition (bis, ter)',
  street_type: 'Type de voie',
  street_name: 'Libellé de la voie',
  address_complement: "Complément d'adresse",
  building: 'Bâtiment',
  staircase: 'Escalier',
  postal_code: 'Code postal',
  city: 'Commune',
  insee_code: 'Code INSEE',
  qpv: 'QPV (oui/non)',
  unit_ref: 'Référence logement',
  floor: 'Étage',
  rooms: 'Nombre de pièces',
  has_lift: 'Ascenseur (oui/non)',
  lease_ref: 'Référence bail',
  lease_start: "Date d'entrée",
  lease_end: 'Date de sortie',
  household_ref: 'Référence ménage',
  person_ref: 'Référence occupant',
  civility: 'Civilité',
  last_name: 'Nom',
  first_name: 'Prénom',
  birth_date: 'Date de naissance',
  household_role: 'Qualité (titulaire, cotitulaire, occupant)',
  mobile: 'Téléphone portable',
  landline: 'Téléphone fixe',
  email: 'E-mail',
  language: 'Langue',
  preferred_channel: 'Canal préféré',
  balance: 'Solde (€)',
  reduced_mobility: 'Mobilité réduite (oui/non)',
  disability: 'Handicap (oui/non)',
};

/**
 * Parts of an address that ERP exports give in separate columns (RPLS-style: number, repetition,
 * type and name of the street, building, staircase, complement). They are not stored on their
 * own: validation composes them into `address`.
 */
export const addressPartFields = ['street_number', 'street_repeat', 'street_type', 'street_name', 'address_complement', 'building', 'staircase'] as const;

/** Fields without which a line cannot be placed in the registry. */
export const requiredImportFields: readonly ImportFieldName[] = ['residence_code', 'unit_ref', 'lease_ref', 'last_name', 'first_name'];

/** What each column holds, for the list of expected columns on the import page. */
export const importFieldMeanings: Record<ImportFieldName, string> = {
  agency_code: 'Code de l’agence qui gère la résidence (par exemple NORD).',
  agency_name: 'Nom de l’agence, affiché dans Lien.',
  residence_code: 'Code du groupe ou de la résidence dans l’ERP : il relie les logements d’un même immeuble.',
  residence_name: 'Nom de la résidence (par exemple Les Tilleuls).',
  address: 'Numéro et rue de la résidence (ou seulement la rue, quand le numéro est dans sa propre colonne).',
  street_number: 'Numéro dans la voie (12) : il est placé devant la rue pour former l’adresse.',
  street_repeat: 'Indice de répétition du numéro (bis, ter, B…).',
  street_type: 'Type de voie (rue, avenue, AV, BD…), quand l’export le sépare du libellé.',
  street_name: 'Libellé de la voie (de la Paix), quand l’export le sépare du type.',
  address_complement: 'Complément d’adresse (résidence, lieu-dit…), ajouté à l’adresse.',
  building: 'Bâtiment (A, B…), ajouté à l’adresse.',
  staircase: 'Escalier, ajouté à l’adresse.',
  postal_code: 'Code postal.',
  city: 'Commune.',
  insee_code: 'Code INSEE de la commune.',
  qpv: 'Résidence en quartier prioritaire de la ville : oui ou non.',
  unit_ref: 'Référence du logement dans l’ERP (numéro de lot, RPLS…).',
  floor: 'Étage du logement (0 pour le rez-de-chaussée).',
  rooms: 'Nombre de pièces (de 1 à 20).',
  has_lift: 'Immeuble avec ascenseur : oui ou non.',
  lease_ref: 'Référence du bail (une ligne par occupant : les occupants d’un même ménage répètent la même référence).',
  lease_start: 'Date d’entrée dans le logement (JJ/MM/AAAA).',
  lease_end: 'Date de sortie, si le bail est terminé (JJ/MM/AAAA).',
  household_ref: 'Référence du ménage ou du locataire dans l’ERP ; à défaut, la référence du bail en tient lieu.',
  person_ref: 'Référence de l’occupant dans l’ERP : elle permet de le retrouver d’un import à l’autre.',
  civility: 'Civilité (M., Mme).',
  last_name: 'Nom de famille de l’occupant.',
  first_name: 'Prénom de l’occupant.',
  birth_date: 'Date de naissance (JJ/MM/AAAA) : elle sert à repérer les personnes âgées.',
  household_role: 'Qualité dans le bail : titulaire, cotitulaire ou occupant.',
  mobile: 'Téléphone portable, écrit comme en France (06 12 34 56 78) ou au format international.',
  landline: 'Téléphone fixe.',
  email: 'Adresse e-mail.',
  language: 'Langue parlée, si ce n’est pas le français.',
  preferred_channel: 'Moyen de contact préféré : téléphone, SMS, e-mail ou courrier.',
  balance: 'Solde du compte locataire en euros (négatif : dette).',
  reduced_mobility: 'Personne à mobilité réduite : oui ou non.',
  disability: 'Situation de handicap : oui ou non.',
};

/** Column index (as a string) → field. */
export const importMapping = z.record(z.string().regex(/^\d{1,3}$/), z.enum(importFieldNames).nullable());

export const importStatus = z.enum(['staged', 'validating', 'previewed', 'applying', 'applied', 'failed', 'cancelled']);

/** An import as the page follows it (survives a page reload). */
export const importRun = z.object({
  id: z.string().uuid(),
  status: importStatus,
  fileName: z.string(),
  format: z.string(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  headers: z.array(z.string()),
  mapping: importMapping.nullable(),
  fullExport: z.boolean(),
  validOnly: z.boolean(),
  totalLines: z.number(),
  progressDone: z.number(),
  progressTotal: z.number(),
  summary: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type ImportRun = z.infer<typeof importRun>;

/** What the upload returns: the staged import, a guessed mapping, a sample, refused NIR columns. */
export const importUpload = z.object({
  run: importRun,
  sample: z.array(z.array(z.string())),
  nirColumns: z.array(z.string()),
  fieldLabels: z.record(z.string(), z.string()),
  requiredFields: z.array(z.string()),
});
export type ImportUpload = z.infer<typeof importUpload>;

export const validateImportBody = z.strictObject({ mapping: importMapping, fullExport: z.boolean().default(false) });
export const applyImportBody = z.strictObject({
  validOnly: z.boolean().default(false),
  /** Required when the import changes, ends or marks missing more than 5 % of the existing households. */
  confirmLarge: z.boolean().default(false),
});

const lineError = z.object({ column: z.string(), value: z.string(), reason: z.string() });
/**
 * A line of the rejected-lines report: `errors` (the line is rejected), or, for an imported line
 * whose optional values were set aside (a bad phone or e-mail), an empty `errors` and its `warnings`.
 */
export const rejectedLine = z.object({ line: z.number(), errors: z.array(lineError), warnings: z.array(lineError).optional() });

/** Above this share of the existing households touched, applying needs an explicit confirmation (IN-06). */
export const LARGE_CHANGE_SHARE = 0.05;

/**
 * How much of the registry an import touches, from its preview: households updated (those that
 * left included) or missing from a full export, out of the households already in the registry.
 * The one rule of the command line, the API and the import page.
 */
export function largeChange(s: { households_updated?: number; households_unchanged?: number; households_missing?: number }) {
  const updated = s.households_updated ?? 0;
  const missing = s.households_missing ?? 0;
  const existing = updated + (s.households_unchanged ?? 0) + missing;
  const touched = updated + missing;
  const share = existing > 0 ? touched / existing : 0;
  return { existing, touched, share, large: existing > 0 && share > LARGE_CHANGE_SHARE };
}
