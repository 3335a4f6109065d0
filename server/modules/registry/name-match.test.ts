import { describe, expect, it } from 'vitest';
import { capitalsHint, editDistance, nameSimilarity, nearestNames, personScore, queryWords, typedWords } from './name-match.ts';

describe('name matching for the search box (issue 12)', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('mreel', 'merel')).toBe(1);
    expect(editDistance('mreel', 'morel')).toBe(2);
    expect(editDistance('martin', 'martin')).toBe(0);
    expect(nameSimilarity('jean-pierre', 'jean pierre')).toBe(1);
  });
  it('ranks a surname typo above people merely sharing the first name, in either order', () => {
    const words = queryWords('lucas mreel');
    const merel = personScore(words, 'lucas', 'merel') as number;
    const morel = personScore(words, 'lucas', 'morel') as number;
    expect(merel).toBeGreaterThan(morel);
    expect(personScore(words, 'lucas', 'dupont')).toBeNull();
    // Typed surname first (no capitals to tell): the same match, only a tie-break below.
    const reversed = personScore(queryWords('mreel lucas'), 'lucas', 'merel') as number;
    expect(reversed).toBeLessThan(merel);
    expect(reversed).toBeGreaterThan(morel);
    // Another first name: a hit only with the exact surname, below the right person.
    expect(personScore(words, 'jean', 'merel')).toBeNull();
    const exact = queryWords('lucas merel');
    expect(personScore(exact, 'jean', 'merel')).toBeLessThan(personScore(exact, 'lucas', 'merel') as number);
    expect(personScore(queryWords('benoit lefevre'), 'marie', 'lefebvre')).toBeNull();
  });
  it('reads compound names and drops civilities', () => {
    expect(queryWords('mme le gall')).toEqual(['le', 'gall']);
    expect(personScore(queryWords('yann le gall'), 'yann', 'le gall')).toBe(1);
    expect(personScore(queryWords('jean pierre saint martin'), 'jean-pierre', 'saint-martin')).toBe(1);
  });
  it('reads the words typed in capitals as the surname', () => {
    expect(capitalsHint(typedWords('Michel MARTN'))).toEqual([false, true]);
    expect(capitalsHint(typedWords('MME Jeanne DE LA FONTAINE'))).toEqual([false, true, true, true]);
    expect(capitalsHint(typedWords('michel martin'))).toBeNull();
    expect(capitalsHint(typedWords('MICHEL MARTIN'))).toBeNull();
    expect(capitalsHint(typedWords('J DUPONT'))).toEqual([false, true]); // an initial is no surname
    // « Michel MARTN »: Michel MARTIN (a typo in the surname typed in capitals) before Martine
    // MICHEL (an exact surname, a first name two letters off), which wins without the capitals.
    const words = queryWords('michel martn');
    const hint = capitalsHint(typedWords('Michel MARTN'));
    expect(personScore(words, 'martine', 'michel') as number).toBeGreaterThan(personScore(words, 'michel', 'martin') as number);
    expect(personScore(words, 'michel', 'martin', hint) as number).toBeGreaterThan(personScore(words, 'martine', 'michel', hint) as number);
    // « BERNARD Michel »: Michel BERNARD before Bernard MICHEL; lower case, the spoken order
    // « prénom nom » breaks the tie: « lucas bernard » is Lucas BERNARD before Bernard LUCAS.
    const both = queryWords('bernard michel');
    const caps = capitalsHint(typedWords('BERNARD Michel'));
    expect(personScore(both, 'michel', 'bernard', caps) as number).toBeGreaterThan(personScore(both, 'bernard', 'michel', caps) as number);
    const lower = queryWords('lucas bernard');
    expect(personScore(lower, 'lucas', 'bernard') as number).toBeGreaterThan(personScore(lower, 'bernard', 'lucas') as number);
  });
  it('keeps the names nearest to a run of the words', () => {
    expect(nearestNames(['lucas', 'mreel', 'lucas mreel'], ['morel', 'merel', 'dupont', 'merel'], 0.6, 8)).toEqual(['merel', 'morel']);
  });
});
