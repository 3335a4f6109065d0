import { ZxcvbnFactory } from '@zxcvbn-ts/core';

/**
 * Password strength (TRUST AA-06), one rule for the server and the web page: at least 12
 * characters, no composition rules, long passphrases welcome, and a zxcvbn-ts estimate made
 * with the common and French dictionaries (breached passwords, words, first names, dates,
 * keyboard patterns, l33t). A password is accepted when zxcvbn gives it its top score (4: at
 * least 10^10 guesses), which refuses « Soleil2026!! » or « Password2026 » and accepts any
 * passphrase of three or four ordinary words.
 */
export const passwordMinLength = 12;
export const passwordMaxLength = 256;
const requiredScore = 4;
// Only the start of a very long password is analysed: matching is super-linear and the server
// scores passwords sent by anyone holding a link. A start this long that is weak is refused.
const analysedLength = 100;

export type PasswordVerdict = {
  /** Whether the server will accept it. */
  acceptable: boolean;
  /** 0 (guessed at once) … 4 (very hard to guess); 0 when too short. */
  score: 0 | 1 | 2 | 3 | 4;
  /** Why it is refused, in French, or null when acceptable. */
  reason: string | null;
  /** A French hint to make it stronger, or null. */
  hint: string | null;
};

type Dictionaries = {
  common: { dictionary: Record<string, (string | number)[]>; adjacencyGraphs: unknown };
  fr: { dictionary: Record<string, (string | number)[]>; translations: unknown };
};

const defaultHint = 'Une phrase de passe de quatre mots sans lien entre eux est sûre et facile à retenir.';

/** Build the scorer from loaded dictionaries (the web page loads them lazily). */
export function createPasswordScorer({ common, fr }: Dictionaries) {
  const zxcvbn = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...fr.dictionary },
    graphs: common.adjacencyGraphs as never,
    translations: fr.translations as never,
    maxLength: analysedLength,
  });
  /** Score a password; `userInputs` are words the password must not lean on (e-mail, names). */
  return (password: string, userInputs: string[] = []): PasswordVerdict => {
    if (password.length < passwordMinLength) {
      return { acceptable: false, score: 0, reason: `Le mot de passe doit contenir au moins ${passwordMinLength} caractères.`, hint: defaultHint };
    }
    if (password.length > passwordMaxLength) {
      return { acceptable: false, score: 0, reason: `Le mot de passe ne peut pas dépasser ${passwordMaxLength} caractères.`, hint: null };
    }
    const result = zxcvbn.check(password, userInputs);
    if (result.score >= requiredScore) return { acceptable: true, score: result.score, reason: null, hint: null };
    const why =
      result.feedback.warning ??
      `quelqu'un qui volerait les mots de passe chiffrés le retrouverait en ${result.crackTimes.offlineSlowHashingXPerSecond.display} environ.`;
    return {
      acceptable: false,
      score: result.score,
      reason: `Ce mot de passe est trop facile à deviner : ${lowerFirst(why)}`,
      hint: result.feedback.suggestions[0] ? `${result.feedback.suggestions[0]} ${defaultHint}` : defaultHint,
    };
  };
}

export type PasswordScorer = ReturnType<typeof createPasswordScorer>;

/** Load the dictionaries (about 3 MB: a separate chunk for the web app) and build the scorer. */
export async function loadPasswordScorer(): Promise<PasswordScorer> {
  const [common, fr] = await Promise.all([import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-fr')]);
  return createPasswordScorer({ common, fr });
}

function lowerFirst(text: string) {
  const sentence = /[.!]$/.test(text) ? text : `${text}.`;
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}
