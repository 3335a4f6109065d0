import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  attendanceBody,
  delivererRow,
  deliveryBody,
  deliveryOutcomeBody,
  deliveryRow,
  deliveryStatuses,
  distributionBody,
  distributionInviteBody,
  distributionRow,
  invitationFigures,
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
  outreachContactBody,
  outreachEventBody,
  outreachEventRow,
  outreachSummary,
  partnerList,
  vacantUnitRow,
} from '../../../contracts/solidarity.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import { agreementPdf } from './agreement.ts';
import * as deliveries from './deliveries.service.ts';
import * as distributions from './distributions.service.ts';
import * as lending from './lending.service.ts';
import * as outreach from './outreach.service.ts';
import { partnerListPdf } from './partner-list.ts';
import {
  deliverers,
  deliveryManagers,
  distributionManagers,
  distributionPartners,
  lendingManagers,
  lendingRequesters,
  outreachWorkers,
} from './solidarity.policy.ts';

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
  r.post(
    '/api/solidarity/offers/:id/withdraw',
    { config: managers, schema: { tags, summary: 'Retirer une offre pas encore attribuée', params: idParams, response: { 200: ok } } },
    async (request) => {
      await lending.withdrawOffer(deps, caller(request), request.params.id, request.ip);
      return { ok: true as const };
    },
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

/** Food distributions (issue 17): staff plan, invite and follow; a partner's user reads and marks their own. */
export async function distributionRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const managers = { policy: allow(...distributionManagers) };
  const withPartners = { policy: allow(...distributionManagers, ...distributionPartners) };
  const tags = ['solidarity'];

  r.get(
    '/api/solidarity/distribution-partners',
    {
      config: managers,
      schema: { tags, summary: 'Partenaires avec qui prévoir une distribution', response: { 200: z.array(z.object({ id: z.string(), name: z.string() })) } },
    },
    async (request) => distributions.distributionPartnerOptions(deps, caller(request)),
  );
  r.get(
    '/api/solidarity/distributions',
    { config: withPartners, schema: { tags, summary: 'Distributions (un partenaire : les siennes)', response: { 200: z.array(distributionRow) } } },
    async (request) => distributions.listDistributions(deps, caller(request)),
  );
  r.post(
    '/api/solidarity/distributions',
    { config: managers, schema: { tags, summary: 'Prévoir une distribution avec un partenaire', body: distributionBody, response: { 200: created } } },
    async (request) => distributions.createDistribution(deps, caller(request), request.body, request.ip),
  );
  r.post(
    '/api/solidarity/distributions/:id/invitees',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Inviter des ménages (dossiers « alimentation » ouverts, ou un segment)',
        params: idParams,
        body: distributionInviteBody,
        response: { 200: z.object({ added: z.number() }) },
      },
    },
    async (request) => distributions.inviteToDistribution(deps, caller(request), request.params.id, request.body, request.ip),
  );
  r.post(
    '/api/solidarity/distributions/:id/attendance',
    { config: withPartners, schema: { tags, summary: 'Venu ou pas venu', params: idParams, body: attendanceBody, response: { 200: ok } } },
    async (request) => {
      await distributions.markAttendance(deps, caller(request), request.params.id, request.body.householdId, request.body.attended, request.ip);
      return { ok: true as const };
    },
  );
  r.get(
    '/api/solidarity/distributions/:id/list',
    {
      config: withPartners,
      schema: { tags, summary: 'Liste pour le partenaire (nom, nombre de personnes)', params: idParams, response: { 200: partnerList } },
    },
    async (request) => distributions.partnerListOf(deps, caller(request), request.params.id, request.ip),
  );
  r.get(
    '/api/solidarity/distributions/:id/list.pdf',
    { config: withPartners, schema: { tags, summary: 'Liste à imprimer pour le partenaire (PDF)', params: idParams } },
    async (request, reply) => {
      const list = await distributions.partnerListOf(deps, caller(request), request.params.id, request.ip);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', 'attachment; filename="liste-distribution.pdf"')
        .send(await partnerListPdf(list));
    },
  );
}

/** Outreach events at the foot of buildings (issue 17). */
export async function outreachRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const workers = { policy: allow(...outreachWorkers) };
  const tags = ['solidarity'];

  const option = z.object({ id: z.string(), name: z.string() });
  r.get(
    '/api/solidarity/outreach/options',
    {
      config: workers,
      schema: {
        tags,
        summary: 'Résidences, partenaires et salarié·es à choisir',
        response: { 200: z.object({ residences: z.array(option), partners: z.array(option), staff: z.array(option) }) },
      },
    },
    async (request) => outreach.planningOptions(deps, caller(request)),
  );
  r.get(
    '/api/solidarity/outreach',
    { config: workers, schema: { tags, summary: 'Après-midis au pied des immeubles', response: { 200: z.array(outreachEventRow) } } },
    async (request) => outreach.listEvents(deps, caller(request)),
  );
  r.post(
    '/api/solidarity/outreach',
    { config: workers, schema: { tags, summary: 'Prévoir un après-midi au pied d’un immeuble', body: outreachEventBody, response: { 200: created } } },
    async (request) => outreach.planEvent(deps, caller(request), request.body, request.ip),
  );
  r.post(
    '/api/solidarity/outreach/:id/invitations',
    {
      config: workers,
      schema: {
        tags,
        summary: 'Inviter les ménages de la résidence (SMS, sinon courrier)',
        params: idParams,
        response: { 200: z.object({ invited: z.number(), invitations: invitationFigures.nullable() }) },
      },
    },
    async (request) => outreach.inviteResidence(deps, caller(request), request.params.id, request.ip),
  );
  r.post(
    '/api/solidarity/outreach/:id/contacts',
    {
      config: workers,
      schema: {
        tags,
        summary: 'Noter un contact et ses sujets (un dossier par sujet avec le ménage)',
        params: idParams,
        body: outreachContactBody,
        response: { 200: z.object({ id: z.string(), caseIds: z.array(z.string()) }) },
      },
    },
    async (request) => outreach.recordContact(deps, caller(request), request.params.id, request.body, request.ip),
  );
  r.get(
    '/api/solidarity/outreach/:id',
    { config: workers, schema: { tags, summary: 'Bilan : contacts, sujets, dossiers ouverts', params: idParams, response: { 200: outreachSummary } } },
    async (request) => outreach.eventSummary(deps, caller(request), request.params.id),
  );
}
