import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectEncoding } from './dialect.ts';
import { csvRecords, readExport } from './export-reader.ts';
import { guessMapping, missingFields } from './mapping.ts';
import { isNir, isNirHeader } from './nir.ts';
import { composeAddress, parseAmountCents, parseFrenchDate, parsePhone, parseYesNo, phoneE164, validateLine } from './validate.ts';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

describe('French dates', () => {
  it('read any real dd/mm/yyyy date back to ISO', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const fr = `${iso.slice(8)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
        return parseFrenchDate(fr) === iso && parseFrenchDate(iso) === iso;
      }),
    );
  });
  it('refuse impossible dates and two-digit years, with a reason', () => {
    expect(() => parseFrenchDate('31/02/1950')).toThrow("n'existe pas");
    expect(() => parseFrenchDate('12/03/45')).toThrow('ambiguë');
    expect(() => parseFrenchDate('1945')).toThrow('JJ/MM/AAAA');
  });
});

describe('French amounts', () => {
  it('read « 1 234,56 » style amounts to cents, negatives included', () => {
    fc.assert(
      fc.property(fc.integer({ min: -99_999_999, max: 99_999_999 }), (cents) => {
        const abs = Math.abs(cents);
        const euros = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
        const text = `${cents < 0 ? '-' : ''}${euros},${pad(abs % 100)}`;
        return parseAmountCents(text) === cents && parseAmountCents(text.replace(/ /g, '\u00a0')) === cents;
      }),
    );
    expect(parseAmountCents('1.234,50 €')).toBe(123450);
    expect(parseAmountCents('12.5')).toBe(1250);
  });
  it('refuse ambiguous or garbled amounts', () => {
    expect(() => parseAmountCents('1,234,56')).toThrow('montant');
    expect(() => parseAmountCents('douze')).toThrow('montant');
  });
});

describe('phones', () => {
  it('normalise any French notation to E.164', () => {
    for (const v of ['06 12 34 56 78', '06.12.34.56.78', '+33 6 12 34 56 78', '0033612345678', '(06) 12-34-56-78']) expect(parsePhone(v)).toBe('+33612345678');
    expect(parsePhone('01 45 67 89 10')).toBe('+33145678910');
  });
  it('refuse what is not a phone number', () => {
    for (const v of ['12', '06 12 34', 'abc', '00 00 00 00 00']) expect(() => parsePhone(v)).toThrow('invalide');
  });
  it('set a spreadsheet formula aside, with a French reason, instead of reading the number after « = »', () => {
    expect(() => parsePhone('=0612345678')).toThrow('formule de tableur');
    const headers = ['Référence logement', 'Code groupe', 'N° bail', 'Nom', 'Prénom', 'Tél. portable'];
    const v = validateLine(2, ['L1', 'G1', 'B1', 'Martin', 'Léa', '=0612345678'], guessMapping(headers), headers);
    expect(v.errors).toEqual([]);
    expect(v.record.mobile).toBeNull();
    expect(v.warnings).toEqual([
      {
        line: 2,
        column: 'Tél. portable',
        value: '=0612345678',
        reason: 'formule de tableur au lieu d’un numéro : valeur ignorée, la personne est importée sans elle',
        field: 'mobile',
      },
    ]);
  });
});

describe('yes/no', () => {
  it('reads French and spreadsheet booleans', () => {
    expect(['Oui', 'O', 'x', '1', 'VRAI'].map(parseYesNo)).toEqual([true, true, true, true, true]);
    expect(['Non', 'n', '0', 'faux'].map(parseYesNo)).toEqual([false, false, false, false]);
    expect(() => parseYesNo('peut-être')).toThrow('oui ou non');
  });
});

describe('NIR detection', () => {
  const nir = fc
    .tuple(
      fc.constantFrom('1', '2'),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 95 }),
      fc.integer({ min: 1, max: 999 }),
      fc.integer({ min: 1, max: 999 }),
    )
    .map(([s, y, m, d, c, o]) => {
      const body = `${s}${pad(y)}${pad(m)}${pad(d)}${pad(c, 3)}${pad(o, 3)}`;
      return `${body}${pad(97 - Number(BigInt(body) % 97n))}`;
    });
  it('recognises any NIR with a valid key, spaced or not', () => {
    fc.assert(fc.property(nir, (n) => isNir(n) && isNir(n.replace(/^(\d)(\d{2})(\d{2})(\d{2})(\d{3})(\d{3})(\d{2})$/, '$1 $2 $3 $4 $5 $6 $7'))));
  });
  it('rejects a wrong key and ordinary numbers', () => {
    fc.assert(fc.property(nir, (n) => !isNir(`${n.slice(0, 13)}${pad((Number(n.slice(13)) % 97) + 1)}`) || n.slice(13) === '97'));
    expect(isNir('0612345678')).toBe(false);
    expect(isNir('123456789012345')).toBe(false);
    expect(isNir('2 69 05 2A 004 001 39')).toBe(isNir('269052A00400139'));
  });
});

describe('dialect detection', () => {
  it('finds the separator outside quotes', () => {
    expect(detectDelimiter('"Nom, prénom";Adresse;Ville\n')).toBe(';');
    expect(detectDelimiter('nom,prenom,ville\n')).toBe(',');
    expect(detectDelimiter('nom\tprenom\tville\n')).toBe('\t');
  });
  it('tells UTF-8 from Windows-1252', () => {
    expect(detectEncoding(Buffer.from('Hélène;Benoît\n', 'utf8'), true)).toBe('utf-8');
    expect(detectEncoding(Buffer.from('Hélène;Benoît\n', 'latin1'), true)).toBe('windows-1252');
    // A sample cut in the middle of a multi-byte character is still UTF-8.
    expect(detectEncoding(Buffer.from('Hélène', 'utf8').subarray(0, 2), false)).toBe('utf-8');
  });
});

describe('column mapping', () => {
  it('guesses French ERP headers, accents, case and stray spaces included', () => {
    const headers = [' N° Logement ', 'CODE GROUPE', 'N° bail', 'NOM', 'Prénom', 'Date de naissance', 'Tél. portable', 'Solde locataire', 'Inconnue'];
    const m = guessMapping(headers);
    expect(Object.values(m)).toEqual(['unit_ref', 'residence_code', 'lease_ref', 'last_name', 'first_name', 'birth_date', 'mobile', 'balance', null]);
    expect(missingFields(m)).toEqual([]);
  });
  it('is not fooled by headers named like Object properties (no prototype pollution)', () => {
    expect(guessMapping(['constructor', '__proto__', 'toString', 'Nom'], { nom: 'last_name' })).toEqual({ '0': null, '1': null, '2': null, '3': 'last_name' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('prefers the organisation’s saved mapping', () => {
    expect(guessMapping(['Mat. locataire'], { 'mat locataire': 'household_ref' })).toEqual({ '0': 'household_ref' });
  });
});

describe('vocabulary of French ERP exports (issue 12)', () => {
  it('recognises the headers of Aareon, Ulis, Prem’s, Ikos-style exports', () => {
    const expected: Record<string, string> = {
      'Réf. contrat': 'lease_ref',
      'Code tiers': 'household_ref',
      'N° voie': 'street_number',
      'Ind. rép.': 'street_repeat',
      'Type voie': 'street_type',
      'Libellé voie': 'street_name',
      'Bât.': 'building',
      'Esc.': 'staircase',
      'Compl. adresse': 'address_complement',
      Type: 'rooms',
      'Ref. lot': 'unit_ref',
      'N° groupe': 'residence_code',
      'Tél. port.': 'mobile',
      'Tél. dom.': 'landline',
      'Date d’effet du bail': 'lease_start',
      'Né(e) le': 'birth_date',
      'N° individu': 'person_ref',
    };
    const headers = Object.keys(expected);
    const m = guessMapping(headers);
    expect(headers.map((h, i) => [h, m[String(i)]])).toEqual(headers.map((h) => [h, expected[h]]));
  });

  it('composes the address from its parts, writing abbreviated street types out', () => {
    expect(composeAddress({ number: '12', repeat: 'bis', type: 'R', name: 'de la Paix' })).toBe('12 bis rue de la Paix');
    expect(composeAddress({ number: '4', type: 'BD', name: 'VOLTAIRE', building: 'A', staircase: '3' })).toBe('4 BOULEVARD VOLTAIRE, bât. A, esc. 3');
    // The address column already carries the number: not written twice; 12 is not 120.
    expect(composeAddress({ address: '12 rue Jean Jaurès', number: '12' })).toBe('12 rue Jean Jaurès');
    expect(composeAddress({ address: '120 rue Jean Jaurès', number: '12' })).toBe('12 120 rue Jean Jaurès');
    expect(composeAddress({})).toBeNull();
  });

  it('names a social-security column by its header, not a commune’s INSEE code', () => {
    for (const h of ['NIR', 'N° sécurité sociale', 'N° SS', 'numéro INSEE', 'No de sécu', 'NSS', 'Numéro de Sécurité Sociale'])
      expect(isNirHeader(h), h).toBe(true);
    for (const h of ['Code INSEE', 'INSEE', 'N° voie', 'Nom', 'Situation']) expect(isNirHeader(h), h).toBe(false);
    expect(guessMapping(['N° sécurité sociale'], { 'n securite sociale': 'person_ref' })).toEqual({ '0': null });
  });

  it('a file of random bytes is refused from its first bytes, without waiting for the rest', async () => {
    const noise = Buffer.alloc(64 * 1024);
    for (let i = 0; i < noise.length; i++) noise[i] = 1 + ((i * 7919) % 255);
    // A source that never ends: only a decision on the first bytes can answer.
    const source = new Readable({ read() {} });
    source.push(noise);
    await expect(readExport(source)).rejects.toThrow(/ni un CSV ni un XLSX/);
  });
});

describe('CSV reading', () => {
  const read = async (chunks: string[], delimiter: ';' | ',' | '\t', fast: boolean) => {
    const rows: { line: number; cells: string[] }[] = [];
    try {
      for await (const row of csvRecords(Readable.from(chunks, { objectMode: true }), delimiter, fast)) rows.push(row);
      return { rows };
    } catch (error) {
      const e = error as { code?: string; lines?: number };
      return { rows, error: [e.code, e.lines] };
    }
  };
  // Text from the characters that matter to a CSV reader: separators, quotes, every line break,
  // white space that is trimmed (tab, no-break space, BOM) or not (letters), cut anywhere in chunks.
  const plain = ['a', 'é', ' ', '\t', ';', ',', '\r', '\n', '\r\n', '\r\n', '\u00a0', '\ufeff', '1'];
  const text = fc
    .oneof(fc.array(fc.constantFrom(...plain), { maxLength: 60 }), fc.array(fc.constantFrom(...plain, '"', '""'), { maxLength: 60 }))
    .map((parts) => parts.join(''));
  const cuts = fc.array(fc.nat(), { maxLength: 4 });
  const split = (t: string, at: number[]) => {
    const points = [...new Set(at.map((n) => n % (t.length + 1)))].sort((x, y) => x - y);
    return [0, ...points].map((p, i) => t.slice(p, points[i] ?? t.length)).filter(Boolean);
  };

  it('reads plain lines itself exactly as csv-parse reads them, and hands quoted ones to it', async () => {
    await fc.assert(
      fc.asyncProperty(text, cuts, fc.constantFrom(';' as const, ',' as const, '\t' as const), async (t, at, d) => {
        const chunks = split(t, at);
        const [mine, theirs] = [await read(chunks, d, true), await read(chunks, d, false)];
        // A malformed file is refused whole: the same error at the same line, whatever was read before it.
        if (mine.error || theirs.error) expect(mine.error).toEqual(theirs.error);
        else expect(mine.rows).toEqual(theirs.rows);
      }),
      { numRuns: Number(process.env.CSV_RUNS ?? 1000) },
    );
  }, 300_000);

  it('numbers lines on after a quoted line with a line break inside', async () => {
    const file = 'Nom;Ville\r\nA;Paris\r\n"B\r\nC";Lyon\r\nD;Nice\r\n';
    // csv-parse counts the carriage return and the line feed inside quotes as a line each.
    const expected = [
      { line: 1, cells: ['Nom', 'Ville'] },
      { line: 2, cells: ['A', 'Paris'] },
      { line: 5, cells: ['B\r\nC', 'Lyon'] },
      { line: 6, cells: ['D', 'Nice'] },
    ];
    expect((await read([file], ';', true)).rows).toEqual(expected);
    expect((await read([file], ';', false)).rows).toEqual(expected);
    expect((await read(['Nom;Ville\nA;Paris\n"B;Lyon\n'], ';', true)).error).toEqual(['CSV_QUOTE_NOT_CLOSED', 3]);
  });
});

describe('phoneE164 (a number typed by a tenant or a volunteer)', () => {
  it('gives E.164 for a valid number and null for anything else', () => {
    expect(phoneE164('06 12 34 56 78')).toBe('+33612345678');
    expect(phoneE164('+44 20 7946 0958')).toBe('+442079460958');
    expect(phoneE164('12 34')).toBeNull();
    expect(phoneE164('=0612345678')).toBeNull();
  });
});
