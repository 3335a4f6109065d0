import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callScript, campaignActions, campaignDetail, campaignInput, campaignSummary, segmentCount, segmentCountBody } from '../../../contracts/campaigns.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import * as campaigns from './campaigns.service.ts';
import { isolationWatchScript } from './script-template.ts';

const ok = z.object({ ok: z.literal(true) });
const created = z.object({ id: z.string().uuid() });
const statusResult = z.object({ status: z.string() });

/** Call campaigns: preparing and status changes, for managers (the launch, dashboard and export are the calls module's queue routes). */
export async function campaignRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const managers = { policy: allow(...campaigns.campaignManagers) };
  const tags = ['campaigns'];

  r.get(
    '/api/campaigns',
    { config: managers, schema: { tags, summary: 'Lister les campagnes', response: { 200: z.array(campaignSummary) } } },
    async (request) => campaigns.listCampaigns(deps, caller(request)),
  );
  r.get(
    '/api/campaigns/script-template',
    { config: managers, schema: { tags, summary: 'Script prêt à l’emploi « Veille isolement — crise sanitaire »', response: { 200: callScript } } },
    async () => isolationWatchScript,
  );
  r.post(
    '/api/campaigns/segment-count',
    {
      config: managers,
      schema: { tags, summary: 'Compter les ménages d’un segment (« ne pas appeler » exclus)', body: segmentCountBody, response: { 200: segmentCount } },
    },
    async (request) => campaigns.countSegment(deps, caller(request), request.body.segment),
  );
  r.post(
    '/api/campaigns',
    { config: managers, schema: { tags, summary: 'Créer une campagne (brouillon)', body: campaignInput, response: { 201: created } } },
    async (request, reply) => reply.status(201).send({ id: await campaigns.createCampaign(deps, caller(request), { campaign: request.body, ip: request.ip }) }),
  );
  r.get(
    '/api/campaigns/:id',
    { config: managers, schema: { tags, summary: 'Détail d’une campagne', params: idParams, response: { 200: campaignDetail } } },
    async (request) => campaigns.getCampaign(deps, caller(request), request.params.id),
  );
  r.put(
    '/api/campaigns/:id',
    { config: managers, schema: { tags, summary: 'Modifier une campagne', params: idParams, body: campaignInput, response: { 200: ok } } },
    async (request) => {
      await campaigns.updateCampaign(deps, caller(request), { id: request.params.id, campaign: request.body, ip: request.ip });
      return { ok: true as const };
    },
  );
  for (const action of campaignActions) {
    r.post(
      `/api/campaigns/:id/${action}`,
      {
        config: managers,
        schema: {
          tags,
          summary: { pause: 'Mettre en pause', resume: 'Reprendre', close: 'Terminer' }[action],
          params: idParams,
          response: { 200: statusResult },
        },
      },
      async (request) => campaigns.changeStatus(deps, caller(request), { id: request.params.id, action, ip: request.ip }),
    );
  }
}
