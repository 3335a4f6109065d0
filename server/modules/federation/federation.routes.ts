import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addMemberBody,
  agreementBody,
  dashboardBody,
  dashboardResponse,
  dictionaryResponse,
  federationSpace,
  previewResponse,
  refreshStatus,
  reportTextBody,
} from '../../../contracts/indicators.ts';
import { idParams } from '../../../contracts/users.ts';
import { rolesWith } from '../../platform/auth/abilities.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import * as federation from './federation.service.ts';
import { federationReportPdf } from './report.ts';

const isoMonth = z.string().regex(/^\d{4}-\d{2}$/, 'Mois attendu au format AAAA-MM.');
const reportQuery = z.strictObject({ from: isoMonth, to: isoMonth });

/**
 * The federation (issue 18, TRUST DP-14): the dictionary, members and agreements, the refresh
 * job, the analyst's dashboard and report. No route returns anything about a household or a person.
 */
export async function federationRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const analysts = { policy: allow(...rolesWith('federation.analyse')) };
  const admins = { policy: allow(...rolesWith('federation.manage')) };
  const tags = ['federation'];

  r.get(
    '/api/federation/indicators',
    { config: analysts, schema: { tags, summary: 'Le dictionnaire des indicateurs (versionné)', response: { 200: dictionaryResponse } } },
    async () => federation.dictionary(),
  );
  r.get(
    '/api/federation/space',
    { config: analysts, schema: { tags, summary: 'Membres d’une fédération, ou fédérations d’un bailleur', response: { 200: federationSpace } } },
    async (request) => federation.space(deps, caller(request)),
  );
  r.post(
    '/api/federation/members',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Ajouter un bailleur membre (par son identifiant)',
        body: addMemberBody,
        response: { 200: z.object({ memberId: z.string().uuid() }) },
      },
    },
    async (request) => federation.addMember(deps, caller(request), request.body.slug, request.ip),
  );
  r.delete(
    '/api/federation/members/:id',
    { config: admins, schema: { tags, summary: 'Retirer un membre : ses chiffres ne sont plus lus', params: idParams } },
    async (request, reply) => {
      await federation.removeMember(deps, caller(request), request.params.id, request.ip);
      return reply.status(204).send();
    },
  );
  r.put(
    '/api/federation/members/:id/report-text',
    { config: analysts, schema: { tags, summary: 'Le court texte d’un membre pour le rapport', params: idParams, body: reportTextBody } },
    async (request, reply) => {
      await federation.setReportText(deps, caller(request), request.params.id, request.body.text, request.ip);
      return reply.status(204).send();
    },
  );
  r.put(
    '/api/federation/memberships/:id',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Choisir les indicateurs partagés avec une fédération',
        params: idParams,
        body: agreementBody,
        response: { 200: agreementBody },
      },
    },
    async (request) => federation.setAgreement(deps, caller(request), request.params.id, request.body.indicators, request.ip),
  );
  r.delete(
    '/api/federation/memberships/:id',
    { config: admins, schema: { tags, summary: 'Quitter une fédération : plus rien n’est partagé', params: idParams } },
    async (request, reply) => {
      await federation.leaveFederation(deps, caller(request), request.params.id, request.ip);
      return reply.status(204).send();
    },
  );
  r.post(
    '/api/federation/memberships/:id/preview',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Aperçu exact de ce qui sortirait vers la fédération',
        params: idParams,
        body: agreementBody,
        response: { 200: previewResponse },
      },
    },
    async (request) => federation.preview(deps, caller(request), request.params.id, request.body.indicators, request.ip),
  );
  r.post(
    '/api/federation/refresh',
    { config: analysts, schema: { tags, summary: 'Recalculer les agrégats de chaque membre (tâche de fond)', response: { 200: refreshStatus } } },
    async (request) => federation.requestRefresh(deps, caller(request), request.ip),
  );
  r.get(
    '/api/federation/refresh',
    { config: analysts, schema: { tags, summary: 'Avancement du dernier recalcul', response: { 200: z.object({ refresh: refreshStatus.nullable() }) } } },
    async (request) => federation.refreshStatus(deps, caller(request)),
  );
  r.post(
    '/api/federation/dashboard',
    {
      config: analysts,
      schema: {
        tags,
        summary: 'Un indicateur chez les membres : total, mois, membres, départements, QPV',
        body: dashboardBody,
        response: { 200: dashboardResponse },
      },
    },
    async (request) => federation.dashboard(deps, caller(request), request.body),
  );
  r.get(
    '/api/federation/report',
    { config: analysts, schema: { tags, summary: 'Rapport périodique des actions des membres (PDF)', querystring: reportQuery } },
    async (request, reply) => {
      const content = await federation.reportContent(deps, caller(request), request.query, request.ip);
      const body = await federationReportPdf(content);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="rapport-federation-${content.from}-${content.to}.pdf"`)
        .send(body);
    },
  );
}
