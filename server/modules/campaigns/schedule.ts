/**
 * When a call campaign may phone a household: call windows in Paris wall-clock time, and retry
 * scheduling after an unanswered call, preferring a time slot of the day not tried yet.
 * All instants are `Date` (UTC instants); every local-time computation goes through luxon so the
 * windows stay right across daylight-saving changes.
 */
import { DateTime } from 'luxon';

export const CALL_TIME_ZONE = 'Europe/Paris';

/** ISO weekdays 1 = Monday … 7 = Sunday; start/end 'HH:MM' local time, end exclusive, start < end. */
export type CallWindows = { days: number[]; start: string; end: string };

/** `maxAttempts` counts every call, the first included; stopping after it is up to the caller. */
export type RetryPolicy = { retryAfterMinutes: number; maxAttempts: number };

/** The defaults of a new campaign are the contracts' (the web's form starts from them too). */
export { defaultCallWindows, defaultRetryPolicy } from '../../../contracts/campaign-labels.ts';

export const timeSlots = ['morning', 'midday', 'afternoon', 'evening'] as const;
export type TimeSlot = (typeof timeSlots)[number];

/** French labels: morning 'matin', midday 'midi', afternoon 'après-midi', evening 'soir'. */
export const timeSlotLabels: Record<TimeSlot, string> = { morning: 'matin', midday: 'midi', afternoon: 'après-midi', evening: 'soir' };

/** Local hours at which midday, afternoon and evening start. */
const slotStartHours = [12, 14, 17] as const;
const dayNames = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const toLocal = (at: Date): DateTime => DateTime.fromJSDate(at, { zone: CALL_TIME_ZONE });

/** The instant of a local time (minutes after midnight, < 24 h) on the local day of `day`; a time skipped by DST moves forward. */
const atLocalTime = (day: DateTime, minutes: number): Date =>
  DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone: CALL_TIME_ZONE },
  ).toJSDate();

/** 'HH:MM' (00:00 to 24:00) to minutes after midnight. */
function parseTime(value: string): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
  if (!(minutes <= 24 * 60)) throw new Error(`Invalid call window time "${value}", expected HH:MM`);
  return minutes;
}

function parseWindows(windows: CallWindows): { days: Set<number>; start: number; end: number } {
  const start = parseTime(windows.start);
  const end = parseTime(windows.end);
  if (start >= end) throw new Error(`Call window start ${windows.start} must be before its end ${windows.end}`);
  for (const day of windows.days) {
    if (!Number.isInteger(day) || day < 1 || day > 7) throw new Error(`Invalid call window day ${day}, expected 1 (Monday) to 7 (Sunday)`);
  }
  return { days: new Set(windows.days), start, end };
}

/** Slot of an instant by Paris local hour: < 12 morning, 12–13:59 midday, 14–16:59 afternoon, ≥ 17 evening. */
export function slotOf(at: Date): TimeSlot {
  const { hour } = toLocal(at);
  if (hour < 12) return 'morning';
  if (hour < 14) return 'midday';
  if (hour < 17) return 'afternoon';
  return 'evening';
}

/** Whether the instant falls inside the windows (Paris local day-of-week and time). */
export function isWithinWindows(at: Date, windows: CallWindows): boolean {
  const { days, start, end } = parseWindows(windows);
  const local = toLocal(at);
  const minutes = local.hour * 60 + local.minute + local.second / 60 + local.millisecond / MINUTE_MS;
  return days.has(local.weekday) && minutes >= start && minutes < end;
}

/**
 * `at` itself when inside the windows, else the next opening (start time on the next allowed day), as an instant.
 * Searches at most 14 days ahead; throws when the windows have no day or are malformed.
 */
export function nextWindowOpening(at: Date, windows: CallWindows): Date {
  const { days, start } = parseWindows(windows);
  if (days.size === 0) throw new Error('Call windows have no day');
  if (isWithinWindows(at, windows)) return at;
  const today = toLocal(at).startOf('day');
  for (let offset = 0; offset <= 14; offset++) {
    const day = today.plus({ days: offset });
    if (!days.has(day.weekday)) continue;
    const opening = atLocalTime(day, start);
    // A start time skipped by DST moves forward and may fall past the end: that day has no opening.
    if (opening > at && isWithinWindows(opening, windows)) return opening;
  }
  throw new Error('No call window opening within 14 days');
}

/** The next slot start (12:00, 14:00, 17:00) inside the windows later the same local day, else the next window opening. */
function nextSlotStart(candidate: Date, windows: CallWindows): Date {
  const local = toLocal(candidate);
  for (const hour of slotStartHours) {
    const boundary = atLocalTime(local, hour * 60);
    if (boundary > candidate && isWithinWindows(boundary, windows)) return boundary;
  }
  return nextWindowOpening(local.plus({ days: 1 }).startOf('day').toJSDate(), windows);
}

/**
 * When to try again after an unanswered call at `now`: at least `retryAfterMinutes` later, inside the
 * windows, and, when possible, in a slot not in `triedSlots` (slots of previous unanswered attempts,
 * including the one just made). Strategy: candidate = nextWindowOpening(now + delay); while the
 * candidate's slot was tried, move to the start of the next slot boundary (12:00, 14:00, 17:00, or
 * next window opening) that is still inside the windows; give up looking for a new slot after 7 days
 * of candidates and return the first candidate (the earliest valid time ≥ now + delay). Slot boundaries
 * outside the window (e.g. window 09–12 only) are skipped.
 */
export function nextAttemptAt(now: Date, policy: RetryPolicy, windows: CallWindows, triedSlots: readonly TimeSlot[]): Date {
  if (!(policy.retryAfterMinutes >= 0)) throw new Error(`Invalid retry delay ${policy.retryAfterMinutes} minutes`);
  const first = nextWindowOpening(new Date(now.getTime() + policy.retryAfterMinutes * MINUTE_MS), windows);
  const tried = new Set(triedSlots);
  const giveUpAfter = first.getTime() + 7 * DAY_MS;
  let candidate = first;
  while (tried.has(slotOf(candidate))) {
    candidate = nextSlotStart(candidate, windows);
    if (candidate.getTime() > giveUpAfter) return first;
  }
  return candidate;
}

/** '09:30' → '9 h 30', '19:00' → '19 h'. */
function formatTime(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${String(rest).padStart(2, '0')}`;
}

/** A short French description, e.g. « du lundi au samedi, de 9 h à 19 h » (days listed or as a range when consecutive: « lundi, mercredi et vendredi, de 9 h 30 à 12 h »). */
export function describeWindows(windows: CallWindows): string {
  const { days, start, end } = parseWindows(windows);
  const sorted = [...days].sort((a, b) => a - b);
  const names = sorted.map((day) => dayNames[day - 1]!);
  let dayText: string;
  if (sorted.length === 0) return 'aucun jour d’appel';
  if (sorted.length === 7) dayText = 'tous les jours';
  else if (sorted.length >= 3 && sorted.at(-1)! - sorted[0]! === sorted.length - 1) dayText = `du ${names[0]} au ${names.at(-1)}`;
  else dayText = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} et ${names.at(-1)}`;
  return `${dayText}, de ${formatTime(start)} à ${formatTime(end)}`;
}
