/**
 * A tenant's identity in the portal (issue 16): the session a sign-in code opens, its cookie, and
 * the transaction every tenant request runs in. `withTenant` sets the organisation and the
 * household transaction-locally; the portal tables' restrictive policies then show only that
 * household's rows (internal notes, codes and sessions: none), whatever a query asks for.
 */
import type { FastifyRequest } from 'fastify';
import { type ControlledTransaction, sql } from 'kysely';
import type { Config } from '../../config.ts';
import type { TenantIdentity } from '../../platform/auth/policy.ts';
import { hashToken, newToken } from '../../platform/auth/tokens.ts';
import { type Database, runAfterCommit, type Tx } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';
import { unauthenticated } from '../../platform/errors/app-error.ts';
import { currentMemberCondition } from '../registry/index.ts';
import * as repo from './portal.repository.ts';

/** Who a tenant route serves: the organisation, the household and the person signed in. */
export type TenantContext = TenantIdentity;

/** Idle timeout and absolute lifetime of a tenant session (shorter than staff's: a shared phone). */
export const TENANT_IDLE_MINUTES = 15;
export const TENANT_ABSOLUTE_HOURS = 8;

/** The portal's cookie: its own name, never the staff session's; `__Host-` over HTTPS. */
export const tenantCookieName = (config: Pick<Config, 'COOKIE_SECURE'>) => (config.COOKIE_SECURE ? '__Host-lien_tenant' : 'lien_tenant');

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The tenant of a route with the `tenantRoute` policy (set by the policy before the handler). */
export function tenantOf(request: FastifyRequest): TenantContext {
  if (!request.tenant) throw unauthenticated('Veuillez vous connecter à votre espace locataire.');
  return request.tenant;
}

/**
 * A transaction in the tenant's organisation, narrowed by the database to their household. The
 * first call for a tenant whose route resolved the session in an open transaction (route config
 * `tenantTransaction`) runs in that transaction and commits it; any other opens its own, with the
 * organisation and the household set in its `begin` (one round trip).
 */
export async function withTenant<T>(
  database: Database,
  tenant: Pick<TenantContext, 'organisationId' | 'householdId'>,
  fn: (trx: Tx) => Promise<T>,
): Promise<T> {
  let trx = openTransactions.get(tenant);
  if (trx) openTransactions.delete(tenant);
  else {
    if (![tenant.organisationId, tenant.householdId].every((id) => uuid.test(id))) throw new Error('withTenant needs UUIDs');
    // Inlined as literals: both are UUIDs (checked above), read from the session's row.
    trx = (
      await database.beginWith(
        `select set_config('lien.org_id', '${tenant.organisationId}', true), set_config('lien.user_id', '', true), set_config('lien.household_id', '${tenant.householdId}', true)`,
      )
    ).trx;
  }
  try {
    const result = await fn(trx);
    await trx.commit().execute();
    // What the work left for after its commit (files' bytes deleted), as `withOrg` does.
    await runAfterCommit(trx);
    return result;
  } catch (error) {
    await rollbackIfOpen(trx);
    throw error;
  }
}

/** Transactions opened with a tenant's session and not yet used by `withTenant`. */
const openTransactions = new WeakMap<object, ControlledTransaction<DB>>();

async function rollbackIfOpen(trx: ControlledTransaction<DB>) {
  if (!trx.isCommitted && !trx.isRolledBack)
    await trx
      .rollback()
      .execute()
      .catch(() => {});
}

/** Roll back the transaction a tenant's session was opened with if nothing used it (called once the answer is sent). */
export async function releaseTenantTransaction(tenant: TenantContext | null) {
  const trx = tenant && openTransactions.get(tenant);
  if (!trx) return;
  openTransactions.delete(tenant);
  await rollbackIfOpen(trx);
}

/**
 * One step of a tenant's transaction done by the system for ANOTHER household (appointments: a
 * seat the tenant freed is booked for the first household waiting, ADR 0023): the household
 * narrowing is lifted for `fn` and set again after it. Not restored if `fn` throws: the
 * transaction is then rolled back, narrowing and all.
 */
export async function outsideHousehold<T>(trx: Tx, fn: () => Promise<T>): Promise<T> {
  const before = await sql<{ id: string | null }>`select current_setting('lien.household_id', true) as id`.execute(trx);
  await sql`select set_config('lien.household_id', '', true)`.execute(trx);
  const result = await fn();
  await sql`select set_config('lien.household_id', ${before.rows[0]?.id ?? ''}, true)`.execute(trx);
  return result;
}

/** Open a session in the caller's (organisation) transaction; the cookie value names the organisation, then the secret. `thenCommit`: the transaction's last statement (see `thenCommit`). */
export async function openTenantSession(trx: Tx, organisationId: string, personId: string, householdId: string, options: { thenCommit?: boolean } = {}) {
  const token = newToken();
  await repo.insertSession(trx, { personId, householdId, tokenHash: hashToken(token) }, options);
  return `${organisationId}.${token}`;
}

/**
 * The tenant of a cookie value, or null: unknown, ended, idle for 15 min, older than 8 h, or a
 * person who no longer belongs to a current household (the session ends then, on the server).
 * One round trip: `begin`, the organisation (named by the cookie) and the session's row with its
 * membership test. `open`: the transaction stays open, narrowed to the household, for the
 * route's first `withTenant` (only for routes whose handler opens no other transaction before).
 */
export async function resolveTenantSession(database: Database, value: string | undefined, options: { open?: boolean } = {}): Promise<TenantContext | null> {
  if (!value) return null;
  const [organisationId, token, ...rest] = value.split('.');
  if (!organisationId || !uuid.test(organisationId) || !token || rest.length || token.length > 100) return null;
  const open = options.open === true;
  // Inlined as literals: the organisation is a UUID (checked above), the hash hexadecimal.
  const { trx, rows } = await database.beginWith(
    `select set_config('lien.org_id', '${organisationId}', true), set_config('lien.user_id', '', true);
    ${repo.sessionResolutionSql(hashToken(token).toString('hex'), TENANT_IDLE_MINUTES, TENANT_ABSOLUTE_HOURS, currentMemberCondition('t.person_id', 't.household_id'), open)}`,
  );
  try {
    const s = rows[0] as repo.ResolvedSessionRow | undefined;
    if (!s) {
      await trx.rollback().execute();
      return null;
    }
    const reason = s.idle ? 'idle' : s.expired ? 'absolute_timeout' : s.member ? null : 'left_household';
    if (reason) {
      await repo.endSession(trx, s.id, reason);
      await trx.commit().execute();
      return null;
    }
    const tenant: TenantContext = { sessionId: s.id, organisationId, householdId: s.household_id, personId: s.person_id };
    // Noted once a minute, before the household is set (sessions are hidden from a household's transaction).
    if (s.stale) await repo.touchSession(trx, s.id);
    if (!open) {
      await trx.commit().execute();
      return tenant;
    }
    if (!s.household_set) await sql`select set_config('lien.household_id', ${s.household_id}, true)`.execute(trx);
    openTransactions.set(tenant, trx);
    return tenant;
  } catch (error) {
    await rollbackIfOpen(trx);
    throw error;
  }
}

/** What the policy plugin calls for a tenant route; the route's `tenantTransaction` keeps the transaction open for its handler. */
export const tenantResolver = (deps: { config: Config; database: Database }) => (request: FastifyRequest) =>
  resolveTenantSession(deps.database, request.cookies[tenantCookieName(deps.config)], { open: request.routeOptions.config.tenantTransaction === true });
