import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { calendarSlot, dayQuery, markBody, openSlotsBody, weekQuery } from '../../../contracts/appointments.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import { appointmentManagers, appointmentWorkers } from './appointments.policy.ts';
import * as appointments from './appointments.service.ts';
import { dayListPdf } from './day-list.ts';

const ok = z.object({ ok: z.literal(true) });

/** The agency calendar (staff side of issue 16): slots, bookings, « venu » / « absent », the day's list. */
export async function appointmentRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const workers = { policy: allow(...appointmentWorkers) };
  const managers = { policy: allow(...appointmentManagers) };
  const tags = ['appointments'];

  r.post(
    '/api/appointments/slots',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Ouvrir des créneaux de rendez-vous (répétés chaque semaine)',
        body: openSlotsBody,
        response: { 200: z.object({ ids: z.array(z.string().uuid()) }) },
      },
    },
    async (request) => appointments.openSlots(deps, caller(request), request.body, request.ip),
  );
  r.post(
    '/api/appointments/slots/:id/close',
    {
      config: managers,
      schema: { tags, summary: 'Fermer un créneau (ses rendez-vous sont annulés)', params: idParams, response: { 200: z.object({ cancelled: z.number() }) } },
    },
    async (request) => appointments.closeSlot(deps, caller(request), request.params.id, request.ip),
  );
  r.get(
    '/api/appointments/week',
    {
      config: workers,
      schema: { tags, summary: 'Semaine d’une agence : créneaux et rendez-vous', querystring: weekQuery, response: { 200: z.array(calendarSlot) } },
    },
    async (request) => appointments.calendarWeek(deps, caller(request), request.query, request.ip),
  );
  r.get(
    '/api/appointments/day.pdf',
    { config: workers, schema: { tags, summary: 'Rendez-vous du jour à imprimer (PDF)', querystring: dayQuery } },
    async (request, reply) => {
      const list = await appointments.dayList(deps, caller(request), request.query, request.ip);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="rendez-vous-${request.query.day}.pdf"`)
        .send(await dayListPdf(list));
    },
  );
  r.post(
    '/api/appointments/bookings/:id/mark',
    { config: workers, schema: { tags, summary: 'Noter un rendez-vous « venu » ou « absent »', params: idParams, body: markBody, response: { 200: ok } } },
    async (request) => {
      await appointments.markBooking(deps, caller(request), request.params.id, request.body.outcome, request.ip);
      return { ok: true as const };
    },
  );
}
