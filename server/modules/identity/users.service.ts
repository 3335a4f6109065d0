import type { Role } from '../../../contracts/roles.ts';
import type { User } from '../../../contracts/users.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { endUserSessions, type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors/app-error.ts';
import type { Deps } from '../deps.ts';
import * as repo from './identity.repository.ts';
import { requireFreshAuthentication, sendAccountLink } from './identity.service.ts';

type Row = NonNullable<Awaited<ReturnType<typeof repo.findPublicUser>>>;

function toUser(row: Row, agencyIds: string[]): User {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    role: row.role,
    status: row.status,
    agencyIds,
    totpEnabled: row.totp_enabled,
    endDate: row.end_date,
    createdAt: row.created_at.toISOString(),
  };
}

const userNotFound = () => notFound('Utilisateur', 'user_not_found');

async function assertAgencies(trx: Tx, agencyIds: string[]) {
  const unique = [...new Set(agencyIds)];
  if ((await repo.countAgencies(trx, unique)) !== unique.length) throw invalid('agency_not_found', 'Une des agences choisies est introuvable.');
  return unique;
}

/** All users of the organisation. */
export async function listUsers(deps: Deps, s: SessionContext): Promise<User[]> {
  return withSession(deps.database, s, async (trx) => {
    const rows = await repo.listUsers(trx);
    const agencies = await repo.agencyIdsOf(
      trx,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toUser(r, agencies.get(r.id) ?? []));
  });
}

/** One user; the read is audited. */
export async function getUser(deps: Deps, s: SessionContext, userId: string, ip: string): Promise<User> {
  return withSession(deps.database, s, async (trx) => {
    const row = await repo.findPublicUser(trx, userId);
    if (!row) throw userNotFound();
    await recordAudit(trx, actorOf(s, ip), { action: 'user.viewed', objectType: 'user', objectId: userId });
    return toUser(row, (await repo.agencyIdsOf(trx, [userId])).get(userId) ?? []);
  });
}

export type InviteInput = { email: string; firstName: string; lastName: string; role: Role; agencyIds: string[]; endDate?: string | null | undefined };

/**
 * Create an invited user and e-mail them a link to choose their password. An address already
 * used in this organisation is a French 409. An address may have an account in several
 * organisations (a partner association or a CCAS working with several landlords): one used
 * elsewhere is invited like any new address, and nothing tells the admin it exists elsewhere.
 */
export async function inviteUser(deps: Deps, s: SessionContext, input: InviteInput, ip: string): Promise<User> {
  if (input.role === 'volunteer' && !input.endDate) {
    throw invalid('end_date_required', "Un compte bénévole doit avoir une date de fin d'accès.");
  }
  const emailTaken = () => conflict('email_taken', 'Cette adresse e-mail a déjà un compte dans votre organisme.');
  try {
    return await withSession(deps.database, s, (trx) => inviteIn(deps, trx, s, input, ip));
  } catch (error) {
    // Two admins inviting the same address at once: the second meets the unique index.
    if ((error as { code?: string; constraint?: string }).constraint === 'users_org_email_key') throw emailTaken();
    throw error;
  }
}

/** The invitation in the caller's transaction (the volunteers' vetting accepts and invites at once, issue 17). */
export async function inviteIn(deps: Deps, trx: Tx, s: SessionContext, input: InviteInput, ip: string): Promise<User> {
  if (await repo.emailInOrganisation(trx, input.email)) throw conflict('email_taken', 'Cette adresse e-mail a déjà un compte dans votre organisme.');
  const agencyIds = await assertAgencies(trx, input.agencyIds);
  const id = await repo.insertUser(trx, { ...input, endDate: input.endDate ?? null });
  await repo.setAgencies(trx, id, agencyIds);
  await sendAccountLink(deps, trx, { id, email: input.email, first_name: input.firstName, organisation_id: s.organisationId }, 'invitation');
  await recordAudit(trx, actorOf(s, ip), { action: 'user.invited', objectType: 'user', objectId: id, details: { role: input.role, agencyIds } });
  const row = await repo.findPublicUser(trx, id);
  return toUser(row as Row, agencyIds);
}

export type UpdateInput = { role?: Role | undefined; agencyIds?: string[] | undefined; endDate?: string | null | undefined };

/** Change role, agency scope or end date. A change of rights ends the user's sessions. */
export async function updateUser(deps: Deps, s: SessionContext, userId: string, input: UpdateInput, ip: string): Promise<User> {
  return withSession(deps.database, s, async (trx) => {
    const before = await repo.findPublicUser(trx, userId);
    if (!before) throw userNotFound();
    if (userId === s.userId && input.role && input.role !== before.role) {
      throw new AppError('cannot_change_own_role', 409, 'Vous ne pouvez pas modifier votre propre rôle.');
    }
    const oldAgencies = (await repo.agencyIdsOf(trx, [userId])).get(userId) ?? [];
    const role = input.role ?? before.role;
    const endDate = input.endDate === undefined ? before.end_date : input.endDate;
    if (role === 'volunteer' && !endDate) throw invalid('end_date_required', "Un compte bénévole doit avoir une date de fin d'accès.");
    await repo.updateUser(trx, userId, { role, end_date: endDate });
    let agencyIds = oldAgencies;
    if (input.agencyIds) {
      agencyIds = await assertAgencies(trx, input.agencyIds);
      await repo.setAgencies(trx, userId, agencyIds);
    }
    const rightsChanged = role !== before.role || agencyIds.slice().sort().join() !== oldAgencies.slice().sort().join();
    if (rightsChanged) await endUserSessions(trx, userId, 'rights_changed');
    await recordAudit(trx, actorOf(s, ip), {
      action: 'user.updated',
      objectType: 'user',
      objectId: userId,
      details: { before: { role: before.role, agencyIds: oldAgencies, endDate: before.end_date }, after: { role, agencyIds, endDate } },
    });
    const row = await repo.findPublicUser(trx, userId);
    return toUser(row as Row, agencyIds);
  });
}

/** Deactivate: the user can no longer sign in and every open session ends at once. */
export async function deactivateUser(deps: Deps, s: SessionContext, userId: string, ip: string): Promise<User> {
  if (userId === s.userId) throw new AppError('cannot_deactivate_self', 409, 'Vous ne pouvez pas désactiver votre propre compte.');
  return withSession(deps.database, s, async (trx) => {
    const before = await repo.findPublicUser(trx, userId);
    if (!before) throw userNotFound();
    await repo.updateUser(trx, userId, { status: 'inactive' });
    const ended = await endUserSessions(trx, userId, 'user_deactivated');
    await recordAudit(trx, actorOf(s, ip), { action: 'user.deactivated', objectType: 'user', objectId: userId, details: { sessionsEnded: ended } });
    return toUser({ ...before, status: 'inactive' }, (await repo.agencyIdsOf(trx, [userId])).get(userId) ?? []);
  });
}

/** End every open session of a user (lost phone, shared computer) without deactivating them. */
export async function endSessionsOf(deps: Deps, s: SessionContext, userId: string, ip: string): Promise<number> {
  return withSession(deps.database, s, async (trx) => {
    if (!(await repo.findPublicUser(trx, userId))) throw userNotFound();
    const ended = await endUserSessions(trx, userId, 'ended_by_admin', userId === s.userId ? s.sessionId : undefined);
    await recordAudit(trx, actorOf(s, ip), { action: 'user.sessions_ended', objectType: 'user', objectId: userId, details: { sessionsEnded: ended } });
    return ended;
  });
}

/** Reactivate a deactivated user (invited again if they never chose a password). */
export async function reactivateUser(deps: Deps, s: SessionContext, userId: string, ip: string): Promise<User> {
  return withSession(deps.database, s, async (trx) => {
    const user = await repo.findUser(trx, userId);
    if (!user) throw userNotFound();
    const status = user.password_hash ? 'active' : 'invited';
    await repo.updateUser(trx, userId, { status });
    await recordAudit(trx, actorOf(s, ip), { action: 'user.reactivated', objectType: 'user', objectId: userId });
    const row = await repo.findPublicUser(trx, userId);
    return toUser(row as Row, (await repo.agencyIdsOf(trx, [userId])).get(userId) ?? []);
  });
}

/** Send a fresh invitation link to a user who has not chosen a password yet. */
export async function resendInvitation(deps: Deps, s: SessionContext, userId: string, ip: string): Promise<void> {
  await withSession(deps.database, s, async (trx) => {
    const user = await repo.findUser(trx, userId);
    if (!user) throw userNotFound();
    if (user.status !== 'invited') throw conflict('not_invited', "Ce compte est déjà activé : l'utilisateur peut réinitialiser son mot de passe.");
    await sendAccountLink(deps, trx, user, 'invitation');
    await recordAudit(trx, actorOf(s, ip), { action: 'user.invitation_resent', objectType: 'user', objectId: userId });
  });
}

/**
 * « Réinitialiser la double authentification » (lost phone, no recovery code left): the user's
 * second factor and recovery codes are voided and their sessions end; they enrol again at their
 * next sign-in. The admin must have confirmed their identity within 5 minutes (TRUST AA-09).
 * Not on oneself: another admin does it, so one stolen admin session cannot strip its own factor.
 */
export async function resetSecondFactor(deps: Deps, s: SessionContext, userId: string, ip: string): Promise<User> {
  if (userId === s.userId) {
    throw new AppError(
      'cannot_reset_own_second_factor',
      409,
      'Vous ne pouvez pas réinitialiser votre propre double authentification : demandez-le à un autre administrateur.',
    );
  }
  requireFreshAuthentication(s, 'Pour réinitialiser la double authentification, confirmez d’abord votre identité (mot de passe et code).');
  return withSession(deps.database, s, async (trx) => {
    const before = await repo.findPublicUser(trx, userId);
    if (!before) throw userNotFound();
    await repo.updateUser(trx, userId, { totp_secret: null, totp_enabled: false, totp_last_step: null });
    const recoveryCodesVoided = await repo.deleteRecoveryCodes(trx, userId);
    const sessionsEnded = await endUserSessions(trx, userId, 'second_factor_reset');
    await recordAudit(trx, actorOf(s, ip), {
      action: 'user.second_factor_reset',
      objectType: 'user',
      objectId: userId,
      details: { wasEnabled: before.totp_enabled, recoveryCodesVoided, sessionsEnded },
    });
    return toUser({ ...before, totp_enabled: false }, (await repo.agencyIdsOf(trx, [userId])).get(userId) ?? []);
  });
}

/** Agencies of the organisation (for scopes and filters). */
export function listAgencies(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, (trx) => repo.listAgencies(trx));
}
