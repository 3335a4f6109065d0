/**
 * Free-text guard for call notes (TRUST DP-05), run in the browser while typing and again on the
 * server. Health terms (diagnoses, treatments) raise a warning: such details belong in a consented
 * need, not in a note the tenant can read. Pejorative words flag the note for the DPO's review.
 */
export type NoteFlag = 'health' | 'pejorative';

const healthTerms = [
  'diabete',
  'diabetique',
  'cancer',
  'tumeur',
  'chimio',
  'chimiotherapie',
  'radiotherapie',
  'dialyse',
  'insuline',
  'alzheimer',
  'parkinson',
  'demence',
  'depression',
  'depressif',
  'depressive',
  'antidepresseur',
  'anxiolytique',
  'schizophrene',
  'schizophrenie',
  'bipolaire',
  'psychiatrie',
  'psychiatrique',
  'vih',
  'sida',
  'seropositif',
  'seropositive',
  'hepatite',
  'avc',
  'infarctus',
  'epilepsie',
  'covid',
  'morphine',
  'methadone',
  'traitement',
  'ordonnance',
  'diagnostic',
  'handicap mental',
];

const pejorativeTerms = [
  'alcoolique',
  'alcoolo',
  'ivrogne',
  'pochtron',
  'fou',
  'folle',
  'dingue',
  'cingle',
  'cinglee',
  'timbre',
  'timbree',
  'debile',
  'idiot',
  'idiote',
  'attarde',
  'attardee',
  'gateux',
  'gateuse',
  'senile',
  'hysterique',
  'parano',
  'clochard',
  'crasseux',
  'crasseuse',
  'toxico',
  'drogue',
  'droguee',
  'cas social',
  'casse-pieds',
  'radin',
];

const normalise = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

const pattern = (terms: string[]) => new RegExp(`(^|[^a-z0-9])(${terms.map((t) => t.replace(/[-\s]/g, '[-\\s]+')).join('|')})s?(?=$|[^a-z0-9])`, 'g');
const healthPattern = pattern(healthTerms);
const pejorativePattern = pattern(pejorativeTerms);

export type NoteCheck = { flags: NoteFlag[]; health: string[]; pejorative: string[] };

/** Check a note: which health terms and pejorative words it holds (accents and case ignored). */
export function checkNote(text: string): NoteCheck {
  const t = normalise(text);
  const found = (re: RegExp) => [...new Set([...t.matchAll(re)].map((m) => m[2] ?? ''))];
  const health = found(healthPattern);
  const pejorative = found(pejorativePattern);
  const flags: NoteFlag[] = [];
  if (health.length) flags.push('health');
  if (pejorative.length) flags.push('pejorative');
  return { flags, health, pejorative };
}

/** French messages shown to the caller. */
export const noteFlagMessages: Record<NoteFlag, string> = {
  health:
    'Cette note semble contenir une information de santé (diagnostic, traitement). Ne la notez pas ici : le locataire peut lire cette note ; un besoin de santé s’enregistre avec son consentement.',
  pejorative:
    'Cette note contient un terme péjoratif. Reformulez de façon factuelle et respectueuse : elle sera relue par le délégué à la protection des données.',
};

/** Reminder shown above every note field. */
export const NOTE_REMINDER = 'Le locataire peut lire cette note. Restez factuel·le ; pas d’information de santé.';
