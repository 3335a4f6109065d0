/**
 * A tenant's identity in the portal (issue 16): the session a sign-in code opens, its cookie, and
 * the transaction every tenant request runs in. `withTenant` sets the organisation and the
 * household transaction-locally; the portal tables' restrictive policies then show only that
 * household's rows (internal notes, codes and sessions: none), whatever a query asks for.
 */
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import type { TenantIdentity } from '../../platform/auth/policy.ts';
import { hashToken, newToken } from '../../platform/auth/tokens.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { unauthenticated } from '../../platform/errors/app-error.ts';
import { isCurrentMember } from '../registry/index.ts';
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

/** A transaction in the tenant's organisation, narrowed by the database to their household. */
export function withTenant<T>(database: Database, tenant: Pick<TenantContext, 'organisationId' | 'householdId'>, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return database.withOrg({ organisationId: tenant.organisationId }, async (trx) => {
    await sql`select set_config('lien.household_id', ${tenant.householdId}, true)`.execute(trx);
    return fn(trx);
  });
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

/** Open a session in the caller's (organisation) transaction; the cookie value names the organisation, then the secret. */
export async function openTenantSession(trx: Tx, organisationId: string, personId: string, householdId: string) {
  const token = newToken();
  await repo.insertSession(trx, { personId, householdId, tokenHash: hashToken(token) });
  return `${organisationId}.${token}`;
}

/**
 * The tenant of a cookie value, or null: unknown, ended, idle for 15 min, older than 8 h, or a
 * person who no longer belongs to a current household (the session ends then, on the server).
 */
export async function resolveTenantSession(database: Database, value: string | undefined): Promise<TenantContext | null> {
  if (!value) return null;
  const [organisationId, token, ...rest] = value.split('.');
  if (!organisationId || !uuid.test(organisationId) || !token || rest.length || token.length > 100) return null;
  return database.withOrg({ organisationId }, async (trx) => {
    const s = await repo.sessionByHash(trx, hashToken(token), TENANT_IDLE_MINUTES, TENANT_ABSOLUTE_HOURS);
    if (!s) return null;
    const reason = s.idle ? 'idle' : s.expired ? 'absolute_timeout' : (await isCurrentMember(trx, s.person_id, s.household_id)) ? null : 'left_household';
    if (reason) {
      await repo.endSession(trx, s.id, reason);
      return null;
    }
    if (s.stale) await repo.touchSession(trx, s.id);
    return { sessionId: s.id, organisationId, householdId: s.household_id, personId: s.person_id };
  });
}

/** What the policy plugin calls for a tenant route. */
export const tenantResolver = (deps: { config: Config; database: Database }) => (request: FastifyRequest) =>
  resolveTenantSession(deps.database, request.cookies[tenantCookieName(deps.config)]);
