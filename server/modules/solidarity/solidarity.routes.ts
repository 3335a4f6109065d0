import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  delivererRow,
  deliveryBody,
  deliveryOutcomeBody,
  deliveryRow,
  deliveryStatuses,
  keysBody,
  lendingBody,
  lendingMatch,
  lendingOfferBody,
  lendingOfferRow,
  lendingRequestBody,
  lendingRequestRow,
  lendingRow,
  myDeliveries,
  offerStatuses,
  vacantUnitRow,
} from '../../../contracts/solidarity.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import { agreementPdf } from './agreement.ts';
import * as deliveries from './deliveries.service.ts';
import * as lending from './lending.service.ts';
import { deliverers, deliveryManagers, lendingManagers, lendingRequesters } from './solidarity.policy.ts';

const created = z.object({ id: z.string().uuid() });
const ok = z.object({ ok: z.literal(true) });

/** Solidarity operations (issue 17): vacant homes lent. */
export async function solidarityRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const managers = { policy: allow(...lendingManagers) };
  const requesters = { policy: allow(...lendingRequesters) };
  const tags = ['solidarity'];

  r.get(
    '/api/solidarity/vacant-units',
    { config: managers, schema: { tags, summary: 'Logements vacants à prêter', response: { 200: z.array(vacantUnitRow) } } },
    async (request) => lending.listVacantUnits(deps, caller(request)),
  );
  r.get(
    '/api/solidarity/offers',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Logements proposés au prêt (adresse d’une mise à l’abri : à ses deux seules personnes)',
        querystring: z.object({ status: z.enum(offerStatuses).optional() }),
        response: { 200: z.array(lendingOfferRow) },
      },
    },
    async (request) => lending.listOffers(deps, caller(request), request.query.status ?? null),
  );
  r.post(
    '/api/solidarity/offers',
    { config: managers, schema: { tags, summary: 'Proposer un logement vacant au prêt', body: lendingOfferBody, response: { 200: created } } },
    async (request) => lending.createOffer(deps, caller(request), request.body, request.ip),
  );
  r.get(
    '/api/solidarity/requests',
    { config: requesters, schema: { tags, summary: 'Demandes de logement (un partenaire : les siennes)', response: { 200: z.array(lendingRequestRow) } } },
    async (request) => lending.listRequests(deps, caller(request)),
  );
  r.post(
    '/api/solidarity/requests',
    {
      config: requesters,
      schema: { tags, summary: 'Demander un logement prêté (dates, secteur, taille du foyer)', body: lendingRequestBody, response: { 200: created } },
    },
    async (request) => lending.createRequest(deps, caller(request), request.body, request.ip),
  );
  r.get(
    '/api/solidarity/requests/:id/matches',
    { config: managers, schema: { tags, summary: 'Logements qui conviennent à une demande', params: idParams, response: { 200: z.array(lendingMatch) } } },
    async (request) => lending.matchesOf(deps, caller(request), request.params.id),
  );
  r.post(
    '/api/solidarity/lendings',
    { config: managers, schema: { tags, summary: 'Prêter un logement à une demande', body: lendingBody, response: { 200: created } } },
    async (request) => lending.createLending(deps, caller(request), request.body, request.ip),
  );
  r.get(
    '/api/solidarity/lendings/:id',
    { config: requesters, schema: { tags, summary: 'Un prêt de logement', params: idParams, response: { 200: lendingRow } } },
    async (request) => lending.getLending(deps, caller(request), request.params.id),
  );
  r.get(
    '/api/solidarity/lendings/:id/agreement',
    { config: requesters, schema: { tags, summary: 'Convention d’occupation temporaire (PDF)', params: idParams } },
    async (request, reply) => {
      const facts = await lending.agreementOf(deps, caller(request), request.params.id, request.ip);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', 'attachment; filename="convention-occupation-temporaire.pdf"')
        .send(await agreementPdf(facts));
    },
  );
  r.post(
    '/api/solidarity/lendings/:id/keys',
    { config: managers, schema: { tags, summary: 'Clés remises ou rendues', params: idParams, body: keysBody, response: { 200: ok } } },
    async (request) => {
      await lending.recordKeys(deps, caller(request), request.params.id, request.body.event, request.ip);
      return { ok: true as const };
    },
  );
}

/** Deliveries (issue 17): staff assign and follow; the deliverer's cards on a phone and their outcome. */
export async function deliveryRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const managers = { policy: allow(...deliveryManagers) };
  const deliverersOnly = { policy: allow(...deliverers) };
  const tags = ['solidarity'];

  r.get(
    '/api/solidarity/deliverers',
    { config: managers, schema: { tags, summary: 'Bénévoles et gardien·nes à qui confier une livraison', response: { 200: z.array(delivererRow) } } },
    async (request) => deliveries.listDeliverers(deps, caller(request)),
  );
  r.get(
    '/api/solidarity/deliveries',
    { config: managers, schema: { tags, summary: 'Livraisons des agences', response: { 200: z.array(deliveryRow) } } },
    async (request) => deliveries.listDeliveries(deps, caller(request), request.ip),
  );
  r.post(
    '/api/solidarity/deliveries',
    { config: managers, schema: { tags, summary: 'Confier une livraison (repas, courses, médicaments)', body: deliveryBody, response: { 200: created } } },
    async (request) => deliveries.assignDelivery(deps, caller(request), request.body, request.ip),
  );
  r.get(
    '/api/solidarity/deliveries/mine',
    { config: deliverersOnly, schema: { tags, summary: 'Mes livraisons (prénom, porte, téléphone)', response: { 200: myDeliveries } } },
    async (request) => deliveries.myDeliveries(deps, caller(request), request.ip),
  );
  r.post(
    '/api/solidarity/deliveries/:id/outcome',
    {
      config: deliverersOnly,
      schema: {
        tags,
        summary: 'Livré, absent ou refusé',
        params: idParams,
        body: deliveryOutcomeBody,
        response: { 200: z.object({ status: z.enum(deliveryStatuses), doorstep: z.boolean() }) },
      },
    },
    async (request) => deliveries.recordDelivery(deps, caller(request), request.params.id, request.body.outcome, request.ip),
  );
}
