import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { breachExportBody, breachQuery, breachReport } from '../../../contracts/breach.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import { breachRoles } from './breach.policy.ts';
import * as breach from './breach.service.ts';

/** A user's accesses to households over a window, after a suspected breach (TRUST DP-15): on screen, or as CSV / JSON. */
export async function breachRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { policy: allow(...breachRoles) };
  const tags = ['privacy'];

  r.post(
    '/api/breach/report',
    {
      config,
      schema: {
        tags,
        summary: 'Ménages dont un·e utilisateur·rice a consulté ou modifié les données sur une période, et catégories de données concernées',
        body: breachQuery,
        response: { 200: breachReport },
      },
    },
    async (request) => breach.breachReport(deps, caller(request), { ...request.body, ip: request.ip }),
  );
  r.post(
    '/api/breach/export',
    { config, schema: { tags, summary: 'Le même relevé à télécharger (CSV ou JSON)', body: breachExportBody } },
    async (request, reply) => {
      const file = await breach.exportBreach(deps, caller(request), { ...request.body, ip: request.ip });
      return reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.body);
    },
  );
}
