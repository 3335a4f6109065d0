/**
 * French social-security numbers (NIR): sex digit, year, month, department (2A/2B for
 * Corsica), commune, order, then a 2-digit key = 97 − (number mod 97). Lien never stores
 * them: a column holding one is refused, whatever its header says (TRUST DP-10).
 */
const pattern = /^[1-478]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/;

/** True when the value is a NIR with a valid key. */
export function isNir(value: string): boolean {
  const compact = value.replace(/[\s.-]/g, '').toUpperCase();
  if (compact.length !== 15 || !pattern.test(compact)) return false;
  const body = compact.slice(0, 13).replace('2A', '19').replace('2B', '18');
  return 97 - Number(BigInt(body) % 97n) === Number(compact.slice(13));
}
