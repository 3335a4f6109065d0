import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import client from 'prom-client';
import { publicRoute } from './auth/policy.ts';
import type { Database } from './db/database.ts';

/** Liveness, readiness and Prometheus metrics. */
export async function opsRoutes(app: FastifyInstance, options: { database: Database }) {
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
  app.get('/metrics', { config: { policy: publicRoute }, schema: hide }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
