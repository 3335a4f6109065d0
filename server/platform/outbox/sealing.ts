import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.ts';

/** What the outbox page, the database and every log show instead of a personal link. */
export const MASKED_LINK = '[lien personnel masqué]';

/** The key that seals the personal part of messages. Never stored in the database. */
export type MessageKey = { key: Buffer; source: 'env' | 'file' };

/** A sealed text and the message it belongs to (authenticated: it opens for that message only). */
export type Sealed = { body: Buffer; context: string };

/** Refused to open: wrong key (changed or lost) or altered data. Permanent: retrying cannot help. */
export class UnreadableSecret extends Error {}

const VERSION = 1;
const keys = new Map<string, MessageKey>();

function parseKey(value: string): Buffer {
  const raw = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (raw.length !== 32) throw new Error('LIEN_SECRET_KEY doit contenir 32 octets (64 caractères hexadécimaux ou base64).');
  return raw;
}

/**
 * The message key of this configuration: `LIEN_SECRET_KEY` when set (the same on every
 * replica), else the file `message-key` of the data folder, created once (0600) next to the
 * embedded cluster's passwords. Two processes creating it at once agree on one (link is atomic).
 */
export function messageKey(config: Pick<Config, 'LIEN_SECRET_KEY' | 'LIEN_DATA_DIR'>): MessageKey {
  const id = config.LIEN_SECRET_KEY ? `env:${config.LIEN_SECRET_KEY}` : `file:${path.resolve(config.LIEN_DATA_DIR)}`;
  const known = keys.get(id);
  if (known) return known;
  let found: MessageKey;
  if (config.LIEN_SECRET_KEY) found = { key: parseKey(config.LIEN_SECRET_KEY), source: 'env' };
  else {
    const file = path.join(config.LIEN_DATA_DIR, 'message-key');
    mkdirSync(config.LIEN_DATA_DIR, { recursive: true });
    try {
      found = { key: parseKey(readFileSync(file, 'utf8').trim()), source: 'file' };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(draft, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
      try {
        linkSync(draft, file);
      } catch (linkError) {
        if ((linkError as NodeJS.ErrnoException).code !== 'EEXIST') throw linkError;
      } finally {
        unlinkSync(draft);
      }
      found = { key: parseKey(readFileSync(file, 'utf8').trim()), source: 'file' };
    }
  }
  keys.set(id, found);
  return found;
}

/** AES-256-GCM; the context (organisation, recipient, idempotency key) is authenticated, not stored. */
export function seal(key: MessageKey, text: string, context: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(context));
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), data]);
}

/** Open a sealed text; throws `UnreadableSecret` when the key or the context does not match. */
export function openSealed(key: MessageKey, sealed: Sealed): string {
  const { body } = sealed;
  try {
    if (body[0] !== VERSION) throw new Error('version');
    const decipher = createDecipheriv('aes-256-gcm', key.key, body.subarray(1, 13));
    decipher.setAAD(Buffer.from(sealed.context));
    decipher.setAuthTag(body.subarray(13, 29));
    return Buffer.concat([decipher.update(body.subarray(29)), decipher.final()]).toString('utf8');
  } catch {
    throw new UnreadableSecret(
      'Le lien personnel de ce message ne peut pas être déchiffré (clé des messages changée ou perdue) : renvoyez l’invitation ou redemandez le lien.',
    );
  }
}

/** The text with each secret replaced by `MASKED_LINK`. */
export function maskSecrets(text: string, secrets: string[]): string {
  let masked = text;
  for (const secret of secrets) {
    if (secret.length < 16) throw new Error('A secret to mask must be at least 16 characters long.');
    masked = masked.split(secret).join(MASKED_LINK);
  }
  return masked;
}

/** What a sealed body is bound to: it opens only for this organisation, recipient and key. */
export function sealContext(m: { organisation_id: string; recipient: string; idempotency_key: string }): string {
  return `lien-message\n${m.organisation_id}\n${m.recipient}\n${m.idempotency_key}`;
}
