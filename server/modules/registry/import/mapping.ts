/** Canonical fields of an ERP export, and how headers are recognised. */

import { type ImportFieldName, importFieldLabels, importFieldNames, requiredImportFields } from '../../../../contracts/imports.ts';
import { isNirHeader } from './nir.ts';

const importFields = importFieldNames;

/** One canonical field. */
export type ImportField = ImportFieldName;
/** Column index → field (or null: column ignored). */
export type Mapping = Record<string, ImportField | null>;

/** French labels, for the mapping step (single source: `contracts/imports.ts`, shown on the import page too). */
export const fieldLabels = importFieldLabels;

/** Fields without which a line cannot be placed in the registry. */
export const requiredFields: ImportField[] = [...requiredImportFields];

/**
 * Headers of French ERP exports, written as `canonicalHeader` leaves them (accents, case,
 * punctuation, « de/du/la » and the usual abbreviations folded: « N° », « No », « Num »,
 * « Numéro » → « n »; « Réf. », « Référence » → « ref »; « Tél. », « Téléphone » → « tel »…).
 *
 * Where the vocabulary comes from: the headers of a real landlord's export reported in issue 12
 * (« Réf. contrat », « Code tiers », « N° voie », « Bât. », « Esc. », « Type », « Ref. lot »,
 * « N° groupe », « Tél. port. »…); the national register of social housing RPLS, which every
 * landlord's ERP (Aareon Prem's, Sopra Steria Ulis, Ikos…) exports to (NUMVOIE, INDREP, TYPVOIE,
 * NOMVOIE, CMPLT, « code logement », « date de prise d'effet du bail »); the address exchange
 * formats BAN/BAL (numero, rep, nom_voie, type_voie) and INSEE's RIL (type et libellé de voie,
 * AFNOR NF Z10-011 abbreviations). The vendors' own export layouts are not public: unknown
 * headers are mapped once on the web page or with `--mapping` and remembered per organisation.
 */
const synonyms: Record<ImportField, string[]> = {
  agency_code: ['code agence', 'agence', 'cd agence', 'id agence', 'agence gestion', 'code agence gestion', 'code site', 'secteur', 'code secteur'],
  agency_name: ['nom agence', 'lib agence', 'lib agence gestion', 'nom site', 'lib secteur'],
  residence_code: [
    'code groupe',
    'groupe',
    'code residence',
    'cd groupe',
    'n groupe',
    'id groupe',
    'code programme',
    'n programme',
    'programme',
    'code immeuble',
    'n immeuble',
    'ref groupe',
    'ref immeuble',
    'code ensemble',
    'n ensemble',
    'code patrimoine',
    'code batiment immeuble',
  ],
  residence_name: [
    'nom groupe',
    'lib groupe',
    'nom residence',
    'residence',
    'nom programme',
    'lib programme',
    'nom immeuble',
    'lib immeuble',
    'lib ensemble',
    'lib residence',
  ],
  address: ['adresse', 'adresse logement', 'adresse 1', 'rue', 'adresse lot', 'adresse immeuble', 'adresse postale', 'ligne adresse 1', 'adresse 1 logement'],
  street_number: ['n voie', 'n rue', 'n adresse', 'numvoie', 'n', 'numero', 'n dans voie', 'n voirie', 'numero voie'],
  street_repeat: ['indrep', 'indice repetition', 'ind repetition', 'bis ter', 'suffixe', 'complement n', 'rep', 'ind rep'],
  street_type: ['type voie', 'typvoie', 'typ voie', 'nature voie', 'type rue'],
  street_name: ['lib voie', 'nom voie', 'nomvoie', 'voie', 'nom rue', 'lib rue', 'designation voie'],
  address_complement: ['compl adresse', 'cmplt', 'cmplt adresse', 'adresse 2', 'adresse 3', 'ligne adresse 2', 'lieu dit', 'compl', 'compl voie'],
  building: ['bat', 'batiment', 'code bat', 'n bat', 'cage'],
  staircase: ['esc', 'escalier', 'n esc', 'code esc'],
  postal_code: ['code postal', 'cp', 'cd postal', 'codepostal'],
  city: ['ville', 'commune', 'localite', 'lib commune', 'nom commune', 'bureau distributeur'],
  insee_code: ['code insee', 'insee', 'code commune', 'depcom', 'code insee commune'],
  qpv: ['qpv', 'quartier prioritaire', 'en qpv', 'zone qpv'],
  unit_ref: [
    'ref logement',
    'code logement',
    'n logement',
    'logement',
    'id logement',
    'code lot',
    'rpls',
    'ref lot',
    'n lot',
    'lot',
    'ref local',
    'code local',
    'n local',
    'id rpls',
    'n rpls',
    'code rpls',
    'ref uc',
    'n uc',
    'code uc',
    'ref ug',
    'code ug',
    'n ug',
    'n porte',
    'ref bien',
    'code bien',
  ],
  floor: ['etage', 'niveau', 'n etage'],
  rooms: ['nb pieces', 'nombre pieces', 'pieces', 'typologie', 'type logement', 'type', 'typo', 'type lot', 'nbpiece', 'nb piece'],
  has_lift: ['ascenseur', 'presence ascenseur'],
  lease_ref: [
    'ref bail',
    'n bail',
    'bail',
    'contrat',
    'n contrat',
    'ref contrat',
    'code contrat',
    'code bail',
    'id bail',
    'id contrat',
    'n dossier',
    'ref dossier',
    'ref location',
    'n location',
    'n engagement',
  ],
  lease_start: [
    'date entree',
    'date debut bail',
    'debut bail',
    'entree le',
    'date effet bail',
    'date effet',
    'date debut contrat',
    'debut contrat',
    'date prise effet bail',
    'date entree lieux',
    'date signature bail',
  ],
  lease_end: [
    'date sortie',
    'date fin bail',
    'fin bail',
    'sortie le',
    'date fin contrat',
    'fin contrat',
    'date depart',
    'date resiliation',
    'date sortie lieux',
  ],
  household_ref: [
    'ref menage',
    'n menage',
    'n locataire',
    'menage',
    'code locataire',
    'id menage',
    'code tiers',
    'n tiers',
    'tiers',
    'ref tiers',
    'id tiers',
    'compte locataire',
    'n compte',
    'ref locataire',
    'code client',
    'n client',
    'matricule locataire',
    'code menage',
    'n foyer',
    'ref foyer',
  ],
  person_ref: [
    'ref occupant',
    'n occupant',
    'n personne',
    'code occupant',
    'id occupant',
    'ref personne',
    'id personne',
    'code personne',
    'ref individu',
    'n individu',
    'code individu',
    'id individu',
    'matricule occupant',
    'code tiers occupant',
  ],
  civility: ['civilite', 'titre', 'civ', 'lib civilite', 'code civilite'],
  last_name: ['nom', 'nom occupant', 'nom famille', 'nom usage', 'nom locataire', 'nom personne', 'nom naissance', 'patronyme', 'nom individu'],
  first_name: ['prenom', 'prenom occupant', 'prenom locataire', 'prenom personne', 'prenom individu'],
  birth_date: ['date naissance', 'ne le', 'naissance', 'dt naissance', 'date nais', 'date naiss', 'dte naissance', 'ne e le'],
  household_role: [
    'qualite',
    'lien',
    'role',
    'lien parente',
    'type occupant',
    'qualite occupant',
    'lien titulaire',
    'situation occupant',
    'type personne',
    'qualite personne',
    'lien avec titulaire',
    'rang',
    'statut occupant',
  ],
  mobile: ['portable', 'mobile', 'tel portable', 'tel mobile', 'gsm', 'tel port', 'port', 'tel gsm', 'n portable', 'n mobile', 'tel 2', 'tel cellulaire'],
  landline: ['tel', 'tel fixe', 'fixe', 'tel domicile', 'tel dom', 'n tel', 'tel 1', 'tel principal', 'n tel fixe'],
  email: ['email', 'e mail', 'mail', 'courriel', 'adresse mail', 'adresse email', 'adresse courriel', 'adresse e mail', 'mel', 'adresse mel'],
  language: ['langue', 'langue parlee', 'langue usuelle'],
  preferred_channel: ['canal prefere', 'canal contact', 'mode contact', 'contact prefere', 'canal'],
  balance: ['solde', 'solde locataire', 'solde compte', 'solde euros', 'dette', 'solde eur', 'solde du', 'montant solde', 'solde compte locataire'],
  reduced_mobility: ['pmr', 'mobilite reduite', 'personne mobilite reduite'],
  disability: ['handicap', 'situation handicap', 'personne handicapee'],
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

/** Words folded before looking a header up: abbreviations ERP exports use for the same word. */
const folded: Record<string, string> = {
  numero: 'n',
  num: 'n',
  no: 'n',
  nr: 'n',
  nro: 'n',
  nb: 'nb',
  nbre: 'nb',
  reference: 'ref',
  refe: 'ref',
  telephone: 'tel',
  tph: 'tel',
  tel: 'tel',
  libelle: 'lib',
  lib: 'lib',
  lbl: 'lib',
  batiment: 'bat',
  bat: 'bat',
  bt: 'bat',
  escalier: 'esc',
  esc: 'esc',
  complement: 'compl',
  compl: 'compl',
  cplt: 'compl',
  cpl: 'compl',
  comp: 'compl',
  portable: 'portable',
  port: 'port',
  adr: 'adresse',
  adresse: 'adresse',
  dt: 'date',
  dte: 'date',
  nombre: 'nombre',
  occ: 'occupant',
  loc: 'locataire',
  grp: 'groupe',
  cod: 'code',
  ident: 'id',
  identifiant: 'id',
  nais: 'nais',
};
/** Small words that never tell two headers apart (« date de naissance » = « date naissance »). */
const stopWords = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'l', 'd', 'a', 'au', 'aux', 'en', 'et']);

/** `normaliseHeader`, then abbreviations folded and small words dropped: the synonym table's key. */
export function canonicalHeader(header: string): string {
  return normaliseHeader(header)
    .split(' ')
    .filter((w) => w && !stopWords.has(w))
    .map((w) => folded[w] ?? w)
    .join(' ');
}

const index = new Map<string, ImportField>();
for (const field of importFields) {
  for (const s of synonyms[field]) {
    const key = canonicalHeader(s);
    const other = index.get(key);
    if (other && other !== field) throw new Error(`Synonyme « ${s} » ambigu : ${other} et ${field}`);
    index.set(key, field);
  }
}

/** The field a header names in the synonym table, if any. */
export function fieldOfHeader(header: string): ImportField | null {
  return index.get(canonicalHeader(header)) ?? null;
}

/**
 * Guess the field of each header: a saved mapping for the same header wins, then the synonym
 * table. Each field is used once (first header wins).
 */
export function guessMapping(headers: string[], saved: Record<string, ImportField | null> = {}, explicit: Mapping = {}): Mapping {
  const used = new Set<ImportField>(Object.values(explicit).filter((f): f is ImportField => !!f));
  const mapping: Mapping = {};
  headers.forEach((header, i) => {
    // A column named like a social-security number is never read (TRUST DP-10).
    if (isNirHeader(header)) {
      mapping[String(i)] = null;
      return;
    }
    if (Object.hasOwn(explicit, String(i))) {
      mapping[String(i)] = explicit[String(i)] ?? null;
      return;
    }
    const key = normaliseHeader(header);
    // Own keys only: a header named « constructor » or « __proto__ » must not reach Object.prototype.
    const fromSaved = Object.hasOwn(saved, key) ? saved[key] : undefined;
    const field = fromSaved !== undefined ? fromSaved : fieldOfHeader(header);
    if (field && !used.has(field)) {
      used.add(field);
      mapping[String(i)] = field;
    } else mapping[String(i)] = null;
  });
  return mapping;
}

/** A mapping written by hand (CLI `--mapping file.json`) refused, with a French reason. */
export class MappingRefused extends Error {}

/**
 * Read a hand-written mapping, header → field (the field's name, e.g. `lease_ref`, or its French
 * label, e.g. « Référence bail »; null or "" to ignore the column), against the file's headers.
 * Returns column index → field. An unknown header or field, or a field given twice, is refused.
 */
export function explicitMapping(headers: string[], byHeader: unknown): Mapping {
  if (!byHeader || typeof byHeader !== 'object' || Array.isArray(byHeader))
    throw new MappingRefused('Le fichier de correspondance doit être un objet JSON { "colonne du fichier": "champ" }.');
  const byLabel = new Map<string, ImportField>();
  for (const f of importFields) {
    byLabel.set(normaliseHeader(f), f);
    byLabel.set(normaliseHeader(fieldLabels[f]), f);
  }
  const columns = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!columns.has(normaliseHeader(h))) columns.set(normaliseHeader(h), i);
  });
  const out: Mapping = {};
  const used = new Map<ImportField, string>();
  for (const [header, value] of Object.entries(byHeader as Record<string, unknown>)) {
    const column = columns.get(normaliseHeader(header));
    if (column === undefined)
      throw new MappingRefused(`Colonne « ${header} » absente du fichier. Colonnes trouvées : ${headers.map((h) => `« ${h} »`).join(', ')}.`);
    if (value !== null && typeof value !== 'string') throw new MappingRefused(`Colonne « ${header} » : le champ doit être un texte (ou null pour l’ignorer).`);
    const field = value ? byLabel.get(normaliseHeader(value)) : null;
    if (value && !field) throw new MappingRefused(`Champ inconnu « ${value} » pour la colonne « ${header} ». Champs possibles : ${importFields.join(', ')}.`);
    if (field && used.has(field))
      throw new MappingRefused(`Le champ « ${fieldLabels[field]} » est associé à deux colonnes : « ${used.get(field)} » et « ${header} ».`);
    if (field) used.set(field, header);
    out[String(column)] = field ?? null;
  }
  return out;
}

/** Required fields that no column provides. */
export function missingFields(mapping: Mapping): ImportField[] {
  const mapped = new Set(Object.values(mapping));
  return requiredFields.filter((f) => !mapped.has(f));
}
