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

/** Lower case without accents, with the position in the original text of each character kept. */
function normalise(text: string) {
  let out = '';
  const origin: number[] = [];
  let index = 0;
  for (const char of text) {
    for (const c of char
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()) {
      out += c;
      for (let k = 0; k < c.length; k++) origin.push(index);
    }
    index += char.length;
  }
  return { out, origin };
}

const pattern = (terms: string[]) => new RegExp(`(^|[^a-z0-9])(${terms.map((t) => t.replace(/[-\s]/g, '[-\\s]+')).join('|')})s?(?=$|[^a-z0-9])`, 'g');
const healthPattern = pattern(healthTerms);
const pejorativePattern = pattern(pejorativeTerms);

export type NoteCheck = { flags: NoteFlag[]; health: string[]; pejorative: string[] };

/** Check a note: which health terms and pejorative words it holds (accents and case ignored, reported as written). */
export function checkNote(text: string): NoteCheck {
  const { out, origin } = normalise(text);
  const found = (re: RegExp) => [
    ...new Set(
      [...out.matchAll(re)].map((m) => {
        const start = m.index + (m[1]?.length ?? 0);
        const end = start + (m[2]?.length ?? 0) - 1;
        const from = origin[start] ?? 0;
        const to = origin[end] ?? from;
        return text.slice(from, to + String.fromCodePoint(text.codePointAt(to) ?? 0).length);
      }),
    ),
  ];
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
