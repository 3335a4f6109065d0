import { createHash, randomInt } from 'node:crypto';

/** How many one-time recovery codes a user receives at once. */
export const RECOVERY_CODE_COUNT = 10;

// 32 letters and digits without the look-alikes I, O, 0 and 1: 5 bits a character.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const GROUPS = 4;
const GROUP_LENGTH = 4;

/**
 * A new recovery code, « ABCD-EFGH-JKLM-NPQR »: 16 characters of 5 bits, 80 bits of entropy.
 * That is far beyond guessing (online attempts are throttled; offline, 2^80 hashes), so a plain
 * SHA-256 is enough to store it — a slow hash (argon2) protects low-entropy secrets such as
 * passwords and would only make each sign-in with a code slower.
 */
export function newRecoveryCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    for (let i = 0; i < GROUP_LENGTH; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** The code as typed (any case, spaces or dashes) in its canonical form, or null if it cannot be one. */
export function normaliseRecoveryCode(input: string): string | null {
  const bare = input.toUpperCase().replace(/[\s-]/g, '');
  if (bare.length !== GROUPS * GROUP_LENGTH || [...bare].some((c) => !ALPHABET.includes(c))) return null;
  return bare;
}

/**
 * What is stored: SHA-256 of the user id and the canonical code. The user id makes one user's
 * code useless for another and a table of hashes useless across users.
 */
export function hashRecoveryCode(userId: string, code: string): Buffer | null {
  const canonical = normaliseRecoveryCode(code);
  if (!canonical) return null;
  return createHash('sha256').update(`lien-recovery:${userId}:${canonical}`).digest();
}

/** A 6-digit TOTP code, as opposed to a recovery code. */
export function isTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code.trim());
}
