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
 * Resolve a cookie token into a session. The only query outside an organisation is the
 * SECURITY DEFINER look-up that returns the session and organisation ids; everything else
 * runs under RLS. Idle, expired, deactivated or past-end-date sessions are ended here.
 */
export async function resolveSession(database: Database, token: string): Promise<SessionContext | null> {
  const found = await sql<{ session_id: string; organisation_id: string }>`select * from auth_session_by_token(${hashToken(token)})`.execute(database.db);
  const hit = found.rows[0];
  if (!hit) return null;
  return database.withOrg({ organisationId: hit.organisation_id }, async (trx) => {
    const s = await trx
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.id', 's.user_id', 's.stage', 's.authenticated_at', 'u.role', 'u.status'])
      .select([
        sql<boolean>`s.last_seen_at < now() - make_interval(mins => ${IDLE_MINUTES})`.as('idle'),
        sql<boolean>`s.created_at < now() - make_interval(hours => ${ABSOLUTE_HOURS})`.as('expired'),
        sql<boolean>`u.end_date is not null and u.end_date < (now() at time zone 'Europe/Paris')::date`.as('past_end'),
        sql<boolean>`s.last_seen_at < now() - interval '1 minute'`.as('stale'),
      ])
      .where('s.id', '=', hit.session_id)
      .where('s.ended_at', 'is', null)
      .executeTakeFirst();
    if (!s) return null;
    const reason = s.status !== 'active' ? 'user_inactive' : s.past_end ? 'end_date' : s.idle ? 'idle' : s.expired ? 'absolute_timeout' : null;
    if (reason) {
      await endSession(trx, s.id, reason);
      return null;
    }
    if (s.stale) await trx.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('id', '=', s.id).execute();
    const agencies = await trx.selectFrom('user_agencies').select('agency_id').where('user_id', '=', s.user_id).execute();
    return {
      sessionId: s.id,
      organisationId: hit.organisation_id,
      userId: s.user_id,
      role: s.role,
      stage: s.stage,
      agencyIds: agencies.map((a) => a.agency_id),
      authenticatedAt: s.authenticated_at,
    };
  });
}
