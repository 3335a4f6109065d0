import { describe, expect, it } from 'vitest';
import { checkNote } from './note-guard.ts';

describe('call-note guard (TRUST DP-05)', () => {
  it('warns on health terms, whatever the accents and case', () => {
    expect(checkNote('Mme a du diabète, prend son insuline').flags).toEqual(['health']);
    // Reported as written, accents included.
    expect(checkNote('DIABETE').health).toEqual(['DIABETE']);
    expect(checkNote('suit une chimiothérapie').health).toEqual(['chimiothérapie']);
    expect(checkNote('Diabète 😀 et dépression').health).toEqual(['Diabète', 'dépression']);
  });

  it('flags pejorative words', () => {
    const c = checkNote('Le voisin dit qu’il est alcoolique et un peu fou');
    expect(c.flags).toEqual(['pejorative']);
    expect(c.pejorative.sort()).toEqual(['alcoolique', 'fou']);
    expect(checkNote('Vraiment un cas social').pejorative).toEqual(['cas social']);
  });

  it('reports both kinds at once', () => {
    expect(checkNote('Folle, sous antidépresseurs').flags).toEqual(['health', 'pejorative']);
  });

  it('leaves factual notes alone, and does not match inside other words', () => {
    expect(checkNote('Joint à 10 h, souhaite des courses jeudi. Fils passe le week-end.').flags).toEqual([]);
    // « fou » inside « fourni », « avc » inside nothing, « sida » inside « résidant »: no match.
    expect(checkNote('Colis fourni par la résidence, résidant depuis 1998').flags).toEqual([]);
  });
});
