/**
 * Short-lived download links (TRUST MT-08): a link names one organisation's file and its expiry,
 * signed with a key derived from Lien's secret key (never stored in the database). The module that
 * owns the record a file belongs to issues the link after its own authorisation check; the link is
 * then all a browser needs, for a few minutes.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { MessageKey } from '../outbox/sealing.ts';

/** How long a link opens its file, by default. */
export const LINK_SECONDS = 300;

export type LinkTarget = { organisationId: string; fileId: string };

// Derived once per secret key, not at every link.
const linkKeys = new WeakMap<MessageKey, Buffer>();
function linkKey(key: MessageKey): Buffer {
  let derived = linkKeys.get(key);
  if (!derived) {
    derived = Buffer.from(hkdfSync('sha256', key.key, Buffer.alloc(0), 'lien file download links', 32));
    linkKeys.set(key, derived);
  }
  return derived;
}
// 128 bits of HMAC-SHA256: the link stays short enough for a URL path segment.
const sign = (key: MessageKey, payload: string) => createHmac('sha256', linkKey(key)).update(payload).digest().subarray(0, 16).toString('base64url');
const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidOf = (b: Buffer) => b.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/** A signed token for this file, valid `seconds` from `now`. */
export function signLink(key: MessageKey, target: LinkTarget, now = Date.now(), seconds = LINK_SECONDS): string {
  const expires = Buffer.alloc(4);
  expires.writeUInt32BE(Math.floor(now / 1000) + seconds);
  const payload = Buffer.concat([uuidBytes(target.organisationId), uuidBytes(target.fileId), expires]).toString('base64url');
  return `${payload}.${sign(key, payload)}`;
}

/** The file a token opens, or why not (in French). */
export function openLink(key: MessageKey, token: string, now = Date.now()): LinkTarget | { refused: string } {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length) return { refused: 'Lien de téléchargement invalide.' };
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { refused: 'Lien de téléchargement invalide.' };
  const raw = Buffer.from(payload, 'base64url');
  if (raw.length !== 36) return { refused: 'Lien de téléchargement invalide.' };
  const [organisationId, fileId, expires] = [uuidOf(raw.subarray(0, 16)), uuidOf(raw.subarray(16, 32)), raw.readUInt32BE(32)];
  if (expires * 1000 <= now) return { refused: 'Ce lien de téléchargement a expiré : demandez-en un nouveau.' };
  return { organisationId, fileId };
}
