/**
 * The public volunteer sign-up form's protection against automated sign-ups, without any
 * third-party service (issue 17): the page gets a form token signed with a key derived from
 * Lien's secret key (organisation, issue instant, random part); the browser must find a nonce
 * such that SHA-256(token ':' nonce) starts with `DIFFICULTY` zero bits (a small proof of work,
 * about 16,000 hashes: a second or two in a browser, a cost per sign-up for a robot); the form
 * comes back no sooner than `MIN_FILL_SECONDS` after the token was issued and no later than
 * `MAX_AGE_SECONDS`; a hidden field (the honeypot) must stay empty. The address is rate-limited too.
 */
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MessageKey } from '../../platform/outbox/sealing.ts';

export const DIFFICULTY = 14;
export const MIN_FILL_SECONDS = 5;
export const MAX_AGE_SECONDS = 2 * 60 * 60;

const formKeys = new WeakMap<MessageKey, Buffer>();
function formKey(key: MessageKey): Buffer {
  let derived = formKeys.get(key);
  if (!derived) {
    derived = Buffer.from(hkdfSync('sha256', key.key, Buffer.alloc(0), 'lien volunteer sign-up form', 32));
    formKeys.set(key, derived);
  }
  return derived;
}
const sign = (key: MessageKey, payload: string) => createHmac('sha256', formKey(key)).update(payload).digest().subarray(0, 16).toString('base64url');

/** A form token for this organisation, issued at `now`. */
export function issueFormToken(key: MessageKey, organisationId: string, now: number): string {
  const payload = `${organisationId}.${now}.${randomBytes(12).toString('base64url')}`;
  return `${payload}.${sign(key, payload)}`;
}

/** The number of leading zero bits of a hash. */
function leadingZeroBits(hash: Buffer): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** Whether the nonce solves the token's proof of work. */
export function solves(token: string, nonce: string, difficulty = DIFFICULTY): boolean {
  return leadingZeroBits(createHash('sha256').update(`${token}:${nonce}`).digest()) >= difficulty;
}

/** A nonce solving the token (what the browser does; tests and scripts use it too). */
export function solve(token: string, difficulty = DIFFICULTY): string {
  for (let n = 0; ; n++) if (solves(token, String(n), difficulty)) return String(n);
}

export type FormCheck = { ok: true } | { ok: false; reason: 'invalid' | 'too_fast' | 'expired' | 'work' };

/** Checks a submitted form's token and proof of work for this organisation at `now`. */
export function checkForm(key: MessageKey, organisationId: string, token: string, nonce: string, now: number): FormCheck {
  const parts = token.split('.');
  if (parts.length !== 4) return { ok: false, reason: 'invalid' };
  const [org, issued, random, signature] = parts as [string, string, string, string];
  const expected = Buffer.from(sign(key, `${org}.${issued}.${random}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given) || org !== organisationId) return { ok: false, reason: 'invalid' };
  const age = (now - Number(issued)) / 1000;
  if (!Number.isFinite(age) || age > MAX_AGE_SECONDS) return { ok: false, reason: 'expired' };
  if (age < MIN_FILL_SECONDS) return { ok: false, reason: 'too_fast' };
  if (!solves(token, nonce)) return { ok: false, reason: 'work' };
  return { ok: true };
}
