import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caretakerBody, caretakerOption, residenceListQuery, residenceRow } from '../../../contracts/residences.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import * as residences from './residences.service.ts';

/** Residences and their caretakers (« Résidences »). */
export async function residenceRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const managers = { policy: allow(...residences.residenceManagers) };
  const tags = ['registry'];

  r.get(
    '/api/residences',
    {
      config: managers,
      schema: { tags, summary: 'Lister les résidences et leur gardien·ne', querystring: residenceListQuery, response: { 200: z.array(residenceRow) } },
    },
    async (request) => residences.listResidences(deps, caller(request), request.query),
  );

  r.get(
    '/api/residences/caretakers',
    { config: managers, schema: { tags, summary: 'Les gardien·nes actif·ves à qui confier une résidence', response: { 200: z.array(caretakerOption) } } },
    async (request) => residences.caretakerOptions(deps, caller(request)),
  );

  r.put(
    '/api/residences/:id/caretaker',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Confier une résidence à un·e gardien·ne (ou à personne)',
        params: idParams,
        body: caretakerBody,
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (request) => {
      await residences.assignCaretaker(deps, caller(request), request.params.id, request.body.caretakerId, request.ip);
      return { ok: true as const };
    },
  );
}
