import { describe, expect, it } from 'vitest';
import { cellText, figureText, INDICATOR_DICTIONARY_VERSION, indicatorIds, indicators } from './indicators.ts';

describe('the indicator dictionary (issue 18)', () => {
  it('defines each indicator once, under its own id, with a French name, definition, unit and computation', () => {
    expect(INDICATOR_DICTIONARY_VERSION).toBeGreaterThanOrEqual(1);
    expect(Object.keys(indicators).sort()).toEqual([...indicatorIds].sort());
    const names = new Set<string>();
    for (const id of indicatorIds) {
      const d = indicators[id];
      expect(d.id).toBe(id);
      expect(d.version).toBeGreaterThanOrEqual(1);
      expect(d.version).toBeLessThanOrEqual(INDICATOR_DICTIONARY_VERSION);
      for (const text of [d.name, d.definition, d.computation]) expect(text.length, `${id}: ${text}`).toBeGreaterThan(5);
      expect(d.definition.endsWith('.')).toBe(true);
      expect(names.has(d.name), d.name).toBe(false);
      names.add(d.name);
      expect(['calls', 'followups', 'registry', 'arrears']).toContain(d.module);
    }
  });

  it('reads a hidden cell « < 11 » and says how many cells a sum leaves out', () => {
    expect(cellText({ value: null, suppressed: true })).toBe('< 11');
    expect(cellText({ value: 1234, suppressed: false })).toBe((1234).toLocaleString('fr-FR'));
    expect(figureText({ value: 40, hidden: 0 })).toBe('40');
    expect(figureText({ value: 40, hidden: 1 })).toBe('40 (+ 1 cellule < 11)');
    expect(figureText({ value: 40, hidden: 3 })).toBe('40 (+ 3 cellules < 11)');
  });
});
