import { createHash, randomBytes } from 'node:crypto';

/** A 256-bit random secret for cookies and e-mailed links. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only hashes of tokens are stored, so a database dump opens no session. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Stable, non-reversible key for throttling (no address or e-mail stored in clear). */
export function throttleKey(kind: string, value: string): string {
  return `${kind}:${createHash('sha256').update(value.toLowerCase()).digest('base64url').slice(0, 32)}`;
}
