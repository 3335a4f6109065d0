/**
 * Phone numbers as French readers write them. Stored and exported in E.164 (« +33671729372 »);
 * shown in pairs (« 06 71 72 93 72 »), the way a French number is said and dialled — overseas
 * departments included, since they are dialled with a 0 from mainland France. Other countries
 * keep their international form, with a space after the country code (« +44 2079460958 »).
 *
 * A tiny function on purpose: libphonenumber-js would add tens of kilobytes to every page that
 * shows a number, the caller's page first.
 */

/** Country codes of the French numbering plan (mainland, Réunion and Mayotte, Guadeloupe and the Antilles, Guyane, Martinique). */
const frenchPlan = ['33', '262', '590', '594', '596'];

/** ITU country codes of one and two digits (codes are prefix-free: any other is three digits long). */
const oneDigit = new Set(['1', '7']);
const twoDigits = new Set(
  '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(' '),
);

const pairs = (national: string) => national.replace(/(\d{2})(?=\d)/g, '$1 ');

/** « +33671729372 » → « 06 71 72 93 72 »; « +32470123456 » → « +32 470123456 »; anything else unchanged. */
export function formatPhone(value: string): string {
  const e164 = /^\+([1-9]\d{6,14})$/.exec(value);
  if (!e164) {
    // A French national number that escaped normalisation still reads in pairs.
    return /^0[1-9]\d{8}$/.test(value) ? pairs(value) : value;
  }
  const digits = e164[1] as string;
  for (const code of frenchPlan) {
    // Nine digits after the code, or it is not a French number: shown as it came.
    if (digits.startsWith(code)) return digits.length === code.length + 9 ? pairs(`0${digits.slice(code.length)}`) : value;
  }
  const codeLength = oneDigit.has(digits.slice(0, 1)) ? 1 : twoDigits.has(digits.slice(0, 2)) ? 2 : 3;
  return `+${digits.slice(0, codeLength)} ${digits.slice(codeLength)}`;
}
