import { describe, expect, it } from 'vitest';
import { formatPhone } from './phone.ts';

describe('formatPhone: numbers as French users write them', () => {
  it('writes French mobiles and landlines in pairs with their leading 0', () => {
    expect(formatPhone('+33671729372')).toBe('06 71 72 93 72');
    expect(formatPhone('+33712345678')).toBe('07 12 34 56 78');
    expect(formatPhone('+33145678901')).toBe('01 45 67 89 01');
    expect(formatPhone('+33988776655')).toBe('09 88 77 66 55');
  });

  it('writes overseas departments as they are dialled from mainland France', () => {
    expect(formatPhone('+262692123456')).toBe('06 92 12 34 56');
    expect(formatPhone('+590590123456')).toBe('05 90 12 34 56');
  });

  it('keeps foreign numbers international, the country code set apart', () => {
    expect(formatPhone('+32470123456')).toBe('+32 470123456');
    expect(formatPhone('+442079460958')).toBe('+44 2079460958');
    expect(formatPhone('+14155550100')).toBe('+1 4155550100');
    expect(formatPhone('+212612345678')).toBe('+212 612345678');
    expect(formatPhone('+37793151515')).toBe('+377 93151515');
  });

  it('reads a French national number in pairs too', () => {
    expect(formatPhone('0671729372')).toBe('06 71 72 93 72');
  });

  it('leaves anything else as it is', () => {
    for (const value of ['', 'inconnu', '+33', '+3367172729', '12', '06 71 72 93 72', '+0612345678', 'a@b.fr', '+336717272931234567']) {
      expect(formatPhone(value)).toBe(value);
    }
  });
});
