import { describe, expect, it } from 'vitest';
import {
  type CallWindows,
  defaultCallWindows,
  defaultRetryPolicy,
  describeWindows,
  isWithinWindows,
  nextAttemptAt,
  nextWindowOpening,
  slotOf,
  type TimeSlot,
  timeSlotLabels,
  timeSlots,
} from './schedule.ts';

/** Expected instants are written as UTC literals so the tests do not rely on luxon to check luxon. */
const utc = (iso: string) => new Date(iso);
const everyDay: CallWindows = { days: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '19:00' };
const retry = (minutes: number) => ({ retryAfterMinutes: minutes, maxAttempts: 4 });

/** Instants every `stepMinutes` in [from, to). */
function instants(from: string, to: string, stepMinutes: number): Date[] {
  const result: Date[] = [];
  for (let t = utc(from).getTime(); t < utc(to).getTime(); t += stepMinutes * 60_000) result.push(new Date(t));
  return result;
}

describe('defaults', () => {
  it('are Monday to Saturday 09:00–19:00, retry after 3 hours, 4 attempts', () => {
    expect(defaultCallWindows).toEqual({ days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '19:00' });
    expect(defaultRetryPolicy).toEqual({ retryAfterMinutes: 180, maxAttempts: 4 });
    expect(timeSlots.map((slot) => timeSlotLabels[slot])).toEqual(['matin', 'midi', 'après-midi', 'soir']);
  });
});

describe('isWithinWindows', () => {
  it('accepts Monday 09:00 and Saturday 18:59 Paris (winter and summer)', () => {
    expect(isWithinWindows(utc('2026-01-12T08:00:00Z'), defaultCallWindows)).toBe(true); // Monday 09:00 CET
    expect(isWithinWindows(utc('2026-01-17T17:59:59Z'), defaultCallWindows)).toBe(true); // Saturday 18:59:59 CET
    expect(isWithinWindows(utc('2026-06-08T07:00:00Z'), defaultCallWindows)).toBe(true); // Monday 09:00 CEST
    expect(isWithinWindows(utc('2026-06-13T16:59:00Z'), defaultCallWindows)).toBe(true); // Saturday 18:59 CEST
  });

  it('rejects 19:00, 08:59 and any Sunday time', () => {
    expect(isWithinWindows(utc('2026-01-17T18:00:00Z'), defaultCallWindows)).toBe(false); // Saturday 19:00 CET
    expect(isWithinWindows(utc('2026-01-12T07:59:00Z'), defaultCallWindows)).toBe(false); // Monday 08:59 CET
    expect(isWithinWindows(utc('2026-06-13T17:00:00Z'), defaultCallWindows)).toBe(false); // Saturday 19:00 CEST
    expect(isWithinWindows(utc('2026-06-08T06:59:00Z'), defaultCallWindows)).toBe(false); // Monday 08:59 CEST
    const sunday = instants('2026-01-17T23:00:00Z', '2026-01-18T23:00:00Z', 15);
    expect(sunday).toHaveLength(96);
    expect(sunday.filter((at) => isWithinWindows(at, defaultCallWindows))).toEqual([]);
    // The same day is open when Sunday is allowed.
    expect(sunday.filter((at) => isWithinWindows(at, everyDay))).toHaveLength(40);
  });

  it('follows the spring DST change (29 March 2026)', () => {
    const sunday = instants('2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z', 15); // the 23-hour Sunday
    expect(sunday.filter((at) => isWithinWindows(at, defaultCallWindows))).toEqual([]);
    expect(isWithinWindows(utc('2026-03-27T08:00:00Z'), defaultCallWindows)).toBe(true); // Friday 09:00 CET
    expect(isWithinWindows(utc('2026-03-27T07:30:00Z'), defaultCallWindows)).toBe(false); // Friday 08:30 CET
    expect(isWithinWindows(utc('2026-03-30T07:00:00Z'), defaultCallWindows)).toBe(true); // Monday 09:00 CEST
    expect(isWithinWindows(utc('2026-03-30T06:59:00Z'), defaultCallWindows)).toBe(false); // Monday 08:59 CEST
    expect(isWithinWindows(utc('2026-03-30T16:59:00Z'), defaultCallWindows)).toBe(true); // Monday 18:59 CEST
    expect(isWithinWindows(utc('2026-03-30T17:00:00Z'), defaultCallWindows)).toBe(false); // Monday 19:00 CEST
  });

  it('follows the autumn DST change (25 October 2026)', () => {
    const sunday = instants('2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z', 15); // the 25-hour Sunday
    expect(sunday.filter((at) => isWithinWindows(at, defaultCallWindows))).toEqual([]);
    expect(isWithinWindows(utc('2026-10-24T07:00:00Z'), defaultCallWindows)).toBe(true); // Saturday 09:00 CEST
    expect(isWithinWindows(utc('2026-10-24T06:59:00Z'), defaultCallWindows)).toBe(false); // Saturday 08:59 CEST
    expect(isWithinWindows(utc('2026-10-26T08:00:00Z'), defaultCallWindows)).toBe(true); // Monday 09:00 CET
    expect(isWithinWindows(utc('2026-10-26T07:30:00Z'), defaultCallWindows)).toBe(false); // Monday 08:30 CET
    expect(isWithinWindows(utc('2026-10-26T18:00:00Z'), defaultCallWindows)).toBe(false); // Monday 19:00 CET
  });

  it('rejects malformed windows', () => {
    const at = utc('2026-01-12T10:00:00Z');
    expect(() => isWithinWindows(at, { ...defaultCallWindows, start: '9:00' })).toThrow();
    expect(() => isWithinWindows(at, { ...defaultCallWindows, end: '19:60' })).toThrow();
    expect(() => isWithinWindows(at, { ...defaultCallWindows, start: '19:00', end: '09:00' })).toThrow();
    expect(() => isWithinWindows(at, { ...defaultCallWindows, days: [0, 1] })).toThrow();
  });
});

describe('nextWindowOpening', () => {
  it('returns the instant itself when inside the windows', () => {
    const at = utc('2026-01-12T10:17:00Z');
    expect(nextWindowOpening(at, defaultCallWindows)).toBe(at);
  });

  it('opens later the same day before 09:00', () => {
    expect(nextWindowOpening(utc('2026-01-12T06:00:00Z'), defaultCallWindows)).toEqual(utc('2026-01-12T08:00:00Z'));
  });

  it('goes from Saturday 19:30 to Monday 09:00 Paris', () => {
    expect(nextWindowOpening(utc('2026-01-17T18:30:00Z'), defaultCallWindows)).toEqual(utc('2026-01-19T08:00:00Z'));
    expect(nextWindowOpening(utc('2026-06-13T17:30:00Z'), defaultCallWindows)).toEqual(utc('2026-06-15T07:00:00Z'));
  });

  it('gives the right UTC instant across both DST changes', () => {
    expect(nextWindowOpening(utc('2026-03-27T07:00:00Z'), defaultCallWindows)).toEqual(utc('2026-03-27T08:00:00Z')); // Friday 09:00 CET
    expect(nextWindowOpening(utc('2026-03-28T18:30:00Z'), defaultCallWindows)).toEqual(utc('2026-03-30T07:00:00Z')); // Monday 09:00 CEST
    expect(nextWindowOpening(utc('2026-03-29T00:00:00Z'), everyDay)).toEqual(utc('2026-03-29T07:00:00Z')); // Sunday 09:00 CEST
    expect(nextWindowOpening(utc('2026-10-24T06:00:00Z'), defaultCallWindows)).toEqual(utc('2026-10-24T07:00:00Z')); // Saturday 09:00 CEST
    expect(nextWindowOpening(utc('2026-10-24T17:30:00Z'), defaultCallWindows)).toEqual(utc('2026-10-26T08:00:00Z')); // Monday 09:00 CET
    expect(nextWindowOpening(utc('2026-10-25T00:00:00Z'), everyDay)).toEqual(utc('2026-10-25T08:00:00Z')); // Sunday 09:00 CET
  });

  it('moves a start time skipped by DST forward, and skips the day when it would fall past the end', () => {
    // 02:30 does not exist on 29 March: the window opens at 03:30 CEST.
    expect(nextWindowOpening(utc('2026-03-28T23:30:00Z'), { days: [7], start: '02:30', end: '04:00' })).toEqual(utc('2026-03-29T01:30:00Z'));
    // 02:00–03:00 does not exist at all that Sunday: next opening is the following Sunday 02:00 CEST.
    expect(nextWindowOpening(utc('2026-03-28T23:30:00Z'), { days: [7], start: '02:00', end: '03:00' })).toEqual(utc('2026-04-05T00:00:00Z'));
  });

  it('throws when the windows have no day', () => {
    expect(() => nextWindowOpening(utc('2026-01-12T10:00:00Z'), { ...defaultCallWindows, days: [] })).toThrow(/no day/);
  });
});

describe('slotOf', () => {
  it('cuts the Paris day at 12:00, 14:00 and 17:00', () => {
    // 12 January 2026, CET (UTC+1).
    expect(slotOf(utc('2026-01-12T10:59:00Z'))).toBe('morning');
    expect(slotOf(utc('2026-01-12T11:00:00Z'))).toBe('midday');
    expect(slotOf(utc('2026-01-12T12:59:00Z'))).toBe('midday');
    expect(slotOf(utc('2026-01-12T13:00:00Z'))).toBe('afternoon');
    expect(slotOf(utc('2026-01-12T15:59:00Z'))).toBe('afternoon');
    expect(slotOf(utc('2026-01-12T16:00:00Z'))).toBe('evening');
    expect(slotOf(utc('2026-01-12T22:59:00Z'))).toBe('evening');
    expect(slotOf(utc('2026-01-12T23:00:00Z'))).toBe('morning'); // Tuesday 00:00
  });

  it('uses the Paris offset in force on DST days', () => {
    expect(slotOf(utc('2026-03-29T00:30:00Z'))).toBe('morning'); // 01:30 CET
    expect(slotOf(utc('2026-03-29T10:30:00Z'))).toBe('midday'); // 12:30 CEST (11:30 in CET)
    expect(slotOf(utc('2026-03-29T15:30:00Z'))).toBe('evening'); // 17:30 CEST (16:30 in CET)
    expect(slotOf(utc('2026-10-25T00:30:00Z'))).toBe('morning'); // 02:30 CEST
    expect(slotOf(utc('2026-10-25T12:30:00Z'))).toBe('midday'); // 13:30 CET (14:30 in CEST)
    expect(slotOf(utc('2026-10-25T15:30:00Z'))).toBe('afternoon'); // 16:30 CET (17:30 in CEST)
  });
});

describe('nextAttemptAt', () => {
  it('after an 18:00 no-answer with 180 minutes, lands on the next window morning', () => {
    // Tuesday 18:00 CET → Wednesday 09:00.
    expect(nextAttemptAt(utc('2026-01-13T17:00:00Z'), defaultRetryPolicy, defaultCallWindows, ['evening'])).toEqual(utc('2026-01-14T08:00:00Z'));
    // Saturday 18:00 CET → Monday 09:00.
    expect(nextAttemptAt(utc('2026-01-17T17:00:00Z'), defaultRetryPolicy, defaultCallWindows, ['evening'])).toEqual(utc('2026-01-19T08:00:00Z'));
  });

  it('after a morning no-answer, tries midday or later the same day', () => {
    const monday0930 = utc('2026-01-12T08:30:00Z');
    // 10:30 would still be morning: moves to 12:00.
    const soon = nextAttemptAt(monday0930, retry(60), defaultCallWindows, ['morning']);
    expect(soon).toEqual(utc('2026-01-12T11:00:00Z'));
    expect(slotOf(soon)).toBe('midday');
    // 12:30 is already midday: kept as is.
    expect(nextAttemptAt(monday0930, defaultRetryPolicy, defaultCallWindows, ['morning'])).toEqual(utc('2026-01-12T11:30:00Z'));
    // Morning and midday tried: 14:00.
    expect(nextAttemptAt(monday0930, retry(60), defaultCallWindows, ['morning', 'midday'])).toEqual(utc('2026-01-12T13:00:00Z'));
    // Without tried slots: the plain earliest time.
    expect(nextAttemptAt(monday0930, retry(60), defaultCallWindows, [])).toEqual(utc('2026-01-12T09:30:00Z'));
  });

  it('looks for an untried slot on later days', () => {
    // Saturday 16:00 CET + 3 h = 19:00, closed; Monday 09:00 is morning (tried) → Monday 12:00.
    expect(nextAttemptAt(utc('2026-01-17T15:00:00Z'), defaultRetryPolicy, defaultCallWindows, ['evening', 'morning'])).toEqual(utc('2026-01-19T11:00:00Z'));
  });

  it('returns the plain earliest time when every slot was tried', () => {
    const monday0930 = utc('2026-01-12T08:30:00Z');
    expect(nextAttemptAt(monday0930, retry(60), defaultCallWindows, [...timeSlots])).toEqual(utc('2026-01-12T09:30:00Z'));
    expect(nextAttemptAt(utc('2026-01-17T17:00:00Z'), defaultRetryPolicy, defaultCallWindows, [...timeSlots])).toEqual(utc('2026-01-19T08:00:00Z'));
  });

  it('skips slot boundaries outside the windows', () => {
    const mornings: CallWindows = { days: [1, 2, 3, 4, 5], start: '09:00', end: '12:00' };
    // Only morning fits in 09–12: no other slot can be found, so the earliest time is kept.
    expect(nextAttemptAt(utc('2026-01-12T08:30:00Z'), retry(60), mornings, ['morning'])).toEqual(utc('2026-01-12T09:30:00Z'));
    // Window 09–15: afternoon starts 14:00, evening never fits.
    const dayTime: CallWindows = { days: [1, 2, 3, 4, 5], start: '09:00', end: '15:00' };
    expect(nextAttemptAt(utc('2026-01-12T08:30:00Z'), retry(60), dayTime, ['morning', 'midday'])).toEqual(utc('2026-01-12T13:00:00Z'));
    // 14:30 tried in the afternoon, everything but evening tried: evening is out of the window → earliest time (Tuesday 09:00).
    expect(nextAttemptAt(utc('2026-01-12T13:30:00Z'), retry(60), dayTime, ['morning', 'midday', 'afternoon'])).toEqual(utc('2026-01-13T08:00:00Z'));
  });

  it('gives the right UTC instant the morning after an evening before a DST change', () => {
    // Saturday 28 March 18:00 CET; Sunday is the 23-hour day.
    const spring = utc('2026-03-28T17:00:00Z');
    expect(nextAttemptAt(spring, defaultRetryPolicy, defaultCallWindows, ['evening'])).toEqual(utc('2026-03-30T07:00:00Z')); // Monday 09:00 CEST
    expect(nextAttemptAt(spring, defaultRetryPolicy, everyDay, ['evening'])).toEqual(utc('2026-03-29T07:00:00Z')); // Sunday 09:00 CEST
    expect(nextAttemptAt(spring, defaultRetryPolicy, everyDay, ['evening', 'morning'])).toEqual(utc('2026-03-29T10:00:00Z')); // Sunday 12:00 CEST
    // Saturday 24 October 18:00 CEST; Sunday is the 25-hour day.
    const autumn = utc('2026-10-24T16:00:00Z');
    expect(nextAttemptAt(autumn, defaultRetryPolicy, defaultCallWindows, ['evening'])).toEqual(utc('2026-10-26T08:00:00Z')); // Monday 09:00 CET
    expect(nextAttemptAt(autumn, defaultRetryPolicy, everyDay, ['evening'])).toEqual(utc('2026-10-25T08:00:00Z')); // Sunday 09:00 CET
    expect(nextAttemptAt(autumn, defaultRetryPolicy, everyDay, ['evening', 'morning', 'midday'])).toEqual(utc('2026-10-25T13:00:00Z')); // Sunday 14:00 CET
  });

  it('rejects a negative delay', () => {
    expect(() => nextAttemptAt(utc('2026-01-12T08:30:00Z'), retry(-1), defaultCallWindows, [])).toThrow();
  });

  it('always returns a time inside the windows, at least the delay later (seeded pseudo-random instants)', () => {
    let seed = 20260101;
    const random = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const windowsChoices: CallWindows[] = [
      defaultCallWindows,
      everyDay,
      { days: [1, 3, 5], start: '09:30', end: '12:00' },
      { days: [2, 4, 6, 7], start: '13:15', end: '20:45' },
    ];
    const yearStart = utc('2026-01-01T00:00:00Z').getTime();
    const yearMs = utc('2027-01-01T00:00:00Z').getTime() - yearStart;
    const cases: Date[] = [];
    for (let i = 0; i < 200; i++) cases.push(new Date(yearStart + Math.floor(random() * yearMs)));
    // Plus a sweep over both DST weekends.
    cases.push(...instants('2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z', 37), ...instants('2026-10-23T00:00:00Z', '2026-10-27T00:00:00Z', 37));

    for (const now of cases) {
      const windows = windowsChoices[Math.floor(random() * windowsChoices.length)]!;
      const delay = [0, 30, 180, 600, 2000][Math.floor(random() * 5)]!;
      const tried: TimeSlot[] = timeSlots.filter(() => random() < 0.5);
      const earliest = new Date(now.getTime() + delay * 60_000);
      const result = nextAttemptAt(now, retry(delay), windows, tried);
      const context = `${now.toISOString()} +${delay} min, tried ${tried.join(',')}, windows ${describeWindows(windows)} → ${result.toISOString()}`;
      expect(result.getTime(), context).toBeGreaterThanOrEqual(earliest.getTime());
      expect(isWithinWindows(result, windows), context).toBe(true);
      const first = nextWindowOpening(earliest, windows);
      expect(result.getTime() - first.getTime(), context).toBeLessThanOrEqual(7 * 24 * 3_600_000);
      if (tried.length === 0) expect(result, context).toEqual(first);
    }
  });
});

describe('describeWindows', () => {
  it('describes the default windows as a range', () => {
    expect(describeWindows(defaultCallWindows)).toBe('du lundi au samedi, de 9 h à 19 h');
  });

  it('lists non-consecutive days, with minutes', () => {
    expect(describeWindows({ days: [5, 1, 3], start: '09:30', end: '12:00' })).toBe('lundi, mercredi et vendredi, de 9 h 30 à 12 h');
    expect(describeWindows({ days: [6, 7], start: '10:05', end: '18:00' })).toBe('samedi et dimanche, de 10 h 05 à 18 h');
    expect(describeWindows({ days: [2], start: '14:00', end: '17:30' })).toBe('mardi, de 14 h à 17 h 30');
    expect(describeWindows(everyDay)).toBe('tous les jours, de 9 h à 19 h');
  });
});
