import { sql } from 'kysely';
import type { Database, Tx } from '../db/database.ts';
import type { Role, SessionStage } from '../db/schema.ts';
import { hashToken, newToken } from './tokens.ts';

/** Idle timeout and absolute lifetime of a staff session. */
const IDLE_MINUTES = 30;
const ABSOLUTE_HOURS = 12;

/** What a request knows about who is calling. */
export type SessionContext = {
  sessionId: string;
  organisationId: string;
  userId: string;
  role: Role;
  stage: SessionStage;
  agencyIds: string[];
  authenticatedAt: Date;
};

/**
 * A transaction in the session's organisation, as its user (RLS and the audit know who acts);
 * `lock`: an advisory lock key taken with the transaction's `begin` (see `OrgContext`).
 */
export function withSession<T>(database: Database, s: SessionContext, fn: (trx: Tx) => Promise<T>, options: { lock?: string } = {}) {
  return database.withOrg({ organisationId: s.organisationId, userId: s.userId, ...options }, fn);
}

/** Open a session; returns the cookie token (only its hash is stored). */
export async function createSession(trx: Tx, userId: string, stage: SessionStage) {
  const token = newToken();
  const row = await trx
    .insertInto('sessions')
    .values({ organisation_id: sql<string>`lien_current_org()`, user_id: userId, token_hash: hashToken(token), stage })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, sessionId: row.id };
}

/** Move a session to another stage under a new token (rotation on privilege change). */
export async function promoteSession(trx: Tx, sessionId: string, stage: SessionStage) {
  const token = newToken();
  await trx
    .updateTable('sessions')
    .set({ token_hash: hashToken(token), stage, authenticated_at: sql`now()`, last_seen_at: sql`now()` })
    .where('id', '=', sessionId)
    .execute();
  return token;
}

/** Record a fresh confirmation of identity (re-authentication). */
export async function touchAuthentication(trx: Tx, sessionId: string) {
  await trx.updateTable('sessions').set({ authenticated_at: sql`now()` }).where('id', '=', sessionId).execute();
}

/** Sensitive actions need an authentication less than 5 minutes old (TRUST AA-09). */
export const FRESH_AUTH_MINUTES = 5;
export function isFreshlyAuthenticated(session: SessionContext, now = Date.now()) {
  return now - session.authenticatedAt.getTime() < FRESH_AUTH_MINUTES * 60_000;
}

export async function endSession(trx: Tx, sessionId: string, reason: string) {
  await trx.updateTable('sessions').set({ ended_at: sql`now()`, end_reason: reason }).where('id', '=', sessionId).where('ended_at', 'is', null).execute();
}

/** End every open session of a user (deactivation, role change, password change). */
export async function endUserSessions(trx: Tx, userId: string, reason: string, exceptSessionId?: string) {
  let q = trx.updateTable('sessions').set({ ended_at: sql`now()`, end_reason: reason }).where('user_id', '=', userId).where('ended_at', 'is', null);
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Resolve a cookie token into a session in one SECURITY DEFINER call that returns only the row
 * of this token's hash (session, role, status, agencies, timeout flags). Writes — ending an
 * idle, expired, deactivated or past-end-date session, or noting activity once a minute — run
 * under RLS in the session's organisation.
 */
export async function resolveSession(database: Database, token: string): Promise<SessionContext | null> {
  const found = await sql<{
    session_id: string;
    organisation_id: string;
    user_id: string;
    stage: SessionStage;
    authenticated_at: Date;
    role: Role;
    user_status: string;
    idle: boolean;
    expired: boolean;
    past_end: boolean;
    stale: boolean;
    agency_ids: string[];
  }>`select * from auth_resolve_session(${hashToken(token)}, ${IDLE_MINUTES}, ${ABSOLUTE_HOURS})`.execute(database.db);
  const s = found.rows[0];
  if (!s) return null;
  const reason = s.user_status !== 'active' ? 'user_inactive' : s.past_end ? 'end_date' : s.idle ? 'idle' : s.expired ? 'absolute_timeout' : null;
  if (reason || s.stale) {
    await database.withOrg({ organisationId: s.organisation_id }, async (trx) => {
      if (reason) await endSession(trx, s.session_id, reason);
      else await trx.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('id', '=', s.session_id).execute();
    });
    if (reason) return null;
  }
  return {
    sessionId: s.session_id,
    organisationId: s.organisation_id,
    userId: s.user_id,
    role: s.role,
    stage: s.stage,
    agencyIds: s.agency_ids,
    authenticatedAt: s.authenticated_at,
  };
}
