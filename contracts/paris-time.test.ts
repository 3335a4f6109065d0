import { describe, expect, it } from 'vitest';
import { parisLocalAt, parisLocalToIso, parisOffsetMinutes } from './paris-time.ts';

describe('Paris wall-clock time without luxon', () => {
  it('knows the offset on each side of the 2026 changes (29 March, 25 October, at 01:00 UTC)', () => {
    expect(parisOffsetMinutes(Date.parse('2026-03-29T00:59:00Z'))).toBe(60);
    expect(parisOffsetMinutes(Date.parse('2026-03-29T01:00:00Z'))).toBe(120);
    expect(parisOffsetMinutes(Date.parse('2026-10-25T00:59:00Z'))).toBe(120);
    expect(parisOffsetMinutes(Date.parse('2026-10-25T01:00:00Z'))).toBe(60);
  });

  it('reads a picked date and time as Paris time, winter and summer', () => {
    expect(parisLocalToIso('2026-03-02T14:30')).toBe('2026-03-02T14:30:00+01:00');
    expect(parisLocalToIso('2026-07-14T09:05')).toBe('2026-07-14T09:05:00+02:00');
    expect(Date.parse(parisLocalToIso('2026-07-14T09:05') ?? '')).toBe(Date.parse('2026-07-14T07:05:00Z'));
  });

  it('handles the days the clocks change', () => {
    expect(parisLocalToIso('2026-03-29T01:59')).toBe('2026-03-29T01:59:00+01:00');
    expect(parisLocalToIso('2026-03-29T03:00')).toBe('2026-03-29T03:00:00+02:00');
    expect(parisLocalToIso('2026-03-29T14:00')).toBe('2026-03-29T14:00:00+02:00');
    // 02:30 does not exist on 29 March: one hour later.
    expect(parisLocalToIso('2026-03-29T02:30')).toBe('2026-03-29T03:30:00+02:00');
    expect(parisLocalToIso('2026-10-25T01:30')).toBe('2026-10-25T01:30:00+02:00');
    // 02:30 happens twice on 25 October: the winter one.
    expect(parisLocalToIso('2026-10-25T02:30')).toBe('2026-10-25T02:30:00+01:00');
    expect(parisLocalToIso('2026-10-25T14:00')).toBe('2026-10-25T14:00:00+01:00');
  });

  it('refuses what is not a real date and time', () => {
    expect(parisLocalToIso('')).toBeNull();
    expect(parisLocalToIso('2026-02-30T10:00')).toBeNull();
    expect(parisLocalToIso('2026-03-02T24:00')).toBeNull();
    expect(parisLocalToIso('2026-03-02 14:30')).toBeNull();
    expect(parisLocalToIso('demain')).toBeNull();
  });

  it('gives an instant as the picker writes it, in Paris', () => {
    expect(parisLocalAt(Date.parse('2026-03-29T00:30:00Z'))).toBe('2026-03-29T01:30');
    expect(parisLocalAt(Date.parse('2026-03-29T01:30:00Z'))).toBe('2026-03-29T03:30');
    expect(parisLocalAt(Date.parse('2026-10-25T00:30:00Z'))).toBe('2026-10-25T02:30');
    expect(parisLocalAt(Date.parse('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30');
    expect(parisLocalAt(Date.parse('2026-12-31T23:30:00Z'))).toBe('2027-01-01T00:30');
  });
});
