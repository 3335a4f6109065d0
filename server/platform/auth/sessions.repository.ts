import { type ControlledTransaction, sql } from 'kysely';
import { advisoryLockSql, type Database, runAfterCommit, type Tx } from '../db/database.ts';
import type { DB, Role, SessionStage } from '../db/schema.ts';
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
 * The first call for a session the route resolved in an open transaction (`openSessionTransaction`)
 * runs in that transaction and commits it: no `begin` of its own.
 */
export async function withSession<T>(database: Database, s: SessionContext, fn: (trx: Tx) => Promise<T>, options: { lock?: string } = {}) {
  const open = openTransactions.get(s);
  if (!open) return database.withOrg({ organisationId: s.organisationId, userId: s.userId, ...options }, fn);
  openTransactions.delete(s);
  const { trx } = open;
  try {
    if (options.lock !== undefined && options.lock !== open.lock) await advisoryLockSql(options.lock).execute(trx);
    const result = await fn(trx);
    await trx.commit().execute();
    await runAfterCommit(trx);
    return result;
  } catch (error) {
    await rollbackIfOpen(trx);
    throw error;
  }
}

/** Roll back a transaction that neither committed nor rolled back yet; a failed rollback (connection gone) is not an error here. */
async function rollbackIfOpen(trx: ControlledTransaction<DB>) {
  if (!trx.isCommitted && !trx.isRolledBack)
    await trx
      .rollback()
      .execute()
      .catch(() => {});
}

/** Transactions opened with a request's session and not yet used by `withSession`, with the advisory lock taken with them. */
const openTransactions = new WeakMap<SessionContext, { trx: ControlledTransaction<DB>; lock: string | null }>();

/** Roll back the transaction a session was opened with if nothing used it (the request failed before its handler ran): called once the answer is sent. */
export async function closeSessionTransaction(s: SessionContext | null) {
  const open = s && openTransactions.get(s);
  if (!open) return;
  openTransactions.delete(s);
  await rollbackIfOpen(open.trx);
}

/** How a hot route's transaction is opened with its session (route config `sessionTransaction`). */
export type SessionTransactionOptions = {
  /** The advisory lock `<prefix><user id>`, taken in the `begin` round trip. */
  lockPrefix?: string;
  /**
   * The transaction's statements run on their connection's generic plan from their first
   * execution (`plan_cache_mode = force_generic_plan`, transaction-local, set in the `begin`
   * round trip). PostgreSQL otherwise plans a prepared statement for its parameters at each of
   * its first five executions on a connection, then builds the generic one: with 20 pooled
   * connections and up to eight text variants of the outcome's attempt statement, that is
   * hundreds of plannings each time the pool opens its connections (measured: 527–650 plannings
   * of the four hot statements in a 15 s window, 131–140 with this). A warm-up saving, nothing
   * in a steady state. Only for routes whose statements look rows up by id, campaign, caller and
   * instants through indexes, where the generic plan is the custom one (ADR 0009, update
   * « evening »).
   */
  genericPlans?: boolean;
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

/** The row `auth_resolve_session` returns: the session of one token hash, its user's role, status and agencies, the timeout flags. */
type ResolvedRow = {
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
};

/** What a resolved row means: the session, or why it ends now (deactivated user, end date, idle, absolute timeout). */
function sessionOfRow(s: ResolvedRow) {
  const reason = s.user_status !== 'active' ? 'user_inactive' : s.past_end ? 'end_date' : s.idle ? 'idle' : s.expired ? 'absolute_timeout' : null;
  const session: SessionContext = {
    sessionId: s.session_id,
    organisationId: s.organisation_id,
    userId: s.user_id,
    role: s.role,
    stage: s.stage,
    agencyIds: s.agency_ids,
    authenticatedAt: s.authenticated_at,
  };
  return { session, reason };
}

/** Writes of a resolution, under RLS in the session's organisation: end the session (`reason`), or note activity (once a minute). */
async function afterResolution(trx: Tx, s: ResolvedRow, reason: string | null) {
  if (reason) await endSession(trx, s.session_id, reason);
  else if (s.stale) await trx.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('id', '=', s.session_id).execute();
}

/**
 * Resolve a cookie token into a session in one SECURITY DEFINER call that returns only the row
 * of this token's hash (session, role, status, agencies, timeout flags). Writes — ending an
 * idle, expired, deactivated or past-end-date session, or noting activity once a minute — run
 * under RLS in the session's organisation.
 */
export async function resolveSession(database: Database, token: string): Promise<SessionContext | null> {
  const found = await sql<ResolvedRow>`select * from auth_resolve_session(${hashToken(token)}, ${IDLE_MINUTES}, ${ABSOLUTE_HOURS})`.execute(database.db);
  const row = found.rows[0];
  if (!row) return null;
  const { session, reason } = sessionOfRow(row);
  if (reason || row.stale) await database.withOrg({ organisationId: row.organisation_id }, (trx) => afterResolution(trx, row, reason));
  return reason ? null : session;
}

/**
 * The same resolution sent with `begin` (one round trip instead of two per request, ADR 0009):
 * the transaction is opened in the session's organisation, as its user, and left open for the
 * request's first `withSession`, which commits it. `lockPrefix`: the advisory lock
 * `<prefix><user id>` is taken in the same round trip (e.g. the caller lock of « next »).
 * `genericPlans`: see `SessionTransactionOptions`.
 * No session (unknown, ended, or ending now): null, the transaction closed.
 */
export async function openSessionTransaction(database: Database, token: string, options: SessionTransactionOptions = {}) {
  const hash = hashToken(token).toString('hex');
  const prefix = options.lockPrefix;
  if (prefix !== undefined && !/^[A-Za-z0-9_:-]{0,100}$/.test(prefix)) throw new Error('session lock prefix: letters, digits, _, - and : only');
  // Inlined as literals: the hash is hexadecimal, the prefix was checked, the limits are constants.
  const lock = prefix === undefined ? '' : `, pg_advisory_xact_lock(hashtextextended('${prefix}' || s.user_id::text, 0)) is null as locked`;
  const plans = options.genericPlans ? `, set_config('plan_cache_mode', 'force_generic_plan', true) as plan_cache_mode` : '';
  const { trx, rows } = await database.beginWith(
    `select set_config('lien.org_id', s.organisation_id::text, true), set_config('lien.user_id', s.user_id::text, true)${lock}${plans}, s.*
    from auth_resolve_session('\\x${hash}'::bytea, ${IDLE_MINUTES}, ${ABSOLUTE_HOURS}) s`,
  );
  const row = rows[0] as ResolvedRow | undefined;
  if (!row) {
    await trx.rollback().execute();
    return null;
  }
  const { session, reason } = sessionOfRow(row);
  try {
    await afterResolution(trx, row, reason);
    if (reason) {
      await trx.commit().execute();
      return null;
    }
  } catch (error) {
    await rollbackIfOpen(trx);
    throw error;
  }
  openTransactions.set(session, { trx, lock: prefix === undefined ? null : `${prefix}${session.userId}` });
  return session;
}
