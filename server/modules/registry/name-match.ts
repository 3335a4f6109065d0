// How well a person's name answers a search query (issue 12): the surname weighs more than the
// first name, in whichever order they were typed, and a typo costs by edit distance
// (transpositions count as one edit: « MREEL » is one edit from MEREL, two from MOREL).
// Names and query words arrive normalised by the database (lien_normalise: no accents, lower case).

/** Words staff put before a name that are no part of it. */
const civilities = new Set(['m', 'mr', 'm.', 'mme', 'mlle', 'monsieur', 'madame', 'mademoiselle']);

/** Hyphens and apostrophes as spaces (« jean-pierre » = « jean pierre »), single spaces. */
const canon = (s: string) => s.replace(/[-'’]/g, ' ').replace(/\s+/g, ' ').trim();

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (!n) return m;
  if (!m) return n;
  let prev2: number[] = [];
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i++) {
    const cur = [i];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[m] as number;
}

/** Similarity of two normalised names in [0, 1]: 1 − edits / length of the longer. */
export function nameSimilarity(a: string, b: string): number {
  const x = canon(a);
  const y = canon(b);
  const longest = Math.max(x.length, y.length);
  return longest ? 1 - editDistance(x, y) / longest : 0;
}

/** The lowest surname similarity a hit needs (one typo in a five-letter name passes, « hugo » for « bernard » not). */
export const SURNAME_THRESHOLD = 0.6;

/** The query's words (normalised), civilities dropped. */
export const queryWords = (normalisedQuery: string) => typedWords(normalisedQuery).map((w) => w.toLowerCase());

/** The query's words as typed (case kept), civilities dropped. */
export const typedWords = (query: string) =>
  canon(query)
    .split(' ')
    .filter((w) => w && !civilities.has(w.toLowerCase()));

/**
 * Which words were typed in capitals, when some were and others not (« Michel MARTN », « BERNARD
 * Michel »): French usage writes the surname so, and the search reads those words as the surname.
 * Null when the case says nothing (all in capitals, or none; a lone capital is an initial).
 */
export function capitalsHint(words: string[]): boolean[] | null {
  const capitals = words.map((w) => w.length >= 2 && w === w.toUpperCase() && w !== w.toLowerCase());
  return capitals.some(Boolean) && !capitals.every(Boolean) ? capitals : null;
}

/** What a reading loses when the surname is not the words typed in capitals (more than a typo in the surname gains). */
const AGAINST_CAPITALS = 0.1;
/** What a reading loses, with no capitals to tell, when the surname comes first: equal matches follow the spoken order « prénom nom ». */
const SURNAME_FIRST = 0.005;

/** Every run of consecutive words: the parts of the query that may be a surname or a first name. */
export function spansOf(words: string[]): string[] {
  const spans: string[] = [];
  for (let i = 0; i < words.length; i++) for (let j = i + 1; j <= words.length; j++) spans.push(words.slice(i, j).join(' '));
  return spans;
}

/** What reading words `[i, j)` as the surname loses against the case typed (see `personScore`). */
function readingPenalty(capitals: boolean[] | null, i: number, j: number, count: number): number {
  if (!capitals) return j < count ? SURNAME_FIRST : 0;
  const surnameInCapitals = capitals.every((c, k) => c === (k >= i && k < j));
  return surnameInCapitals ? 0 : AGAINST_CAPITALS;
}

/**
 * The score of a person for the query words, or null when no way of reading the words as
 * « surname + first name » fits them: the surname counts 0.7 and the first name 0.3 (the surname
 * alone when the query is only a surname), trying every way the words split into surname and
 * first name; a surname must be near (0.6), and a surname that is not exact needs a near first name.
 * `capitals` (`capitalsHint`): a reading whose surname is not the words typed in capitals loses
 * 0.1; without it, a reading whose surname comes first loses 0.005 (a tie-break only).
 */
export function personScore(words: string[], first: string, last: string, capitals: boolean[] | null = null): number | null {
  let best: number | null = null;
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j <= words.length; j++) {
      const lastSim = nameSimilarity(words.slice(i, j).join(' '), last);
      if (lastSim < SURNAME_THRESHOLD) continue;
      const penalty = readingPenalty(capitals, i, j, words.length);
      const rest = [words.slice(0, i), words.slice(j)].filter((p) => p.length);
      if (!rest.length) {
        best = Math.max(best ?? 0, lastSim - penalty);
        continue;
      }
      let firstSim = 0;
      for (const part of rest) for (const candidate of spansOf(part)) firstSim = Math.max(firstSim, nameSimilarity(candidate, first));
      // A near surname needs a near first name too (« Benoît LEFEVRE » is not Marie LEFEBVRE);
      // the exact surname stands alone (« Lucas MEREL » also lists Jean MEREL, below).
      if (lastSim < 1 && firstSim < SURNAME_THRESHOLD) continue;
      best = Math.max(best ?? 0, 0.7 * lastSim + 0.3 * firstSim - penalty);
    }
  }
  return best;
}

/**
 * The names worth looking up among those the trigram index proposed: the `limit` nearest to any
 * run of the query's words, at `threshold` or above.
 */
export function nearestNames(spans: string[], names: string[], threshold: number, limit: number): string[] {
  return [...new Set(names)]
    .map((name) => ({ name, sim: Math.max(...spans.map((s) => nameSimilarity(s, name))) }))
    .filter((x) => x.sim >= threshold)
    .sort((a, b) => b.sim - a.sim || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((x) => x.name);
}
