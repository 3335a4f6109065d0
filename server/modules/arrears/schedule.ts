/**
 * The schedule of a payment plan (issue 14): integer cents only, the rounding remainder on the
 * last instalment, monthly due dates from the start date (a day the month lacks becomes its last
 * day: 31 January + 1 month is 28 or 29 February).
 *
 * - `instalments` (étalement) and `clearance` (plan d'apurement): `months` instalments, one a month
 *   from the start date, each ⌊amount / months⌋, the last one carrying the remainder.
 * - `deferral` (report): the whole amount once, due `months` months after the start date.
 */
import type { PlanKind } from '../../../contracts/arrears.ts';

export type Instalment = { seq: number; dueOn: string; amountCents: number };

/** yyyy-mm-dd plus `months` months, clamped to the last day of the month reached. */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The instalments of a plan; `amountCents` a positive integer, `months` an integer ≥ 1. */
export function planSchedule(kind: PlanKind, amountCents: number, startOn: string, months: number): Instalment[] {
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) throw new RangeError('amount must be a positive integer of cents');
  if (!Number.isInteger(months) || months < 1) throw new RangeError('months must be an integer ≥ 1');
  if (kind === 'deferral') return [{ seq: 1, dueOn: addMonths(startOn, months), amountCents }];
  const each = Math.floor(amountCents / months);
  return Array.from({ length: months }, (_, i) => ({
    seq: i + 1,
    dueOn: addMonths(startOn, i),
    amountCents: i === months - 1 ? amountCents - each * (months - 1) : each,
  }));
}
