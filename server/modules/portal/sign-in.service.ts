/**
 * Signing in to the portal without a password (issue 16, TRUST AA-05, AA-07): the tenant gives the
 * mobile or e-mail the landlord knows for them and receives a 6-digit code through the outbox,
 * valid 10 minutes, single use, kept only as an HMAC. The answer is the same whether the contact
 * is known or not (a challenge id that looks alike), so the page tells nobody who is a tenant.
 * Codes sent are limited per contact and per address; wrong codes are limited per code (5, then
 * it is dead), per contact point and per address (progressive delays, platform/auth/throttle.ts).
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import { assertNotThrottled, clearFailures, recordFailure, takeAllowances } from '../../platform/auth/throttle.ts';
import { throttleKey } from '../../platform/auth/tokens.ts';
import { type Database, prepared } from '../../platform/db/database.ts';
import { AppError, invalid, notFound } from '../../platform/errors/app-error.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { type MessageKey, messageKey } from '../../platform/outbox/sealing.ts';
import type { Deps } from '../deps.ts';
import { currentMemberCondition, phoneE164, portalContactMatches } from '../registry/index.ts';
import * as repo from './portal.repository.ts';
import { openTenantSession } from './tenant.ts';

export const CODE_MINUTES = 10;
/** Codes sent per contact and per address within an hour. */
const SENDS_PER_CONTACT = 5;
const SENDS_PER_ADDRESS = 30;

export const CODE_SENT_MESSAGE = 'Si ce contact est connu de votre bailleur, un code à 6 chiffres vient de lui être envoyé. Il est valable 10 minutes.';
const WRONG_CODE = 'Code incorrect ou expiré. Vérifiez-le, ou demandez un nouveau code.';

/** The landlord of a portal address, or 404. */
export async function landlordOf(database: Database, slug: string) {
  const r = await sql<{ id: string; name: string }>`${prepared('portal_landlord')}select id, name from lien_portal_landlord(${slug})`.execute(database.db);
  const landlord = r.rows[0];
  if (!landlord) throw notFound('Espace locataire');
  return landlord;
}

/** A mobile (E.164) or an e-mail, from what the tenant typed. */
export function parseContact(text: string): { kind: 'mobile' | 'email'; value: string } {
  const value = text.trim();
  if (value.includes('@')) {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) throw invalid('contact_invalid', 'Adresse e-mail invalide.');
    return { kind: 'email', value: value.toLowerCase() };
  }
  // The registry's rule, so that every number it stored (an ERP export, a staff member) signs in.
  const phone = phoneE164(value);
  if (!phone) throw invalid('contact_invalid', 'Indiquez un numéro de mobile ou une adresse e-mail valide.');
  return { kind: 'mobile', value: phone };
}

/** A time-ordered id (UUID v7 layout), the same for a real challenge and for a decoy. */
function challengeId(now = Date.now()) {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = ((b[6] as number) & 0x0f) | 0x70;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const codeHash = (key: MessageKey, challenge: string, code: string) => createHmac('sha256', key.key).update(`portal-code\n${challenge}\n${code}`).digest();

/** Send a code to this contact if a person of a current household has it; the same answer either way. */
export async function requestCode(deps: Deps, slug: string, contactText: string, ip: string) {
  const landlord = await landlordOf(deps.database, slug);
  const contact = parseContact(contactText);
  const limited = 'Trop de codes demandés.';
  await takeAllowances(
    deps.database,
    [
      { key: throttleKey('portal-send-ip', ip), count: SENDS_PER_ADDRESS },
      { key: throttleKey('portal-send', `${landlord.id}\n${contact.value}`), count: SENDS_PER_CONTACT },
    ],
    { windowSeconds: 3600, detail: limited },
  );
  const challenge = challengeId();
  await deps.database.withOrg({ organisationId: landlord.id }, async (trx) => {
    const [match] = await portalContactMatches(trx, contact);
    if (!match) return;
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const key = messageKey(deps.config);
    await repo.insertCode(trx, {
      id: challenge,
      personId: match.personId,
      householdId: match.householdId,
      contactPointId: match.contactPointId,
      codeHash: codeHash(key, challenge, code),
      minutes: CODE_MINUTES,
    });
    // The outbox masks a secret of 16 characters at least: the phrase that carries the code.
    const secret = `Votre code de connexion : ${code}`;
    const body = `${secret} (espace locataire de ${landlord.name}). Valable 10 minutes. Ne le communiquez à personne.`;
    await enqueueMessage(trx, deps.jobs, landlord.id, {
      channel: contact.kind === 'mobile' ? 'sms' : 'email',
      recipient: match.value,
      subject: contact.kind === 'email' ? 'Votre code de connexion à l’espace locataire' : null,
      body,
      purpose: 'portal_code',
      idempotencyKey: `portal-code:${challenge}`,
      secret: { values: [secret], key, validMinutes: CODE_MINUTES },
    });
  });
  return { challenge, message: CODE_SENT_MESSAGE };
}

/** Check a code; right, it opens a tenant session (its cookie value). Wrong, expired, used: one French answer. */
export async function verifyCode(deps: Deps, slug: string, body: { challenge: string; code: string }, ip: string): Promise<string> {
  const landlord = await landlordOf(deps.database, slug);
  const addressKey = throttleKey('portal-ip', ip);
  const key = messageKey(deps.config);
  // The delays first, outside any transaction: a transaction waiting for a second connection of
  // the pool while holding one would starve the pool under a wave of attempts.
  const contactPointId = await deps.database.withOrg(
    { organisationId: landlord.id },
    async (trx) => (await repo.codeForAttempt(trx, body.challenge, false, { thenCommit: true }))?.contact_point_id,
  );
  const contactKey = contactPointId ? throttleKey('portal-contact', contactPointId) : null;
  const keys = contactKey ? [addressKey, contactKey] : [addressKey];
  const failing = await assertNotThrottled(deps.database, keys);
  const outcome = await deps.database.withOrg({ organisationId: landlord.id }, async (trx) => {
    const row = await repo.codeForAttempt(trx, body.challenge, true);
    if (!row?.live) return { ok: false as const };
    const expected = codeHash(key, row.id, body.code);
    if (!timingSafeEqual(expected, row.code_hash)) {
      await repo.countWrongAttempt(trx, row.id);
      return { ok: false as const };
    }
    const consumed = await repo.consumeCode(trx, row.id, currentMemberCondition('portal_codes.person_id', 'portal_codes.household_id'));
    if (!consumed.used || !consumed.member) return { ok: false as const };
    await recordAudit(
      trx,
      { userId: null, role: 'tenant', ip },
      { action: 'portal.signed_in', objectType: 'household', objectId: row.household_id, details: { personId: row.person_id } },
    );
    // The transaction's last write, committed in its round trip: nothing follows it but the answer.
    const cookie = await openTenantSession(trx, landlord.id, row.person_id, row.household_id, { thenCommit: true });
    return { ok: true as const, cookie };
  });
  if (!outcome.ok) {
    await recordFailure(deps.database, keys);
    throw new AppError('code_refused', 400, WRONG_CODE);
  }
  // Only a contact with failures within the window has any to forget (one statement saved on most sign-ins).
  if (contactKey && failing.has(contactKey)) await clearFailures(deps.database, [contactKey]);
  return outcome.cookie;
}

/** End the tenant's session on the server. */
export async function signOut(deps: Deps, tenant: { organisationId: string; sessionId: string }) {
  await deps.database.withOrg({ organisationId: tenant.organisationId }, (trx) => repo.endSession(trx, tenant.sessionId, 'signed_out'));
}
