import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { followupAssignBody, followupCloseBody, followupListBody, followupRow } from '../../../contracts/campaigns.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import { followupAssigners, followupRoles } from './followups.policy.ts';
import * as followups from './followups.service.ts';

const ok = z.object({ ok: z.literal(true) });

/** Follow-ups opened by calls and doorstep visits: list, assign, close; the urgent count shown on every page. */
export async function followupRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const workers = { policy: allow(...followupRoles) };
  const assigners = { policy: allow(...followupAssigners) };
  const tags = ['campaigns'];

  r.post(
    '/api/followups/list',
    { config: workers, schema: { tags, summary: 'Suivis ouverts par les appels', body: followupListBody, response: { 200: z.array(followupRow) } } },
    async (request) => followups.listFollowups(deps, caller(request), request.body, request.ip),
  );
  r.get(
    '/api/followups/assignees',
    {
      config: assigners,
      schema: {
        tags,
        summary: 'Personnes à qui attribuer un suivi',
        response: { 200: z.array(z.object({ id: z.string().uuid(), name: z.string(), role: z.string() })) },
      },
    },
    async (request) => followups.followupAssignees(deps, caller(request)),
  );
  r.get(
    '/api/followups/urgent-count',
    {
      config: workers,
      schema: { tags, summary: 'Nombre d’urgences ouvertes (alerte affichée sur chaque page)', response: { 200: z.object({ open: z.number() }) } },
    },
    async (request) => followups.openUrgentCount(deps, caller(request)),
  );
  r.post(
    '/api/followups/:id/assign',
    { config: assigners, schema: { tags, summary: 'Attribuer un suivi', params: idParams, body: followupAssignBody, response: { 200: ok } } },
    async (request) => {
      await followups.assignFollowup(deps, caller(request), { id: request.params.id, userId: request.body.userId, ip: request.ip });
      return { ok: true as const };
    },
  );
  r.post(
    '/api/followups/:id/close',
    { config: workers, schema: { tags, summary: 'Clore un suivi', params: idParams, body: followupCloseBody, response: { 200: ok } } },
    async (request) => {
      await followups.closeFollowup(deps, caller(request), { id: request.params.id, resolution: request.body.resolution, ip: request.ip });
      return { ok: true as const };
    },
  );
}
