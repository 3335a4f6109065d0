import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { doorstepResultBody, doorstepRow, doorstepStatuses } from '../../../contracts/campaigns.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import { doorstepRoles } from './doorstep.policy.ts';
import * as doorstep from './doorstep.service.ts';

const ok = z.object({ ok: z.literal(true) });

/** Doorstep visits (« porte-à-porte »): the list to make, and each visit's result. */
export async function doorstepRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const visitors = { policy: allow(...doorstepRoles) };
  const tags = ['campaigns'];

  r.get(
    '/api/doorstep',
    {
      config: visitors,
      schema: {
        tags,
        summary: 'Visites de porte-à-porte',
        querystring: z.object({ status: z.enum(doorstepStatuses).default('pending') }),
        response: { 200: z.array(doorstepRow) },
      },
    },
    async (request) => doorstep.listDoorstep(deps, caller(request), request.query.status, request.ip),
  );
  r.post(
    '/api/doorstep/:id/result',
    { config: visitors, schema: { tags, summary: 'Enregistrer le résultat d’une visite', params: idParams, body: doorstepResultBody, response: { 200: ok } } },
    async (request) => {
      await doorstep.recordDoorstep(deps, caller(request), { id: request.params.id, result: request.body.result, note: request.body.note, ip: request.ip });
      return { ok: true as const };
    },
  );
}
