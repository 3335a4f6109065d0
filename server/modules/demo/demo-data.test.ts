import fc from 'fast-check';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { generateHouseholds } from './demo-data.ts';

describe('demo households', () => {
  it('are reproducible: same seed, same households; another seed, others', () => {
    expect(generateHouseholds(50, 7)).toEqual(generateHouseholds(50, 7));
    expect(generateHouseholds(50, 8)).not.toEqual(generateHouseholds(50, 7));
  });

  it('look like a social landlord: seniors, people living alone, reduced mobility, valid French phones', () => {
    const households = generateHouseholds(2000, 1);
    const holders = households.map((h) => h.persons[0]!);
    const seniors = holders.filter((p) => Number(p.birth_date.slice(0, 4)) <= 2026 - 70).length / holders.length;
    expect(seniors).toBeGreaterThan(0.15);
    expect(seniors).toBeLessThan(0.4);
    expect(households.filter((h) => h.livesAlone).length).toBeGreaterThan(400);
    expect(households.filter((h) => h.reducedMobility).length).toBeGreaterThan(50);
    for (const h of households.slice(0, 300)) {
      for (const p of h.persons) for (const phone of p.phones) expect(parsePhoneNumberWithError(phone.value).isValid(), phone.value).toBe(true);
      if (h.livesAlone) expect(h.persons).toHaveLength(1);
    }
  });

  it('gives unique ERP references for any size and seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 10_000 }), (n, seed) => {
        const refs = generateHouseholds(n, seed).map((h) => h.erp_ref);
        return new Set(refs).size === n;
      }),
      { numRuns: 30 },
    );
  });
});
