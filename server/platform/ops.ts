import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import client from 'prom-client';
import { publicRoute } from './auth/policy.ts';
import type { Database } from './db/database.ts';
import { AppError } from './errors/app-error.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();
const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may read `/metrics` (route names, counts and timings tell an outsider how Lien is used):
 * with `METRICS_TOKEN`, a request carrying `Authorization: Bearer <token>`; without it, only a
 * direct connection from this machine — not one relayed by a proxy, which would make any
 * visitor of the proxy look local.
 */
function metricsGuard(token: string | undefined) {
  const expected = token ? digest(token) : null;
  return async (request: FastifyRequest) => {
    if (expected) {
      const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (given && timingSafeEqual(digest(given), expected)) return;
      throw new AppError('metrics_token_required', 401, "Les métriques demandent le jeton d'accès configuré (METRICS_TOKEN).");
    }
    const relayed = request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
    if (loopback.has(request.socket.remoteAddress ?? '') && !relayed) return;
    throw new AppError('metrics_local_only', 403, 'Les métriques ne sont accessibles que depuis le serveur lui-même, ou avec un jeton (METRICS_TOKEN).');
  };
}

/** Liveness, readiness and Prometheus metrics. */
export async function opsRoutes(app: FastifyInstance, options: { database: Database; metricsToken?: string | undefined }) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const duration = new client.Histogram({
    name: 'lien_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe({ method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  const hide = { hide: true };
  app.get('/healthz', { config: { policy: publicRoute }, schema: hide }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { policy: publicRoute }, schema: hide }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(options.database.db);
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });
  // Public to the session policy (a scraper has no session); guarded by its own check instead.
  app.get('/metrics', { config: { policy: publicRoute }, schema: hide, onRequest: metricsGuard(options.metricsToken) }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
