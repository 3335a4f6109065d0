/**
 * French social-security numbers (NIR): sex digit, year, month, department (2A/2B for
 * Corsica), commune, order, then a 2-digit key = 97 − (number mod 97). Lien never stores
 * them: a column holding one is refused, whatever its header says (TRUST DP-10).
 */
const pattern = /^[1-478]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/;

/** True when the value is a NIR with a valid key. */
export function isNir(value: string): boolean {
  // Most cells are shorter than a NIR: no need to compact them (separators only shorten a value).
  if (value.length < 15) return false;
  // Most long cells are names, addresses or e-mails: an ASCII character that is neither a digit, A or B
  // (Corsica), nor a separator rules them out without building anything. Other characters: the full check.
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 65 || c === 66 || c === 97 || c === 98 || c === 32 || c === 45 || c === 46 || (c >= 9 && c <= 13)) continue;
    if (c < 128) return false;
  }
  const compact = value.replace(/[\s.-]/g, '').toUpperCase();
  if (compact.length !== 15 || !pattern.test(compact)) return false;
  const body = compact.slice(0, 13).replace('2A', '19').replace('2B', '18');
  return 97 - Number(BigInt(body) % 97n) === Number(compact.slice(13));
}

/**
 * True when a header names a social-security number: « NIR », « N° sécurité sociale », « N° SS »,
 * « numéro INSEE » (of a person: « code INSEE » is a commune's), « n° de sécu », « NSS »… Such a
 * column is refused whatever its values (a wrong key is still a NIR someone typed).
 */
export function isNirHeader(header: string): boolean {
  const words = header
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[°º]/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !['de', 'du', 'la', 'd', 'l'].includes(w));
  const text = words.join(' ');
  if (words.includes('nir') || words.includes('nss') || words.includes('secu')) return true;
  if (/\bsecurite sociale\b/.test(text) || /\bsec soc\b/.test(text)) return true;
  // « N° SS », « No SS », « Num. SS », « numéro INSEE », « N° INSEE » (a person's, not a commune's code).
  return /^(n|no|num|numero|nr) (ss|insee)( personne| occupant| assure)?$/.test(text) || text === 'ss' || /^immatriculation (ss|securite)/.test(text);
}
