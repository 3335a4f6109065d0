import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, planSchedule } from './schedule.ts';

const day = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const amount = fc.integer({ min: 1, max: 10_000_000_00 });
const months = fc.integer({ min: 1, max: 120 });

describe('planSchedule (property tests, fast-check)', () => {
  it('étalement and apurement: months instalments, sum = amount, each ≥ 0, the last carries the remainder', () => {
    fc.assert(
      fc.property(fc.constantFrom('instalments' as const, 'clearance' as const), amount, day, months, (kind, cents, start, n) => {
        const s = planSchedule(kind, cents, start, n);
        expect(s).toHaveLength(n);
        expect(s.reduce((t, i) => t + i.amountCents, 0)).toBe(cents);
        for (const i of s) expect(Number.isInteger(i.amountCents) && i.amountCents >= 0).toBe(true);
        const each = Math.floor(cents / n);
        for (const i of s.slice(0, -1)) expect(i.amountCents).toBe(each);
        expect(s.at(-1)?.amountCents).toBe(each + (cents % n));
        expect(s.map((i) => i.seq)).toEqual(Array.from({ length: n }, (_, k) => k + 1));
        // Due dates: one a month, strictly increasing, the first on the start date.
        expect(s[0]?.dueOn).toBe(start);
        for (let k = 1; k < s.length; k++) expect((s[k] as { dueOn: string }).dueOn > (s[k - 1] as { dueOn: string }).dueOn).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('report: one instalment of the whole amount, months after the start', () => {
    fc.assert(
      fc.property(amount, day, months, (cents, start, n) => {
        expect(planSchedule('deferral', cents, start, n)).toEqual([{ seq: 1, dueOn: addMonths(start, n), amountCents: cents }]);
      }),
    );
  });

  it('addMonths lands in the right month, on the same day or the month’s last', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 240 }), (start, n) => {
        const [y, m, d] = start.split('-').map(Number) as [number, number, number];
        const [y2, m2, d2] = addMonths(start, n).split('-').map(Number) as [number, number, number];
        expect(y2 * 12 + m2).toBe(y * 12 + m + n);
        expect(d2 <= d).toBe(true);
        // A shorter day only when the month reached has no such day: it is then that month's last.
        if (d2 < d) expect(new Date(Date.UTC(y2, m2, 0)).getUTCDate()).toBe(d2);
      }),
    );
  });

  it('examples: 1000,00 € over 3 months, 31 January', () => {
    expect(planSchedule('clearance', 100000, '2020-01-31', 3)).toEqual([
      { seq: 1, dueOn: '2020-01-31', amountCents: 33333 },
      { seq: 2, dueOn: '2020-02-29', amountCents: 33333 },
      { seq: 3, dueOn: '2020-03-31', amountCents: 33334 },
    ]);
    expect(planSchedule('instalments', 5, '2021-05-10', 7).map((i) => i.amountCents)).toEqual([0, 0, 0, 0, 0, 0, 5]);
    expect(() => planSchedule('instalments', 0, '2021-05-10', 3)).toThrow(RangeError);
    expect(() => planSchedule('instalments', 10.5, '2021-05-10', 3)).toThrow(RangeError);
  });
});
