import type { Me } from '../../../contracts/auth.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit.ts';
import { abilitiesOf } from '../../platform/auth/abilities.ts';
import { assertAcceptablePassword, hashPassword, verifyPassword } from '../../platform/auth/password.ts';
import { hashRecoveryCode, isTotpCode, newRecoveryCode, RECOVERY_CODE_COUNT } from '../../platform/auth/recovery-codes.ts';
import {
  createSession,
  endSession,
  endUserSessions,
  isFreshlyAuthenticated,
  promoteSession,
  type SessionContext,
  touchAuthentication,
} from '../../platform/auth/sessions.repository.ts';
import { assertNotThrottled, assertSignInAllowed, clearFailures, recordFailure, signInKeys, takeAllowance } from '../../platform/auth/throttle.ts';
import { hashToken, newToken, throttleKey } from '../../platform/auth/tokens.ts';
import { matchTotp, newTotpSecret, nextUnusedTotp, totpEnrolment } from '../../platform/auth/totp.ts';
import type { Tx } from '../../platform/db/database.ts';
import { isDemoOrganisation, organisationOf } from '../../platform/db/organisations.ts';
import type { SessionStage } from '../../platform/db/schema.ts';
import { AppError, invalid, notFound, unauthenticated } from '../../platform/errors/app-error.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { messageKey } from '../../platform/outbox/sealing.ts';
import { parisToday } from '../../platform/time.ts';
import { type Deps, nowOf } from '../deps.ts';
import * as repo from './identity.repository.ts';

const RESET_TTL_MINUTES = 60;
const INVITATION_TTL_MINUTES = 7 * 24 * 60;

const badCredentials = () => unauthenticated('Adresse e-mail ou mot de passe incorrect.');

/** Sensitive actions (TRUST AA-09) need an authentication less than 5 minutes old. */
export function requireFreshAuthentication(session: SessionContext, detail: string) {
  if (!isFreshlyAuthenticated(session)) throw new AppError('reauthentication_required', 403, detail);
}

type UserRow = NonNullable<Awaited<ReturnType<typeof repo.findUser>>>;

/**
 * Check a second factor: the application's 6-digit code (each time step once) or an unused
 * recovery code (each code once, its use audited). Returns how it was proven, or null.
 */
async function checkSecondFactor(trx: Tx, user: UserRow, code: string, actor: Actor, during: 'sign_in' | 'reauthentication') {
  if (!user.totp_enabled || !user.totp_secret) return null;
  if (isTotpCode(code)) {
    const step = matchTotp(user.totp_secret, code.trim());
    return step !== null && (await repo.consumeTotpStep(trx, user.id, step)) ? ('totp' as const) : null;
  }
  const hash = hashRecoveryCode(user.id, code);
  if (!hash || !(await repo.consumeRecoveryCode(trx, user.id, hash))) return null;
  const remaining = await repo.countUnusedRecoveryCodes(trx, user.id);
  await recordAudit(trx, actor, { action: 'auth.recovery_code_used', objectType: 'user', objectId: user.id, details: { during, remaining } });
  return 'recovery_code' as const;
}

/** A fresh set of recovery codes: the clear codes (shown once) and their hashes stored. */
async function issueRecoveryCodes(trx: Tx, userId: string) {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await repo.replaceRecoveryCodes(
    trx,
    userId,
    codes.map((c) => hashRecoveryCode(userId, c) as Buffer),
  );
  return codes;
}

/** Several accounts of the address accept this password: the person says which organisation. */
const organisationChoiceRequired = (organisations: { id: string; name: string }[]) =>
  new AppError(
    'organisation_choice_required',
    409,
    'Votre adresse e-mail a un compte dans plusieurs organismes. Choisissez votre organisme pour vous connecter.',
    { organisations },
  );

/**
 * Sign in with e-mail and password. An address may have an account in several organisations:
 * the password is checked against each of them (and once against nothing for an unknown
 * address, so the work does not tell), and only the accounts it fits count. One usable account:
 * it signs in. Several: a 409 lists the organisations of those accounts only, and the form
 * resubmits with `organisationId`. None: the usual « incorrect » answer. Returns the new
 * session's token and stage.
 */
export async function signIn(deps: Deps, input: { email: string; password: string; ip: string; organisationId?: string | undefined }) {
  const { database } = deps;
  const throttle = signInKeys(input.email, input.ip);
  const keys = [throttle.account, throttle.pair, throttle.address];
  await assertSignInAllowed(database, throttle, nowOf(deps));
  const hits = (await repo.lookUpUsersByEmail(database.db, input.email)).filter(
    (hit) => input.organisationId === undefined || hit.organisation_id === input.organisationId,
  );
  if (!hits.length) await verifyPassword(null, input.password);
  const checked = [];
  for (const hit of hits) {
    checked.push(
      await database.withOrg({ organisationId: hit.organisation_id, userId: hit.id }, async (trx) => {
        const user = await repo.findUser(trx, hit.id);
        const ok = user ? await verifyPassword(user.password_hash, input.password) : false;
        const usable = ok && user?.status === 'active' && (user.end_date === null || user.end_date >= parisToday());
        return { hit, user, ok, usable, organisation: ok ? await organisationOf(trx) : null };
      }),
    );
  }
  const fitting = checked.filter((c) => c.ok);
  const usable = checked.filter((c) => c.usable);
  if (usable.length > 1) {
    // The password is right: not a failure, but no session until the organisation is chosen.
    await clearFailures(database, [throttle.pair]);
    const organisations = usable.map((c) => ({ id: c.hit.organisation_id, name: c.organisation?.name ?? '' }));
    throw organisationChoiceRequired(organisations.sort((a, b) => a.name.localeCompare(b.name, 'fr')));
  }
  const chosen = usable[0];
  if (!chosen) {
    // Audited in each organisation whose account it was (each admin sees only their own).
    for (const c of checked) {
      await database.withOrg({ organisationId: c.hit.organisation_id, userId: c.hit.id }, async (trx) => {
        const actor: Actor = { userId: c.hit.id, role: c.user?.role ?? null, ip: input.ip };
        if (c.ok) {
          const details = { status: c.user?.status };
          await recordAudit(trx, actor, { action: 'auth.sign_in_refused', objectType: 'user', objectId: c.hit.id, details });
        } else {
          await recordAudit(trx, actor, { action: 'auth.sign_in_failed', objectType: 'user', objectId: c.hit.id });
        }
      });
    }
    await recordFailure(database, keys, nowOf(deps));
    throw fitting.length ? unauthenticated("Ce compte est désactivé. Contactez l'administrateur de votre organisme.") : badCredentials();
  }
  const outcome = await database.withOrg({ organisationId: chosen.hit.organisation_id, userId: chosen.hit.id }, async (trx) => {
    // Read again under this transaction: deactivated in the meantime, it does not sign in.
    const user = await repo.findUser(trx, chosen.hit.id);
    if (user?.status !== 'active' || (user.end_date !== null && user.end_date < parisToday())) return null;
    // Every role has a second factor (TRUST AA-05): enrolled users give it, the others enrol now.
    const stage: SessionStage = user.totp_enabled ? 'second_factor' : 'enrolment';
    const session = await createSession(trx, user.id, stage);
    const actor: Actor = { userId: user.id, role: user.role, ip: input.ip };
    await recordAudit(trx, actor, { action: 'auth.signed_in', objectType: 'user', objectId: user.id, details: { stage } });
    return { token: session.token, stage } as const;
  });
  if (!outcome) {
    await recordFailure(database, keys, nowOf(deps));
    throw badCredentials();
  }
  // The account's count is kept: it slows the other addresses failing on it, never this one.
  await clearFailures(database, [throttle.pair]);
  return outcome;
}

/** Check the second factor (TOTP or recovery code) of a session waiting for it; rotates the session token. */
export async function verifySecondFactor(deps: Deps, session: SessionContext, code: string, ip: string) {
  const { database } = deps;
  const keys = [throttleKey('totp', session.userId)];
  await assertNotThrottled(database, keys);
  const result = await database.withOrg({ organisationId: session.organisationId, userId: session.userId }, async (trx) => {
    const user = await repo.findUser(trx, session.userId);
    const actor: Actor = { userId: session.userId, role: session.role, ip };
    const method = user ? await checkSecondFactor(trx, user, code, actor, 'sign_in') : null;
    if (!method) {
      await recordAudit(trx, actor, { action: 'auth.second_factor_failed', objectType: 'user', objectId: session.userId });
      return null;
    }
    const token = await promoteSession(trx, session.sessionId, 'active');
    await recordAudit(trx, actor, { action: 'auth.second_factor_verified', objectType: 'user', objectId: session.userId, details: { method } });
    return token;
  });
  if (!result) {
    await recordFailure(database, keys);
    throw new AppError(
      'invalid_code',
      401,
      'Code incorrect ou déjà utilisé. Saisissez le code affiché maintenant par votre application, ou un code de secours non utilisé.',
    );
  }
  await clearFailures(database, keys);
  return result;
}

/** Start (or restart, while not yet confirmed) TOTP enrolment: a new secret and its QR code. */
export async function startTotpEnrolment(deps: Deps, session: SessionContext) {
  return deps.database.withOrg({ organisationId: session.organisationId, userId: session.userId }, async (trx) => {
    const user = await repo.findUser(trx, session.userId);
    if (!user) throw unauthenticated();
    if (user.totp_enabled) throw new AppError('totp_already_enabled', 409, 'La double authentification est déjà activée sur ce compte.');
    const secret = newTotpSecret();
    await repo.updateUser(trx, user.id, { totp_secret: secret });
    // The same address may have an account in several organisations: the application tells them apart.
    return totpEnrolment(secret, `${user.email} (${(await organisationOf(trx)).name})`);
  });
}

/**
 * Confirm enrolment with a first code; the session becomes fully active under a new token, and
 * the user receives their one-time recovery codes (shown this once, stored hashed).
 */
export async function confirmTotpEnrolment(deps: Deps, session: SessionContext, code: string, ip: string) {
  const { database } = deps;
  const keys = [throttleKey('totp', session.userId)];
  await assertNotThrottled(database, keys);
  const result = await database.withOrg({ organisationId: session.organisationId, userId: session.userId }, async (trx) => {
    const user = await repo.findUser(trx, session.userId);
    if (!user?.totp_secret || user.totp_enabled) return null;
    const step = matchTotp(user.totp_secret, code);
    if (step === null || !(await repo.consumeTotpStep(trx, user.id, step))) return null;
    await repo.updateUser(trx, user.id, { totp_enabled: true });
    const recoveryCodes = await issueRecoveryCodes(trx, user.id);
    await recordAudit(
      trx,
      { userId: user.id, role: user.role, ip },
      { action: 'auth.totp_enabled', objectType: 'user', objectId: user.id, details: { recoveryCodes: recoveryCodes.length } },
    );
    return { token: await promoteSession(trx, session.sessionId, 'active'), recoveryCodes };
  });
  if (!result) {
    await recordFailure(database, keys);
    throw new AppError('invalid_code', 422, "Code incorrect. Vérifiez l'heure de votre téléphone et saisissez le code affiché maintenant.");
  }
  await clearFailures(database, keys);
  return result;
}

/**
 * New recovery codes (lost or used up): the previous ones stop working. Needs a fresh
 * authentication (TRUST AA-09: changing the second factor). Audited.
 */
export async function regenerateRecoveryCodes(deps: Deps, session: SessionContext, ip: string) {
  requireFreshAuthentication(session, 'Pour créer de nouveaux codes de secours, confirmez d’abord votre identité (mot de passe et code).');
  return deps.database.withOrg({ organisationId: session.organisationId, userId: session.userId }, async (trx) => {
    const user = await repo.findUser(trx, session.userId);
    if (!user) throw unauthenticated();
    if (!user.totp_enabled) throw new AppError('totp_not_enabled', 409, 'Activez d’abord la double authentification.');
    const recoveryCodes = await issueRecoveryCodes(trx, user.id);
    await recordAudit(trx, { userId: user.id, role: user.role, ip }, { action: 'auth.recovery_codes_regenerated', objectType: 'user', objectId: user.id });
    return recoveryCodes;
  });
}

/**
 * Demo organisation only (marked `is_demo` by the demo seed, never by a slug): the code the
 * signed-in demo account's application would show now, so the demo can be tried without a
 * phone. Any other organisation gets a 404, as if the route did not exist.
 */
export async function demoCode(deps: Deps, session: SessionContext) {
  return deps.database.withOrg({ organisationId: session.organisationId, userId: session.userId }, async (trx) => {
    if (!(await isDemoOrganisation(trx))) throw notFound('Page', 'not_found');
    const user = await repo.findUser(trx, session.userId);
    if (!user?.totp_enabled || !user.totp_secret) return { code: null, secondsLeft: 0 };
    const next = nextUnusedTotp(user.totp_secret, user.totp_last_step === null ? null : Number(user.totp_last_step));
    return next ?? { code: null, secondsLeft: 30 - (Math.floor(Date.now() / 1000) % 30) };
  });
}

/**
 * Confirm identity again (password, and the TOTP code when enrolled) before a sensitive action
 * such as a bulk export (TRUST AA-09). Refreshes the session's authentication time.
 */
export async function reauthenticate(deps: Deps, session: SessionContext, input: { password: string; code?: string | undefined }, ip: string) {
  const { database } = deps;
  const keys = [throttleKey('acct', session.userId)];
  await assertNotThrottled(database, keys);
  const ok = await database.withOrg({ organisationId: session.organisationId, userId: session.userId }, async (trx) => {
    const user = await repo.findUser(trx, session.userId);
    if (!user || !(await verifyPassword(user.password_hash, input.password))) return false;
    if (user.totp_enabled) {
      const actor: Actor = { userId: user.id, role: user.role, ip };
      if (!input.code || !(await checkSecondFactor(trx, user, input.code, actor, 'reauthentication'))) return false;
    }
    await touchAuthentication(trx, session.sessionId);
    await recordAudit(trx, { userId: user.id, role: user.role, ip }, { action: 'auth.reauthenticated', objectType: 'user', objectId: user.id });
    return true;
  });
  if (!ok) {
    await recordFailure(database, keys);
    throw unauthenticated('Mot de passe ou code incorrect.');
  }
  await clearFailures(database, keys);
}

export async function signOut(deps: Deps, session: SessionContext, ip: string) {
  await deps.database.withOrg({ organisationId: session.organisationId, userId: session.userId }, async (trx) => {
    await endSession(trx, session.sessionId, 'sign_out');
    await recordAudit(trx, { userId: session.userId, role: session.role, ip }, { action: 'auth.signed_out', objectType: 'user', objectId: session.userId });
  });
}

/** The signed-in user. */
export async function describeMe(deps: Deps, session: SessionContext): Promise<Me> {
  return deps.database.withOrg({ organisationId: session.organisationId, userId: session.userId }, async (trx) => {
    const user = await repo.findUser(trx, session.userId);
    if (!user) throw unauthenticated();
    const organisation = await organisationOf(trx);
    return {
      id: user.id,
      email: user.email,
      firstName: user.first_name,
      lastName: user.last_name,
      role: user.role,
      organisation,
      agencyIds: session.agencyIds,
      totpEnabled: user.totp_enabled,
      recoveryCodesLeft: user.totp_enabled ? await repo.countUnusedRecoveryCodes(trx, user.id) : 0,
      stage: session.stage,
      abilities: session.stage === 'active' ? abilitiesOf(user.role) : [],
    };
  });
}

/**
 * E-mail a single-use link (invitation or reset) through the outbox. The link is a secret of the
 * recipient: stored masked, sealed for the sending adapter only (ADR 0008).
 */
export async function sendAccountLink(
  deps: Deps,
  trx: Parameters<typeof repo.insertToken>[0],
  user: { id: string; email: string; first_name: string; organisation_id: string },
  purpose: 'password_reset' | 'invitation',
) {
  const token = newToken();
  // An address may have an account in several organisations: each e-mail names its own.
  const organisation = (await organisationOf(trx)).name;
  await repo.voidTokens(trx, user.id, purpose);
  const ttl = purpose === 'invitation' ? INVITATION_TTL_MINUTES : RESET_TTL_MINUTES;
  await repo.insertToken(trx, user.id, purpose, hashToken(token), ttl);
  const path = purpose === 'invitation' ? 'invitation' : 'reinitialiser';
  // The token travels in the fragment: never sent to a server, never in an access log.
  const link = `${deps.config.publicUrl}/${path}#${token}`;
  const body =
    purpose === 'invitation'
      ? `Bonjour ${user.first_name},\n\nVous êtes invité·e à rejoindre Lien pour l'organisme ${organisation}. Choisissez votre mot de passe en suivant ce lien (valable 7 jours, utilisable une seule fois) :\n${link}\n\nSi vous n'attendiez pas cette invitation, ignorez ce message.`
      : `Bonjour ${user.first_name},\n\nPour choisir un nouveau mot de passe de votre compte Lien de l'organisme ${organisation}, suivez ce lien (valable 1 heure, utilisable une seule fois) :\n${link}\n\nSi vous avez un compte dans plusieurs organismes, vous recevez un message par compte : chaque lien ne change que le mot de passe du compte nommé.\n\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.`;
  await enqueueMessage(trx, deps.jobs, user.organisation_id, {
    channel: 'email',
    recipient: user.email,
    subject: purpose === 'invitation' ? `Votre invitation à Lien (${organisation})` : `Réinitialisation de votre mot de passe Lien (${organisation})`,
    body,
    purpose,
    idempotencyKey: `${purpose}:${hashToken(token).toString('hex')}`,
    secret: { values: [link], key: messageKey(deps.config), validMinutes: ttl },
  });
}

const RESET_LINKS_PER_HOUR = 3;
const resetRequestsPerAddress = {
  count: 10,
  windowSeconds: 60 * 60,
  detail: 'Trop de demandes de réinitialisation depuis cette adresse.',
};

/**
 * Ask for a reset link. Answers the same, in the same time, whether the address has an account
 * or not: only the per-address limit (10 requests an hour, then a French 429) is on the response
 * path; looking the account up and e-mailing run after the answer has left. An account gets at
 * most 3 links an hour; further requests answer the same and send nothing.
 */
export async function requestPasswordReset(deps: Deps, email: string, ip: string) {
  await takeAllowance(deps.database, throttleKey('reset', ip), resetRequestsPerAddress, nowOf(deps));
  defer(() => sendPasswordReset(deps, email, ip));
}

/** One link per active account of the address (one per organisation), each naming its organisation. */
async function sendPasswordReset(deps: Deps, email: string, ip: string) {
  const { database } = deps;
  for (const hit of await repo.lookUpUsersByEmail(database.db, email)) {
    await database.withOrg({ organisationId: hit.organisation_id }, async (trx) => {
      // The row lock makes concurrent requests for one account count one after the other.
      const user = await repo.lockUser(trx, hit.id);
      if (user?.status !== 'active') return;
      const actor = { userId: null, role: null, ip };
      if ((await repo.countTokensSince(trx, user.id, 'password_reset', 60)) >= RESET_LINKS_PER_HOUR) {
        await recordAudit(trx, actor, { action: 'auth.password_reset_suppressed', objectType: 'user', objectId: user.id });
        return;
      }
      await sendAccountLink(deps, trx, user, 'password_reset');
      await recordAudit(trx, actor, { action: 'auth.password_reset_requested', objectType: 'user', objectId: user.id });
    });
  }
}

// Work done after the answer has left (in this process: a lost request is simply asked again).
const deferred = new Set<Promise<void>>();

function defer(work: () => Promise<void>) {
  const run: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(work)
    .catch((error: unknown) => {
      // No personal data: the e-mail address is not part of the message.
      console.error('lien: deferred account work failed:', (error as Error).message);
    })
    .finally(() => deferred.delete(run));
  deferred.add(run);
}

/** Wait until the deferred account work (reset e-mails) is done: tests and graceful shutdown. */
export async function settleDeferredWork(): Promise<void> {
  while (deferred.size) await Promise.allSettled([...deferred]);
}

const passwordChoicesPerAddress = { count: 30, windowSeconds: 60 * 60, detail: 'Trop de tentatives depuis cette adresse.' };

/**
 * Set a password from an e-mailed link (reset or invitation). The link works once; all the
 * user's sessions end. The second factor is untouched: the next sign-in still asks for it.
 */
export async function setPasswordWithToken(deps: Deps, token: string, password: string, ip: string) {
  const { database } = deps;
  // Scoring a password costs up to a few hundred ms of CPU for contrived inputs: bound it per address.
  await takeAllowance(database, throttleKey('setpw', ip), passwordChoicesPerAddress, nowOf(deps));
  const hit = await repo.lookUpToken(database.db, hashToken(token));
  const expired = () => invalid('invalid_link', 'Ce lien est invalide, expiré ou déjà utilisé. Demandez-en un nouveau.');
  if (!hit) throw expired();
  await database.withOrg({ organisationId: hit.organisation_id }, async (trx) => {
    const claimed = await repo.claimToken(trx, hit.token_id);
    if (!claimed) throw expired();
    const user = await repo.findUser(trx, claimed.user_id);
    if (!user || user.status === 'inactive') throw expired();
    assertAcceptablePassword(password, user.email);
    await repo.updateUser(trx, user.id, { password_hash: await hashPassword(password), status: 'active' });
    await repo.markTokenUsed(trx, claimed.id);
    await endUserSessions(trx, user.id, 'password_changed');
    const action = claimed.purpose === 'invitation' ? 'auth.invitation_accepted' : 'auth.password_reset';
    await recordAudit(trx, { userId: user.id, role: user.role, ip }, { action, objectType: 'user', objectId: user.id });
  });
}
