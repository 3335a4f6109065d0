import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { importFieldNames } from '../../../../contracts/imports.ts';
import { type ImportField, type Mapping, normaliseHeader } from './mapping.ts';
import { isNir } from './nir.ts';

/** One export line, typed and normalised, ready for staging. */
export type ImportLine = {
  line: number;
  agency_code: string | null;
  agency_name: string | null;
  residence_code: string;
  residence_name: string | null;
  address: string | null;
  postal_code: string | null;
  city: string | null;
  insee_code: string | null;
  qpv: boolean | null;
  unit_ref: string;
  floor: number | null;
  rooms: number | null;
  has_lift: boolean | null;
  lease_ref: string;
  lease_start: string | null;
  lease_end: string | null;
  household_ref: string;
  person_key: string;
  civility: 'M.' | 'Mme' | null;
  last_name: string;
  first_name: string;
  birth_date: string | null;
  household_role: 'holder' | 'co_holder' | 'occupant';
  mobile: string | null;
  landline: string | null;
  email: string | null;
  language: string | null;
  preferred_channel: 'phone' | 'sms' | 'email' | 'letter' | null;
  balance_cents: number | null;
  reduced_mobility: boolean | null;
  disability: boolean | null;
};

const channels: Record<string, 'phone' | 'sms' | 'email' | 'letter'> = {
  telephone: 'phone',
  tel: 'phone',
  appel: 'phone',
  sms: 'sms',
  texto: 'sms',
  email: 'email',
  'e mail': 'email',
  mail: 'email',
  courriel: 'email',
  courrier: 'letter',
  lettre: 'letter',
  postal: 'letter',
};

/** « Téléphone », « SMS », « e-mail », « courrier »… → phone | sms | email | letter. */
export function parseChannel(value: string): 'phone' | 'sms' | 'email' | 'letter' {
  const c = channels[normalised(value)];
  if (!c) throw new Refused('canal inconnu : téléphone, SMS, e-mail ou courrier');
  return c;
}

/**
 * Why a value was refused: line, column (its header), original value, reason in French; `field`
 * names the field of a value set aside (a warning: the line is imported without it).
 */
export type LineError = { line: number; column: string; value: string; reason: string; field?: ImportField };

/**
 * A validated line. `errors`: the line is rejected. `warnings`: optional values set aside, the
 * line is imported without them. `record` is kept for rejected lines too (refused values null):
 * staging needs their household and role to report the household and count its occupants.
 * `nirColumns`: indexes of the columns where a NIR value was found (and blanked) on this line.
 */
export type ValidatedLine = { line: number; cells: string[]; record: ImportLine; errors: LineError[]; warnings: LineError[]; nirColumns: number[] };

/**
 * Optional values whose refusal sets the value aside instead of rejecting the person (issue 12):
 * a mistyped phone or e-mail must not make a tenant vanish from the registry. Applying keeps
 * what the registry already had for a value set aside (an ERP contact is not ended because its
 * new value was unreadable). Every other refused value still rejects the line: the birth date
 * identifies a person without an ERP reference and decides who is called first; civility, role,
 * indicators (reduced mobility, disability), lease dates and balance would be overwritten or
 * erased by an empty value.
 */
const setAsideFields: readonly ImportField[] = ['mobile', 'landline', 'email', 'preferred_channel'];

class Refused extends Error {}

/**
 * A parser that remembers its answer (or its refusal) for values seen before: an export repeats
 * the same dates, yes/no, civilities and roles on line after line. Bounded: forgets all past `max`.
 */
function remembered<T>(parse: (value: string) => T, max = 20_000): (value: string) => T {
  // A value's answer, or its refusal (parsers never answer undefined).
  const seen = new Map<string, T | Refused>();
  // The last value asked, at hand: consecutive lines often repeat it (the same residence, lease date…).
  let lastValue: string | null = null;
  let lastAnswer: T | Refused | undefined;
  return (value) => {
    let answer = value === lastValue ? lastAnswer : seen.get(value);
    if (answer === undefined) {
      try {
        answer = parse(value);
      } catch (e) {
        if (!(e instanceof Refused)) throw e;
        answer = e;
      }
      if (seen.size >= max) seen.clear();
      seen.set(value, answer);
    }
    lastValue = value;
    lastAnswer = answer;
    if (answer instanceof Refused) throw new Refused(answer.message);
    return answer;
  };
}

/** normaliseHeader for the short values of a line (yes/no, civility, role, channel, names). */
const normalised = remembered(normaliseHeader, 50_000);

const DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/;

/** dd/mm/yyyy (or ISO yyyy-mm-dd) → yyyy-mm-dd. Two-digit years are ambiguous: refused. */
export function parseFrenchDate(value: string): string {
  let d: number;
  let m: number;
  let y: number;
  const fr = DATE.exec(value);
  const iso = ISO.exec(value);
  if (fr) [d, m, y] = [Number(fr[1]), Number(fr[2]), Number(fr[3])];
  else if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$/.test(value)) throw new Refused('année sur deux chiffres : ambiguë, écrivez JJ/MM/AAAA');
  else throw new Refused('date attendue au format JJ/MM/AAAA');
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) throw new Refused("cette date n'existe pas");
  if (y < 1900 || y > 2100) throw new Refused('année hors de la plage 1900–2100');
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** French amounts: « 1 234,56 », « -12,5 », « 1234.56 » → cents. A negative balance is a credit. */
export function parseAmountCents(value: string): number {
  const compact = value.replace(/[\s\u00a0\u202f€]/g, '');
  let normalised: string;
  if (/^-?\d+(,\d{1,2})?$/.test(compact)) normalised = compact.replace(',', '.');
  else if (/^-?\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(compact)) normalised = compact.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d+(\.\d{1,2})?$/.test(compact)) normalised = compact;
  else throw new Refused('montant illisible (exemple attendu : 1 234,56)');
  return Math.round(Number(normalised) * 100);
}

const yes = new Set(['oui', 'o', 'yes', 'y', '1', 'vrai', 'x', 'true']);
const no = new Set(['non', 'n', 'no', '0', 'faux', 'false']);
export function parseYesNo(value: string): boolean {
  const v = normalised(value);
  if (yes.has(v)) return true;
  if (no.has(v)) return false;
  throw new Refused('oui ou non attendu');
}

function parseInteger(value: string, min: number, max: number): number {
  const v = value.replace(/^[tT]/, '');
  if (!/^-?\d+$/.test(v)) throw new Refused('nombre entier attendu');
  const n = Number(v);
  if (n < min || n > max) throw new Refused(`valeur hors de la plage ${min}–${max}`);
  return n;
}

/** Any French phone notation → E.164 (+33…). */
export function parsePhone(value: string): string {
  // A spreadsheet formula (« =0612345678 ») is not a number the tenant gave: libphonenumber would read past the « = ».
  if (value.startsWith('=')) throw new Refused('formule de tableur au lieu d’un numéro');
  // Fast path for the usual French notations (0X XX XX XX XX, +33 X…, 0033 X…).
  const compact = value.replace(/[\s.\-()]/g, '');
  const national = /^(?:0|\+33|0033)([1-9]\d{8})$/.exec(compact);
  if (national) return `+33${national[1]}`;
  const phone = parsePhoneNumberFromString(value, 'FR');
  if (!phone?.isValid()) throw new Refused('numéro de téléphone invalide');
  return phone.number;
}

/** A phone number as someone typed it (a tenant, a volunteer), in E.164, or null when it is not one. */
export function phoneE164(value: string): string | null {
  try {
    return parsePhone(value);
  } catch (e) {
    if (e instanceof Refused) return null;
    throw e;
  }
}

function parseCivility(value: string): 'M.' | 'Mme' {
  const v = normalised(value);
  if (['m', 'mr', 'monsieur', 'mo'].includes(v)) return 'M.';
  if (['mme', 'madame', 'mlle', 'mademoiselle', 'mm'].includes(v)) return 'Mme';
  throw new Refused('civilité attendue : M. ou Mme');
}

function parseRole(value: string): 'holder' | 'co_holder' | 'occupant' {
  const v = normalised(value);
  if (['titulaire', 'locataire', 'signataire', 'titulaire du bail', 'preneur', 't'].includes(v)) return 'holder';
  if (['cotitulaire', 'co titulaire', 'conjoint', 'conjointe', 'co preneur', 'copreneur', 'c'].includes(v)) return 'co_holder';
  return 'occupant';
}

function parsePostalCode(value: string): string {
  const v = value.replace(/\s/g, '');
  if (/^\d{5}$/.test(v)) return v;
  // A spreadsheet that stored the postcode as a number lost its leading zero (01000 → 1000).
  if (/^\d{4}$/.test(v)) return `0${v}`;
  throw new Refused('code postal à 5 chiffres attendu');
}

// Birth dates of 100,000 households take some 30,000 values: room for all of them.
const birthDate = remembered(parseFrenchDate, 100_000);
// Lease dates repeat far more than birth dates: their own memory keeps its last answer at hand.
const frenchDate = remembered(parseFrenchDate);
// One memory per column of yes/no: each keeps its own last answer at hand.
const qpvYesNo = remembered(parseYesNo);
const liftYesNo = remembered(parseYesNo);
const mobilityYesNo = remembered(parseYesNo);
const disabilityYesNo = remembered(parseYesNo);
const amountCents = remembered(parseAmountCents);
const civility = remembered(parseCivility);
const postalCode = remembered(parsePostalCode);

/** Today's date (UTC, yyyy-mm-dd), worked out again only when the day has changed. */
let todayText = '';
let todayEnds = 0;
function today(): string {
  const now = Date.now();
  if (now >= todayEnds) {
    todayText = new Date(now).toISOString().slice(0, 10);
    todayEnds = (Math.floor(now / 86_400_000) + 1) * 86_400_000;
  }
  return todayText;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The person's stable key inside a household: the ERP reference, or name + birth date. */
function personKey(ref: string | null, last: string, first: string, birth: string | null) {
  return ref ? `R:${ref}` : `N:${normalised(last)}|${normalised(first)}|${birth ?? ''}`;
}

const streetTypes: Record<string, string> = {
  r: 'rue',
  rue: 'rue',
  av: 'avenue',
  ave: 'avenue',
  bd: 'boulevard',
  bld: 'boulevard',
  bvd: 'boulevard',
  pl: 'place',
  all: 'allée',
  che: 'chemin',
  ch: 'chemin',
  imp: 'impasse',
  sq: 'square',
  qu: 'quai',
  qua: 'quartier',
  rte: 'route',
  crs: 'cours',
  pas: 'passage',
  res: 'résidence',
  sen: 'sentier',
  vla: 'villa',
  fg: 'faubourg',
  esp: 'esplanade',
  prom: 'promenade',
  pro: 'promenade',
  ham: 'hameau',
  lot: 'lotissement',
  chs: 'chaussée',
  rpt: 'rond-point',
  tra: 'traverse',
  cite: 'cité',
  cit: 'cité',
  prv: 'parvis',
  sent: 'sente',
};

/**
 * The residence's address from the parts an export gives in separate columns (RPLS-style):
 * number and repetition, type and name of the street (or the `address` column), then building,
 * staircase and complement. « 12 », « B », « AV », « DES LILAS », « C », « 2 » → « 12 B AVENUE DES
 * LILAS, bât. C, esc. 2 ». Abbreviated street types are written out, in capitals when the name is.
 */
export function composeAddress(parts: {
  address?: string | null;
  number?: string | null;
  repeat?: string | null;
  type?: string | null;
  name?: string | null;
  complement?: string | null;
  building?: string | null;
  staircase?: string | null;
}): string | null {
  // An address in one column, no part in another (most exports): it is the whole address.
  if (!(parts.number || parts.repeat || parts.type || parts.name || parts.complement || parts.building || parts.staircase)) {
    return parts.address?.trim().slice(0, 200) || null;
  }
  const name = parts.name?.trim() ?? '';
  let type = parts.type?.trim() ?? '';
  const expanded = type ? streetTypes[normalised(type)] : undefined;
  if (expanded) type = name && name === name.toUpperCase() && name !== name.toLowerCase() ? expanded.toUpperCase() : expanded;
  let street = parts.address?.trim() || [type, name].filter(Boolean).join(' ');
  const number = [parts.number?.trim(), parts.repeat?.trim()].filter(Boolean).join(' ');
  // The number goes in front, unless the address column already starts with it.
  if (number && street.split(/[\s,]/)[0] !== number.split(' ')[0]) street = [number, street].filter(Boolean).join(' ');
  const extra = [
    parts.building?.trim() ? `bât. ${parts.building.trim()}` : '',
    parts.staircase?.trim() ? `esc. ${parts.staircase.trim()}` : '',
    parts.complement?.trim() ?? '',
  ].filter(Boolean);
  const full = [street, ...extra].filter(Boolean).join(', ');
  return full ? full.slice(0, 200) : null;
}

/** Fields by number: a line's values sit in arrays indexed by field, not in an object per line. */
const F = Object.fromEntries(importFieldNames.map((f, i) => [f, i])) as Record<ImportField, number>;
const setAside = importFieldNames.map((f) => setAsideFields.includes(f));

/** The field (by number, -1: none) and header of each column, computed once per mapping (not once per cell). */
type Plan = { headers: string[]; fields: Int16Array; columns: string[] };
const plans = new WeakMap<Mapping, Plan>();
function planOf(mapping: Mapping, headers: string[]): Plan {
  let plan = plans.get(mapping);
  if (plan?.headers !== headers) {
    const width = Math.max(
      headers.length,
      ...Object.keys(mapping)
        .map((k) => Number(k) + 1)
        .filter(Number.isInteger),
    );
    plan = { headers, fields: new Int16Array(width).fill(-1), columns: [] };
    for (let i = 0; i < width; i++) {
      const field = mapping[String(i)];
      if (field) plan.fields[i] = F[field] ?? -1;
      plan.columns.push(headers[i] ?? `colonne ${i + 1}`);
    }
    plans.set(mapping, plan);
  }
  return plan;
}

/*
 * The line being validated: its value per field ('' when absent) and the column each came from.
 * validateLine runs start to end without yielding, so one set of arrays serves every line
 * (no object per line for the garbage collector).
 */
const values: string[] = importFieldNames.map(() => '');
const columnOfField = new Int32Array(importFieldNames.length);
let current = { line: 0, columns: [] as string[], errors: [] as LineError[], warnings: [] as LineError[] };

const columnName = (f: number) => {
  const i = columnOfField[f] as number;
  return current.columns[i] ?? `colonne ${i + 1}`;
};

function text(f: number, max = 200): string | null {
  const v = values[f] as string;
  return v ? v.slice(0, max) : null;
}

function typed<T>(f: number, parser: (v: string) => T): T | null {
  const value = values[f] as string;
  if (!value) return null;
  try {
    return parser(value);
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    const { line } = current;
    if (setAside[f])
      current.warnings.push({
        line,
        column: columnName(f),
        value,
        reason: `${e.message} : valeur ignorée, la personne est importée sans elle`,
        field: importFieldNames[f] as ImportField,
      });
    else current.errors.push({ line, column: columnName(f), value, reason: e.message });
    return null;
  }
}

function required(f: number, label: string): string {
  const v = text(f);
  if (!v) current.errors.push({ line: current.line, column: label, value: '', reason: 'valeur obligatoire manquante' });
  return v ?? '';
}

function parseEmail(v: string): string {
  if (!EMAIL.test(v)) throw new Refused('adresse e-mail invalide');
  return v.toLowerCase();
}

function parseInsee(v: string): string {
  if (!/^(\d{5}|2[AB]\d{3})$/i.test(v)) throw new Refused('code INSEE à 5 caractères attendu');
  return v.toUpperCase();
}

const parseFloor = (v: string) => (/^(rdc|rez de chaussee)$/i.test(normalised(v)) ? 0 : parseInteger(v, -5, 60));
const parseRooms = (v: string) => parseInteger(v, 1, 20);
const role = remembered(parseRole);

/**
 * Validate one line against the mapping. A social-security number (NIR) is never read: the
 * cells of `refusedColumns` (columns whose header names one) and any cell holding a NIR value
 * are blanked, whatever the column, and reported in `nirColumns`; the rest of the line goes on
 * (the column is refused, not the person).
 */
export function validateLine(line: number, cells: string[], mapping: Mapping, headers: string[], refusedColumns?: ReadonlySet<number>): ValidatedLine {
  const errors: LineError[] = [];
  const warnings: LineError[] = [];
  const nirColumns: number[] = [];
  const { fields, columns } = planOf(mapping, headers);
  values.fill('');
  current = { line, columns, errors, warnings };
  for (let i = 0; i < cells.length; i++) {
    if (refusedColumns?.has(i)) {
      cells[i] = '';
      continue;
    }
    const raw = cells[i] as string;
    if (raw === '') continue;
    const value = raw.trim();
    if (value && isNir(value)) {
      cells[i] = '';
      nirColumns.push(i);
      continue;
    }
    const field = i < fields.length ? (fields[i] as number) : -1;
    if (field >= 0 && value) {
      values[field] = value;
      columnOfField[field] = i;
    }
  }
  const residence_code = required(F.residence_code, 'Code groupe / résidence');
  const unit_ref = required(F.unit_ref, 'Référence logement');
  const lease_ref = required(F.lease_ref, 'Référence bail');
  const last_name = required(F.last_name, 'Nom');
  const first_name = required(F.first_name, 'Prénom');
  const birth_date = typed(F.birth_date, birthDate);
  if (birth_date && birth_date > today()) {
    errors.push({ line, column: columnName(F.birth_date), value: values[F.birth_date] as string, reason: 'date de naissance dans le futur' });
  }
  const email = typed(F.email, parseEmail);
  const record: ImportLine = {
    line,
    agency_code: text(F.agency_code, 50),
    agency_name: text(F.agency_name),
    residence_code,
    residence_name: text(F.residence_name),
    address: composeAddress({
      address: text(F.address),
      number: text(F.street_number, 20),
      repeat: text(F.street_repeat, 20),
      type: text(F.street_type, 50),
      name: text(F.street_name),
      complement: text(F.address_complement),
      building: text(F.building, 20),
      staircase: text(F.staircase, 20),
    }),
    postal_code: typed(F.postal_code, postalCode),
    city: text(F.city),
    insee_code: typed(F.insee_code, parseInsee),
    qpv: typed(F.qpv, qpvYesNo),
    unit_ref,
    floor: typed(F.floor, parseFloor),
    rooms: typed(F.rooms, parseRooms),
    has_lift: typed(F.has_lift, liftYesNo),
    lease_ref,
    lease_start: typed(F.lease_start, frenchDate),
    lease_end: typed(F.lease_end, frenchDate),
    household_ref: text(F.household_ref, 100) ?? lease_ref,
    person_key: personKey(text(F.person_ref, 100), last_name, first_name, birth_date),
    civility: typed(F.civility, civility),
    last_name,
    first_name,
    birth_date,
    household_role: values[F.household_role] ? role(values[F.household_role] as string) : 'occupant',
    mobile: typed(F.mobile, parsePhone),
    landline: typed(F.landline, parsePhone),
    email,
    language: text(F.language, 50),
    preferred_channel: typed(F.preferred_channel, parseChannel),
    balance_cents: typed(F.balance, amountCents),
    reduced_mobility: typed(F.reduced_mobility, mobilityYesNo),
    disability: typed(F.disability, disabilityYesNo),
  };
  return { line, cells, record, errors, warnings: errors.length ? [] : warnings, nirColumns };
}
