/**
 * Paris wall-clock time without a date library: the offset comes from `Intl` (the browser's and
 * Node's time-zone data), so a call-back time picked in Paris becomes the right instant on both
 * sides of a daylight-saving change.
 */

export const PARIS = 'Europe/Paris';

const offsetFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, timeZoneName: 'longOffset' });

/** Paris's offset from UTC at this instant, in minutes (60 in winter, 120 in summer). */
export function parisOffsetMinutes(epochMs: number): number {
  const name = offsetFormat.formatToParts(epochMs).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /([+-−])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0; // « UTC »: no offset
  const sign = m[1] === '+' ? 1 : -1;
  return sign * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

const pad = (n: number) => String(n).padStart(2, '0');
const formatOffset = (minutes: number) => `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;

/**
 * A `datetime-local` value (« 2026-03-02T14:30 ») read as Paris wall-clock time, as ISO 8601 with
 * its offset (« 2026-03-02T14:30:00+01:00 »); null when invalid. A time that does not exist (the
 * hour skipped in March) moves one hour later; a time that happens twice (October) is the second,
 * winter one.
 */
export function parisLocalToIso(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const localTs = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(localTs);
  if (
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== mo - 1 ||
    check.getUTCDate() !== d ||
    check.getUTCHours() !== h ||
    check.getUTCMinutes() !== mi ||
    check.getUTCSeconds() !== s
  ) {
    return null;
  }
  // The same fix-up as the usual date libraries: guess with the offset at the local time read as
  // UTC, then correct once; two different answers mean the time fell in the spring gap.
  const o1 = parisOffsetMinutes(localTs);
  let utc = localTs - o1 * 60_000;
  let offset = o1;
  const o2 = parisOffsetMinutes(utc);
  if (o2 !== o1) {
    utc -= (o2 - o1) * 60_000;
    const o3 = parisOffsetMinutes(utc);
    if (o3 === o2) offset = o2;
    else {
      utc = localTs - Math.min(o2, o3) * 60_000;
      offset = Math.max(o2, o3);
    }
  }
  const wall = new Date(utc + offset * 60_000);
  const date = `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
  return `${date}T${time}${formatOffset(offset)}`;
}

/** This instant in Paris as a `datetime-local` value (« 2026-03-02T14:30 »). */
export function parisLocalAt(epochMs: number): string {
  const wall = new Date(epochMs + parisOffsetMinutes(epochMs) * 60_000);
  return `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
}

/** A calendar day « 2026-11-30 » as French users read it: « 30/11/2026 ». */
export const frenchDay = (isoDay: string) => isoDay.slice(0, 10).split('-').reverse().join('/');
