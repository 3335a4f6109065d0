import { describe, expect, it } from 'vitest';
import { plural, word } from './plural.ts';

describe('plural', () => {
  it('puts 0 and 1 in the singular and 2 and more in the plural, as French does', () => {
    expect(plural(0, 'ménage')).toBe('0 ménage');
    expect(plural(1, 'ménage')).toBe('1 ménage');
    expect(plural(2, 'ménage')).toBe('2 ménages');
    expect(plural(1.5, 'heure')).toBe('1,5 heure');
  });
  it('takes an irregular plural and groups thousands with a narrow no-break space', () => {
    expect(plural(3, 'rappel à passer', 'rappels à passer')).toBe('3 rappels à passer');
    expect(plural(1, 'bureau', 'bureaux')).toBe('1 bureau');
    expect(plural(2, 'bureau', 'bureaux')).toBe('2 bureaux');
    expect(plural(1000, 'ménage')).toBe('1\u202f000 ménages');
    expect(plural(1200, 'ménage')).toBe('1\u202f200 ménages');
    expect(plural(200000, 'personne')).toBe('200\u202f000 personnes');
  });
});

describe('word', () => {
  it('gives the word alone, agreed with the number', () => {
    expect(word(0, 'sera appelé', 'seront appelés')).toBe('sera appelé');
    expect(word(1, 'sera appelé', 'seront appelés')).toBe('sera appelé');
    expect(word(2, 'sera appelé', 'seront appelés')).toBe('seront appelés');
    expect(word(1000, 'ménage')).toBe('ménages');
  });
});
