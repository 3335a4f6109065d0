import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { erasurePlan, exportQuery, refusalBody, subjectRequestBody, subjectRequestRow } from '../../../contracts/privacy.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import { privacyRoles } from './privacy.policy.ts';
import * as privacy from './privacy.service.ts';

const ok = z.object({ ok: z.literal(true) });

/**
 * Requests of persons about their data: record, list with deadlines; access (TRUST DP-06): export,
 * answer; erasure and objection (DP-07): preview, execute, the answer letter.
 */
export async function privacyRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { policy: allow(...privacyRoles) };
  const tags = ['privacy'];

  r.post(
    '/api/privacy/requests',
    {
      config,
      schema: {
        tags,
        summary: 'Enregistrer une demande d’une personne sur ses données (accès, effacement, opposition)',
        body: subjectRequestBody,
        response: { 200: subjectRequestRow },
      },
    },
    async (request) => privacy.recordRequest(deps, caller(request), { ...request.body, ip: request.ip }),
  );
  r.get(
    '/api/privacy/requests',
    { config, schema: { tags, summary: 'Demandes sur les données et leur échéance légale', response: { 200: z.array(subjectRequestRow) } } },
    async (request) => privacy.listRequests(deps, caller(request)),
  );
  r.get(
    '/api/privacy/requests/:id/export',
    {
      config,
      schema: { tags, summary: 'Toutes les données de la personne (JSON, CSV ou PDF)', params: idParams, querystring: exportQuery },
    },
    async (request, reply) => {
      const file = await privacy.exportRequest(deps, caller(request), { id: request.params.id, format: request.query.format, ip: request.ip });
      return reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.body);
    },
  );
  r.post(
    '/api/privacy/requests/:id/answer',
    { config, schema: { tags, summary: 'Marquer une demande comme répondue', params: idParams, response: { 200: ok } } },
    async (request) => {
      await privacy.answerRequest(deps, caller(request), { id: request.params.id, ip: request.ip });
      return { ok: true as const };
    },
  );
  r.get(
    '/api/privacy/requests/:id/plan',
    {
      config,
      schema: {
        tags,
        summary: 'Aperçu d’un effacement ou d’une opposition : ce qui sera effacé, limité ou conservé, et pourquoi (ou ce qui l’a été)',
        params: idParams,
        response: { 200: erasurePlan },
      },
    },
    async (request) => privacy.erasurePlanOf(deps, caller(request), { id: request.params.id, ip: request.ip }),
  );
  r.post(
    '/api/privacy/requests/:id/execute',
    {
      config,
      schema: {
        tags,
        summary: 'Exécuter un effacement ou une opposition (une seule fois) ; la demande est répondue',
        params: idParams,
        response: { 200: erasurePlan },
      },
    },
    async (request) => privacy.executeRequest(deps, caller(request), { id: request.params.id, ip: request.ip }),
  );
  r.post(
    '/api/privacy/requests/:id/refuse',
    {
      config,
      schema: {
        tags,
        summary: 'Refuser un effacement ou une opposition, avec le motif communiqué à la personne ; la demande est répondue',
        params: idParams,
        body: refusalBody,
        response: { 200: ok },
      },
    },
    async (request) => {
      await privacy.refuseRequest(deps, caller(request), { id: request.params.id, reason: request.body.reason, ip: request.ip });
      return { ok: true as const };
    },
  );
  r.get(
    '/api/privacy/requests/:id/letter',
    { config, schema: { tags, summary: 'Lettre de réponse en français (PDF) : ce qui a été effacé, ce qui est conservé et pourquoi', params: idParams } },
    async (request, reply) => {
      const file = await privacy.erasureLetter(deps, caller(request), { id: request.params.id, ip: request.ip });
      return reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.body);
    },
  );
}
