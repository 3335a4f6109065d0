import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSms, isGsm7, renderTemplate, unknownFields } from './messaging.ts';

describe('countSms: encoding and segments (TRUST IN-10)', () => {
  it('counts 160 GSM-7 characters as one SMS and 161 as two', () => {
    expect(countSms('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', length: 160, segments: 1, remaining: 0 });
    expect(countSms('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', length: 161, segments: 2, remaining: 153 * 2 - 161 });
    expect(countSms('a'.repeat(306)).segments).toBe(2);
    expect(countSms('a'.repeat(307)).segments).toBe(3);
  });

  it('keeps French letters of the GSM alphabet in GSM-7 and turns to UCS-2 for the others', () => {
    expect(countSms('Bonjour Mme Hélène, à très bientôt ? Non : à jeudi.').encoding).toBe('UCS-2');
    expect(countSms('Bonjour Mme Hélène, à jeudi. Où ça ?').encoding).toBe('UCS-2');
    expect(countSms('Bonjour Mme Hélène, à jeudi. Où ?').encoding).toBe('GSM-7');
    expect(countSms('L’agence vous rappelle').unicodeCharacters).toEqual(['’']);
    expect(countSms('a'.repeat(70) + 'ê')).toMatchObject({ encoding: 'UCS-2', length: 71, segments: 2 });
    expect(countSms('a'.repeat(69) + 'ê')).toMatchObject({ encoding: 'UCS-2', length: 70, segments: 1 });
  });

  it('counts the extension table (€, [, ]…) as two septets', () => {
    expect(countSms('12 €')).toMatchObject({ encoding: 'GSM-7', length: 5 });
    expect(countSms('€'.repeat(80)).segments).toBe(1);
    expect(countSms(`${'€'.repeat(80)}a`).segments).toBe(2);
  });

  it('never splits an extension character across two parts', () => {
    // 152 septets then a € (2 septets): the € starts the second part.
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(countSms(text)).toMatchObject({ length: 306, segments: 3 });
  });

  it('an empty text is no SMS', () => {
    expect(countSms('')).toMatchObject({ segments: 0, length: 0 });
  });

  it('segments match the standard formula for plain GSM-7 and BMP UCS-2 texts (property)', () => {
    const gsmChars = 'abcdefXYZ0123 .,:!?éèàù@£$';
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...gsmChars), { maxLength: 700 }), (chars) => {
        const text = chars.join('');
        const n = text.length;
        const { segments, encoding } = countSms(text);
        expect(encoding).toBe('GSM-7');
        expect(segments).toBe(n === 0 ? 0 : n <= 160 ? 1 : Math.ceil(n / 153));
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'abcêâç’«» '), { minLength: 1, maxLength: 400 }), (chars) => {
        const text = `ê${chars.join('')}`;
        const n = text.length;
        expect(countSms(text).segments).toBe(n <= 70 ? 1 : Math.ceil(n / 67));
      }),
    );
  });

  it('a text is GSM-7 exactly when every character is in the alphabet (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), (text) => {
        expect(countSms(text).encoding === 'GSM-7').toBe(isGsm7(text));
      }),
    );
  });
});

describe('templates: merge fields', () => {
  it('names the unknown fields and renders the known ones', () => {
    expect(unknownFields('Bonjour {civilite} {nom}, {inconnu} {montant} {autre}')).toEqual(['inconnu', 'autre']);
    expect(renderTemplate('Bonjour {civilite} {nom}, {montant} €', { civilite: 'Madame', nom: 'Durand', montant: '12,50' })).toBe(
      'Bonjour Madame Durand, 12,50 €',
    );
  });
});
