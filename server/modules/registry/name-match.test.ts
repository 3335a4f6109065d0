import { describe, expect, it } from 'vitest';
import { editDistance, nameSimilarity, nearestNames, personScore, queryWords } from './name-match.ts';

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
    expect(personScore(queryWords('mreel lucas'), 'lucas', 'merel')).toBe(merel);
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
  it('keeps the names nearest to a run of the words', () => {
    expect(nearestNames(['lucas', 'mreel', 'lucas mreel'], ['morel', 'merel', 'dupont', 'merel'], 0.6, 8)).toEqual(['merel', 'morel']);
  });
});
