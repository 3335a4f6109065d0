/**
 * The tenant portal's appointment routes (issue 16). Not registered by app.ts here: the portal's
 * sign-in (another part of the issue) gives `tenantOf(request)` — the tenant of the request's
 * portal session, or a 401 — and the route policy that resolves that session (its `tenantRoute`);
 * the app registers these routes with both.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bookBody, moveBody, tenantAppointment, tenantSlot } from '../../../contracts/appointments.ts';
import { idParams } from '../../../contracts/users.ts';
import type { RoutePolicy } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import * as appointments from './appointments.service.ts';

const ok = z.object({ ok: z.literal(true) });

export async function appointmentTenantRoutes(
  app: FastifyInstance,
  deps: Deps,
  tenantOf: (request: FastifyRequest) => appointments.Tenant,
  policy: RoutePolicy,
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { policy };
  const tags = ['portal'];

  r.get(
    '/api/portal/appointments/slots',
    { config, schema: { tags, summary: 'Créneaux de mon agence (six semaines)', response: { 200: z.array(tenantSlot) } } },
    async (request) => appointments.tenantSlots(deps, tenantOf(request)),
  );
  r.get(
    '/api/portal/appointments',
    { config, schema: { tags, summary: 'Mes rendez-vous et listes d’attente à venir', response: { 200: z.array(tenantAppointment) } } },
    async (request) => appointments.tenantAppointments(deps, tenantOf(request)),
  );
  r.post(
    '/api/portal/appointments',
    {
      config,
      schema: {
        tags,
        summary: 'Prendre rendez-vous',
        body: bookBody,
        response: { 200: z.object({ id: z.string().uuid(), notifiedBy: z.enum(['sms', 'email']).nullable() }) },
      },
    },
    async (request) => appointments.bookAppointment(deps, tenantOf(request), request.body, request.ip),
  );
  r.post(
    '/api/portal/appointments/:id/cancel',
    { config, schema: { tags, summary: 'Annuler mon rendez-vous', params: idParams, response: { 200: z.object({ givenToWaitingList: z.number() }) } } },
    async (request) => appointments.cancelAppointment(deps, tenantOf(request), request.params.id, request.ip),
  );
  r.post(
    '/api/portal/appointments/:id/move',
    {
      config,
      schema: {
        tags,
        summary: 'Déplacer mon rendez-vous',
        params: idParams,
        body: moveBody,
        response: { 200: z.object({ id: z.string().uuid(), givenToWaitingList: z.number() }) },
      },
    },
    async (request) => appointments.moveAppointment(deps, tenantOf(request), request.params.id, request.body, request.ip),
  );
  r.post(
    '/api/portal/appointments/waiting-list',
    {
      config,
      schema: {
        tags,
        summary: 'M’inscrire sur la liste d’attente d’un créneau complet',
        body: bookBody,
        response: { 200: z.object({ id: z.string().uuid() }) },
      },
    },
    async (request) => appointments.joinWaitingList(deps, tenantOf(request), request.body, request.ip),
  );
  r.delete(
    '/api/portal/appointments/waiting-list/:id',
    { config, schema: { tags, summary: 'Quitter une liste d’attente', params: idParams, response: { 200: ok } } },
    async (request) => {
      await appointments.leaveWaitingList(deps, tenantOf(request), request.params.id, request.ip);
      return { ok: true as const };
    },
  );
}
