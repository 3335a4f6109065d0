/** Canonical fields of an ERP export, and how headers are recognised. */

import { type ImportFieldName, importFieldLabels, importFieldNames, requiredImportFields } from '../../../../contracts/imports.ts';

const importFields = importFieldNames;

/** One canonical field. */
export type ImportField = ImportFieldName;
/** Column index → field (or null: column ignored). */
export type Mapping = Record<string, ImportField | null>;

/** French labels, for the mapping step (single source: `contracts/imports.ts`, shown on the import page too). */
export const fieldLabels = importFieldLabels;

/** Fields without which a line cannot be placed in the registry. */
export const requiredFields: ImportField[] = [...requiredImportFields];

const synonyms: Record<ImportField, string[]> = {
  agency_code: ['code agence', 'agence', 'cd agence', 'id agence'],
  agency_name: ['nom agence', 'libelle agence', 'lib agence'],
  residence_code: ['code groupe', 'groupe', 'code residence', 'cd groupe', 'num groupe', 'no groupe', 'id groupe', 'code programme'],
  residence_name: ['nom groupe', 'libelle groupe', 'nom residence', 'residence', 'lib groupe', 'nom programme'],
  address: ['adresse', 'adresse logement', 'voie', 'adresse 1', 'rue'],
  postal_code: ['code postal', 'cp', 'cd postal'],
  city: ['ville', 'commune', 'localite'],
  insee_code: ['code insee', 'insee', 'code commune'],
  qpv: ['qpv', 'quartier prioritaire', 'en qpv'],
  unit_ref: ['ref logement', 'reference logement', 'code logement', 'num logement', 'no logement', 'n logement', 'logement', 'id logement', 'code lot', 'rpls'],
  floor: ['etage', 'niveau'],
  rooms: ['nb pieces', 'nombre de pieces', 'pieces', 'typologie', 'type logement'],
  has_lift: ['ascenseur'],
  lease_ref: ['ref bail', 'reference bail', 'num bail', 'no bail', 'n bail', 'bail', 'contrat', 'num contrat', 'no contrat'],
  lease_start: ['date entree', 'date debut bail', 'debut bail', 'entree le', 'date d entree'],
  lease_end: ['date sortie', 'date fin bail', 'fin bail', 'date de sortie', 'sortie le'],
  household_ref: ['ref menage', 'num menage', 'no menage', 'n menage', 'n locataire', 'menage', 'code locataire', 'num locataire', 'no locataire', 'id menage'],
  person_ref: [
    'ref occupant',
    'num occupant',
    'no occupant',
    'n occupant',
    'n personne',
    'no personne',
    'code occupant',
    'id occupant',
    'ref personne',
    'num personne',
    'id personne',
  ],
  civility: ['civilite', 'titre'],
  last_name: ['nom', 'nom occupant', 'nom de famille', 'nom usage', 'nom locataire'],
  first_name: ['prenom', 'prenom occupant', 'prenom locataire'],
  birth_date: ['date de naissance', 'date naissance', 'ne le', 'naissance', 'dt naissance'],
  household_role: ['qualite', 'lien', 'role', 'lien parente', 'type occupant', 'qualite occupant'],
  mobile: ['portable', 'mobile', 'tel portable', 'telephone portable', 'tel mobile', 'gsm'],
  landline: ['telephone', 'tel', 'tel fixe', 'telephone fixe', 'fixe', 'tel domicile'],
  email: ['email', 'e mail', 'mail', 'courriel', 'adresse mail', 'adresse email'],
  language: ['langue', 'langue parlee'],
  preferred_channel: ['canal prefere', 'canal de contact', 'canal contact', 'mode de contact', 'contact prefere'],
  balance: ['solde', 'solde locataire', 'solde compte', 'solde euros', 'dette'],
  reduced_mobility: ['pmr', 'mobilite reduite', 'personne a mobilite reduite'],
  disability: ['handicap', 'situation de handicap'],
};

/** Lower case, no accents, words separated by single spaces. */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[°º]/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const index = new Map<string, ImportField>();
for (const field of importFields) for (const s of synonyms[field]) index.set(s, field);

/**
 * Guess the field of each header: a saved mapping for the same header wins, then the synonym
 * table. Each field is used once (first header wins).
 */
export function guessMapping(headers: string[], saved: Record<string, ImportField | null> = {}): Mapping {
  const used = new Set<ImportField>();
  const mapping: Mapping = {};
  headers.forEach((header, i) => {
    const key = normaliseHeader(header);
    // Own keys only: a header named « constructor » or « __proto__ » must not reach Object.prototype.
    const fromSaved = Object.hasOwn(saved, key) ? saved[key] : undefined;
    const field = fromSaved !== undefined ? fromSaved : (index.get(key) ?? null);
    if (field && !used.has(field)) {
      used.add(field);
      mapping[String(i)] = field;
    } else mapping[String(i)] = null;
  });
  return mapping;
}

/** Required fields that no column provides. */
export function missingFields(mapping: Mapping): ImportField[] {
  const mapped = new Set(Object.values(mapping));
  return requiredFields.filter((f) => !mapped.has(f));
}
