import { describe, expect, it } from 'vitest';
import { plural } from './locale.ts';

describe('plural', () => {
  it('puts 0 and 1 in the singular and 2 and more in the plural, as French does', () => {
    expect(plural(0, 'ménage')).toBe('0 ménage');
    expect(plural(1, 'ménage')).toBe('1 ménage');
    expect(plural(2, 'ménage')).toBe('2 ménages');
    expect(plural(1.5, 'heure')).toBe('1,5 heure');
  });
  it('takes an irregular plural and writes large numbers the French way', () => {
    expect(plural(3, 'rappel à passer', 'rappels à passer')).toBe('3 rappels à passer');
    expect(plural(1200, 'ménage')).toBe('1\u202f200 ménages');
  });
});
