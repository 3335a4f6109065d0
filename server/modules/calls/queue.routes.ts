import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerCandidate, dashboard, launchResult } from '../../../contracts/campaigns.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import { campaignManagers } from '../campaigns/index.ts';
import type { Deps } from '../deps.ts';
import * as queue from './queue.service.ts';

/** A campaign's queue, for managers: who may join a caller pool, the launch that fills the queue, the dashboard and its export. URLs under /api/campaigns. */
export async function queueRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const managers = { policy: allow(...campaignManagers) };
  const tags = ['campaigns'];

  r.get(
    '/api/campaigns/caller-candidates',
    { config: managers, schema: { tags, summary: 'Personnes pouvant rejoindre un vivier d’appelant·es', response: { 200: z.array(callerCandidate) } } },
    async (request) => queue.callerCandidates(deps, caller(request)),
  );
  r.post(
    '/api/campaigns/:id/launch',
    { config: managers, schema: { tags, summary: 'Lancer la campagne (remplit la file d’appels)', params: idParams, response: { 200: launchResult } } },
    async (request) => queue.launchCampaign(deps, caller(request), { id: request.params.id, ip: request.ip }),
  );
  r.get(
    '/api/campaigns/:id/dashboard',
    { config: managers, schema: { tags, summary: 'Tableau de bord de la campagne', params: idParams, response: { 200: dashboard } } },
    async (request) => queue.getDashboard(deps, caller(request), request.params.id),
  );
  r.get(
    '/api/campaigns/:id/export',
    { config: managers, schema: { tags, summary: 'Exporter le tableau de bord (XLSX)', params: idParams } },
    async (request, reply) => {
      const body = await queue.exportDashboard(deps, caller(request), { id: request.params.id, ip: request.ip });
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', 'attachment; filename="campagne.xlsx"')
        .send(body);
    },
  );
}
