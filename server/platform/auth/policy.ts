import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../../contracts/roles.ts';
import { type DenialContext, recordDeniedRead } from '../audit/denials.ts';
import type { SessionStage } from '../db/schema.ts';
import { AppError, forbidden, unauthenticated } from '../errors/app-error.ts';
import { closeSessionTransaction, openSessionTransaction, resolveSession, type SessionContext, type SessionTransactionOptions } from './sessions.repository.ts';

/**
 * Who may call a route. Every route declares one in `config.policy`; a route without a
 * policy is refused at run time and fails the route-inventory test.
 */
export type RoutePolicy =
  | { kind: 'public' }
  /** A signed-in session, whatever its stage (second factor or enrolment pending). */
  | { kind: 'session'; stages: readonly SessionStage[] }
  /** A fully signed-in user with one of these roles. */
  | { kind: 'roles'; roles: readonly Role[] }
  /**
   * A tenant signed in to the portal (issue 16): their own cookie and session, resolved by the
   * `resolveTenant` the app hands over (module portal); a staff session never passes.
   */
  | { kind: 'tenant' };

export const publicRoute: RoutePolicy = { kind: 'public' };
export const anySession = (...stages: SessionStage[]): RoutePolicy => ({ kind: 'session', stages });
export const allow = (...roles: Role[]): RoutePolicy => ({ kind: 'roles', roles });
export const tenantRoute: RoutePolicy = { kind: 'tenant' };

/** Who a portal request comes from: a person of a current household, in an organisation. */
export type TenantIdentity = { sessionId: string; organisationId: string; householdId: string; personId: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
    /**
     * Resolve the session with the `begin` of the transaction the handler's first `withSession`
     * will use (one round trip less; hot routes only, whose handler opens a transaction at once).
     * `lockPrefix`: the advisory lock `<prefix><user id>` taken in the same round trip;
     * `genericPlans`: the transaction's statements run on their connection's generic plans.
     */
    sessionTransaction?: SessionTransactionOptions;
    /**
     * A tenant route (`tenantRoute`) whose handler opens a transaction at once: the tenant's
     * session is resolved in that transaction's `begin` round trip and the transaction left open
     * for it (module portal, `withTenant`); rolled back after the answer if unused.
     */
    tenantTransaction?: boolean;
  }
  interface FastifyRequest {
    session: SessionContext | null;
    tenant: TenantIdentity | null;
  }
}

/** The request's caller, once the policy has let it through. */
export function caller(request: FastifyRequest): SessionContext {
  if (!request.session) throw unauthenticated();
  return request.session;
}

/** Audit actor of a request. */
export function actorOf(request: FastifyRequest) {
  return { userId: request.session?.userId ?? null, role: request.session?.role ?? null, ip: request.ip };
}

export type PolicyOptions = DenialContext & {
  cookieName: string;
  routes: RouteRecord[];
  /** The tenant of a request from the portal's cookie, or null (module portal); without it, tenant routes answer 401. */
  resolveTenant?: (request: FastifyRequest) => Promise<TenantIdentity | null>;
  /** Close what `resolveTenant` left open for the handler and the handler did not use (once the answer is sent). */
  releaseTenant?: (tenant: TenantIdentity | null) => Promise<void>;
};
export type RouteRecord = { method: string; url: string; policy: RoutePolicy | undefined };

async function authorise(options: PolicyOptions, request: FastifyRequest, _reply: FastifyReply) {
  const { database, cookieName } = options;
  const policy = request.routeOptions.config.policy;
  if (!policy) {
    request.log.error({ route: request.routeOptions.url }, 'route without policy refused');
    throw forbidden();
  }
  if (policy.kind === 'public') return;
  if (policy.kind === 'tenant') {
    const tenant = options.resolveTenant ? await options.resolveTenant(request) : null;
    if (!tenant) throw unauthenticated('Veuillez vous connecter à votre espace locataire.');
    request.tenant = tenant;
    return;
  }
  const token = request.cookies[cookieName];
  const inTransaction = request.routeOptions.config.sessionTransaction;
  const session = !token ? null : inTransaction ? await openSessionTransaction(database, token, inTransaction) : await resolveSession(database, token);
  if (!session) throw unauthenticated(token ? 'Votre session a expiré. Veuillez vous reconnecter.' : 'Veuillez vous connecter.');
  request.session = session;
  try {
    await checkSession(options, request, policy, session);
  } catch (error) {
    // Refused: the transaction opened with the session is not used.
    await closeSessionTransaction(session);
    throw error;
  }
}

async function checkSession(
  options: PolicyOptions,
  request: FastifyRequest,
  policy: Exclude<RoutePolicy, { kind: 'public' } | { kind: 'tenant' }>,
  session: SessionContext,
) {
  if (policy.kind === 'session') {
    if (session.stage === 'active' || policy.stages.includes(session.stage)) return;
    throw unauthenticated('Terminez la connexion (second facteur).');
  }
  if (session.stage !== 'active') {
    const detail =
      session.stage === 'enrolment'
        ? "Activez d'abord la double authentification pour continuer."
        : 'Saisissez le code de votre application d’authentification pour continuer.';
    throw new AppError('second_factor_required', 401, detail, { stage: session.stage });
  }
  if (!policy.roles.includes(session.role)) {
    // The denial is written in a transaction of its own: the one opened with the session is not used.
    await closeSessionTransaction(session);
    await recordDeniedRead(options, session, request.ip, { action: 'access.denied', details: { route: request.routeOptions.url, method: request.method } });
    throw forbidden();
  }
}

/** Sessions, route policies and the inventory of registered routes. */
export const policyPlugin = fp<PolicyOptions>(async (app: FastifyInstance, options) => {
  app.decorateRequest('session', null);
  app.decorateRequest('tenant', null);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      // Read lazily: a scope may set the policy in its own onRoute hook (static files).
      options.routes.push({
        method,
        url: route.url,
        get policy() {
          return route.config?.policy;
        },
      });
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    // Decided on the route the router matched, never on the raw URL: `/%61pi/users` reaches the
    // same handler as `/api/users`. Only unknown paths (the not-found handler) carry no route;
    // every matched route, static files included, goes through its declared policy.
    if (!request.routeOptions.url) return;
    await authorise(options, request, reply);
  });
  // A transaction opened with the session and left unused (bad body, error before the handler's transaction) is rolled back.
  app.addHook('onResponse', async (request) => {
    await closeSessionTransaction(request.session);
    await options.releaseTenant?.(request.tenant);
  });
  app.addHook('onRequestAbort', async (request) => {
    await closeSessionTransaction(request.session);
    await options.releaseTenant?.(request.tenant);
  });
});
