import { describe, expect, it } from 'vitest';
import type { GroupCount } from './indicator-sources.ts';
import { suppress } from './suppression.ts';

const cell = (dimension: GroupCount['dimension'], dimension_value: string, households: number, value = households): GroupCount => ({
  period: '2026-03',
  dimension,
  dimension_value,
  value,
  households,
});
const shown = (cells: ReturnType<typeof suppress>) => Object.fromEntries(cells.map((c) => [`${c.dimension}:${c.dimensionValue}`, c.value]));

describe('small-cell suppression (TRUST DP-14)', () => {
  it('publishes cells of 11 households or more as they are', () => {
    const out = suppress('households_reached', [
      cell('total', '', 40),
      cell('department', '75', 25),
      cell('department', '93', 15),
      cell('qpv', 'qpv', 11),
      cell('qpv', 'hors_qpv', 29),
    ]);
    expect(shown(out)).toEqual({ 'total:': 40, 'department:75': 25, 'department:93': 15, 'qpv:qpv': 11, 'qpv:hors_qpv': 29 });
    expect(out.every((c) => c.suppressed === false && c.period === '2026-03-01')).toBe(true);
  });

  it('hides a cell under 11 households, and the smallest other cell so the hidden one cannot be recomputed from the total', () => {
    const out = suppress('households_reached', [
      cell('total', '', 100),
      cell('department', '75', 60),
      cell('department', '92', 30),
      cell('department', '93', 10),
      cell('qpv', 'qpv', 4),
      cell('qpv', 'hors_qpv', 96),
    ]);
    const v = shown(out);
    expect(v['total:']).toBe(100);
    expect(v['department:93']).toBeNull();
    // 92 is the smallest published one: hidden too, so 100 − 60 leaves 40 to share between two hidden cells.
    expect(v['department:92']).toBeNull();
    expect(v['department:75']).toBe(60);
    // Two cells: both hidden.
    expect(v['qpv:qpv']).toBeNull();
    expect(v['qpv:hors_qpv']).toBeNull();
    expect(out.filter((c) => c.suppressed).every((c) => c.value === null)).toBe(true);
  });

  it('adds no complementary cell when two cells are already hidden', () => {
    const out = suppress('households_reached', [cell('total', '', 60), cell('department', '75', 42), cell('department', '77', 9), cell('department', '78', 9)]);
    expect(shown(out)).toEqual({ 'total:': 60, 'department:75': 42, 'department:77': null, 'department:78': null });
  });

  it('hides the whole month when its total is under 11 households', () => {
    const out = suppress('calls_made', [cell('total', '', 10, 50), cell('department', '75', 10, 50), cell('qpv', 'hors_qpv', 10, 50)]);
    expect(out.every((c) => c.suppressed && c.value === null)).toBe(true);
  });

  it('counts households for the threshold even when the value counts events', () => {
    // 200 calls to 8 households: hidden; 30 calls to 12 households: shown.
    const out = suppress('calls_made', [cell('total', '', 8, 200)]);
    expect(out[0]?.suppressed).toBe(true);
    expect(suppress('calls_made', [cell('total', '', 12, 30)])[0]?.value).toBe(30);
  });

  it('never leaves exactly one hidden cell in a breakdown whose total is shown', () => {
    // Random tables: whatever the counts, a hidden cell always has company.
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let t = 0; t < 500; t++) {
      const deps = Array.from({ length: 1 + Math.floor(rand() * 5) }, (_, i) => cell('department', `d${i}`, Math.floor(rand() * 40)));
      const total = deps.reduce((s, c) => s + c.households, 0);
      const out = suppress('households_reached', [cell('total', '', total), ...deps]);
      const totalShown = !out.find((c) => c.dimension === 'total')?.suppressed;
      const hidden = out.filter((c) => c.dimension === 'department' && c.suppressed).length;
      if (totalShown) expect(hidden).not.toBe(1);
      for (const c of out) if (!c.suppressed) expect(deps.find((d) => d.dimension_value === c.dimensionValue)?.households ?? total).toBeGreaterThanOrEqual(11);
    }
  });
});
