import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  dryRunBody,
  ladderAnswer,
  ladderBody,
  previewAnswer,
  previewBody,
  sendAnswer,
  sendListRow,
  templateBody,
  templateRow,
} from '../../../contracts/messaging-api.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import { smsOptOutMention } from '../../platform/outbox/sms.ts';
import type { Deps } from '../deps.ts';
import { campaignLadderOf, setCampaignLadder } from './ladder.ts';
import { approverRoles, senderRoles } from './messaging.policy.ts';
import * as messaging from './messaging.service.ts';

const ok = z.object({ ok: z.literal(true) });

/** Templates, dry runs, sends (confirm, approve), their report and letters. */
export async function messagingRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const senders = { policy: allow(...senderRoles) };
  const approvers = { policy: allow(...approverRoles) };
  const tags = ['messaging'];

  r.get(
    '/api/messaging/sms-mention',
    {
      config: senders,
      schema: {
        tags,
        summary: 'La mention de désinscription ajoutée à chaque SMS d’un envoi (selon le fournisseur)',
        response: { 200: z.object({ mention: z.string() }) },
      },
    },
    async () => ({ mention: smsOptOutMention(deps.config) }),
  );

  r.get(
    '/api/messaging/templates',
    { config: senders, schema: { tags, summary: 'Modèles de messages', response: { 200: z.array(templateRow) } } },
    async (request) => messaging.listTemplates(deps, caller(request)),
  );
  r.post(
    '/api/messaging/templates',
    { config: senders, schema: { tags, summary: 'Créer un modèle', body: templateBody, response: { 201: z.object({ id: z.string().uuid() }) } } },
    async (request, reply) => reply.code(201).send(await messaging.createTemplate(deps, caller(request), request.body, request.ip)),
  );
  r.put(
    '/api/messaging/templates/:id',
    { config: senders, schema: { tags, summary: 'Modifier un modèle', params: idParams, body: templateBody, response: { 200: ok } } },
    async (request) => {
      await messaging.updateTemplate(deps, caller(request), request.params.id, request.body, request.ip);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/messaging/preview',
    { config: senders, schema: { tags, summary: 'Aperçu d’un texte sur un ménage réel', body: previewBody, response: { 200: previewAnswer } } },
    async (request) => messaging.preview(deps, caller(request), request.body),
  );
  r.post(
    '/api/messaging/dry-run',
    { config: senders, schema: { tags, summary: 'Simuler un envoi : canaux et exclusions', body: dryRunBody, response: { 200: sendAnswer } } },
    async (request) => messaging.dryRun(deps, caller(request), request.body, request.ip),
  );
  r.get('/api/messaging/sends', { config: senders, schema: { tags, summary: 'Envois récents', response: { 200: z.array(sendListRow) } } }, async (request) =>
    messaging.listSends(deps, caller(request)),
  );
  r.get(
    '/api/messaging/sends/:id',
    { config: senders, schema: { tags, summary: 'Un envoi : progression et compte rendu', params: idParams, response: { 200: sendAnswer } } },
    async (request) => messaging.sendOf(deps, caller(request), request.params.id),
  );
  r.post(
    '/api/messaging/sends/:id/confirm',
    { config: senders, schema: { tags, summary: 'Confirmer un envoi simulé', params: idParams, response: { 200: sendAnswer } } },
    async (request) => messaging.confirmSend(deps, caller(request), request.params.id, request.ip),
  );
  r.post(
    '/api/messaging/sends/:id/approve',
    {
      config: approvers,
      schema: { tags, summary: 'Valider un envoi à plus de 1 000 destinataires (seconde personne)', params: idParams, response: { 200: sendAnswer } },
    },
    async (request) => messaging.approveSend(deps, caller(request), request.params.id, request.ip),
  );
  r.get(
    '/api/messaging/campaigns/:id/ladder',
    {
      config: approvers,
      schema: {
        tags,
        summary: 'Échelle de relance d’une campagne (SMS avant le premier appel, avant le porte-à-porte)',
        params: idParams,
        response: { 200: ladderAnswer },
      },
    },
    async (request) => campaignLadderOf(deps, caller(request), request.params.id),
  );
  r.put(
    '/api/messaging/campaigns/:id/ladder',
    { config: approvers, schema: { tags, summary: 'Régler l’échelle de relance d’une campagne', params: idParams, body: ladderBody, response: { 200: ok } } },
    async (request) => {
      await setCampaignLadder(deps, caller(request), request.params.id, request.body, request.ip);
      return { ok: true as const };
    },
  );
  r.get(
    '/api/messaging/sends/:id/letters',
    { config: senders, schema: { tags, summary: 'Courriers d’un envoi (PDF, une page par ménage, enveloppe DL à fenêtre)', params: idParams } },
    async (request, reply) => {
      const { stream } = await messaging.lettersPdf(deps, caller(request), request.params.id, request.ip);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="courriers-${request.params.id}.pdf"`)
        .send(stream);
    },
  );
}
