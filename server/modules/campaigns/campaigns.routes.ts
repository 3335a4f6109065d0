import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  callerCampaign,
  callerCandidate,
  callScript,
  campaignDetail,
  campaignInput,
  campaignSummary,
  charterAcceptBody,
  charterStatus,
  dashboard,
  doorstepResultBody,
  doorstepRow,
  followupAssignBody,
  followupCloseBody,
  followupListBody,
  followupRow,
  launchResult,
  nextCallBody,
  nextCallResult,
  noteReviewBody,
  noteReviewRow,
  outcomeBody,
  outcomeResult,
  segmentCount,
  segmentCountBody,
  targetParams,
} from '../../../contracts/campaigns.ts';
import { idParams } from '../../../contracts/users.ts';
import { rolesWith } from '../../platform/auth/abilities.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import type { Deps } from '../deps.ts';
import * as campaigns from './campaigns.service.ts';
import { isolationWatchScript } from './script-template.ts';

const ok = z.object({ ok: z.literal(true) });
const created = z.object({ id: z.string().uuid() });
const statusResult = z.object({ status: z.string() });

/** Call campaigns: preparing (managers), calling (callers), watching (dashboard), follow-ups, doorstep visits, note review. */
export async function campaignRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const managers = { policy: allow(...campaigns.campaignManagers) };
  const callers = { policy: allow(...campaigns.callerRoles) };
  const tags = ['campaigns'];

  r.get(
    '/api/campaigns',
    { config: managers, schema: { tags, summary: 'Lister les campagnes', response: { 200: z.array(campaignSummary) } } },
    async (request) => campaigns.listCampaigns(deps, caller(request)),
  );
  r.get(
    '/api/campaigns/script-template',
    { config: managers, schema: { tags, summary: 'Script prêt à l’emploi « Veille isolement — crise sanitaire »', response: { 200: callScript } } },
    async () => isolationWatchScript,
  );
  r.get(
    '/api/campaigns/caller-candidates',
    { config: managers, schema: { tags, summary: 'Personnes pouvant rejoindre un vivier d’appelant·es', response: { 200: z.array(callerCandidate) } } },
    async (request) => campaigns.callerCandidates(deps, caller(request)),
  );
  r.post(
    '/api/campaigns/segment-count',
    {
      config: managers,
      schema: { tags, summary: 'Compter les ménages d’un segment (« ne pas appeler » exclus)', body: segmentCountBody, response: { 200: segmentCount } },
    },
    async (request) => campaigns.countSegment(deps, caller(request), request.body.segment),
  );
  r.post(
    '/api/campaigns',
    { config: managers, schema: { tags, summary: 'Créer une campagne (brouillon)', body: campaignInput, response: { 201: created } } },
    async (request, reply) => reply.status(201).send({ id: await campaigns.createCampaign(deps, caller(request), request.body, request.ip) }),
  );
  r.get(
    '/api/campaigns/:id',
    { config: managers, schema: { tags, summary: 'Détail d’une campagne', params: idParams, response: { 200: campaignDetail } } },
    async (request) => campaigns.getCampaign(deps, caller(request), request.params.id),
  );
  r.put(
    '/api/campaigns/:id',
    { config: managers, schema: { tags, summary: 'Modifier une campagne', params: idParams, body: campaignInput, response: { 200: ok } } },
    async (request) => {
      await campaigns.updateCampaign(deps, caller(request), request.params.id, request.body, request.ip);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/campaigns/:id/launch',
    { config: managers, schema: { tags, summary: 'Lancer la campagne (remplit la file d’appels)', params: idParams, response: { 200: launchResult } } },
    async (request) => campaigns.launchCampaign(deps, caller(request), request.params.id, request.ip),
  );
  for (const action of ['pause', 'resume', 'close'] as const) {
    r.post(
      `/api/campaigns/:id/${action}`,
      {
        config: managers,
        schema: {
          tags,
          summary: { pause: 'Mettre en pause', resume: 'Reprendre', close: 'Terminer' }[action],
          params: idParams,
          response: { 200: statusResult },
        },
      },
      async (request) => campaigns.changeStatus(deps, caller(request), request.params.id, action, request.ip),
    );
  }
  r.get(
    '/api/campaigns/:id/dashboard',
    { config: managers, schema: { tags, summary: 'Tableau de bord de la campagne', params: idParams, response: { 200: dashboard } } },
    async (request) => campaigns.getDashboard(deps, caller(request), request.params.id),
  );
  r.get(
    '/api/campaigns/:id/export',
    { config: managers, schema: { tags, summary: 'Exporter le tableau de bord (XLSX)', params: idParams } },
    async (request, reply) => {
      const body = await campaigns.exportDashboard(deps, caller(request), request.params.id, request.ip);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', 'attachment; filename="campagne.xlsx"')
        .send(body);
    },
  );

  // ——— Calling ———
  r.get(
    '/api/calls/campaigns',
    { config: callers, schema: { tags, summary: 'Mes campagnes d’appel', response: { 200: z.array(callerCampaign) } } },
    async (request) => campaigns.myCampaigns(deps, caller(request)),
  );
  r.get(
    '/api/calls/charter',
    { config: callers, schema: { tags, summary: 'Charte de confidentialité des appelant·es', response: { 200: charterStatus } } },
    async (request) => campaigns.charterStatus(deps, caller(request)),
  );
  r.post(
    '/api/calls/charter',
    { config: callers, schema: { tags, summary: 'Accepter la charte de confidentialité', body: charterAcceptBody, response: { 200: ok } } },
    async (request) => {
      await campaigns.acceptCharter(deps, caller(request), request.body.version, request.ip);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/calls/next',
    {
      config: callers,
      schema: { tags, summary: 'Appeler le suivant (429 au-delà des limites horaires de la campagne)', body: nextCallBody, response: { 200: nextCallResult } },
    },
    async (request, reply) => {
      try {
        return await campaigns.nextCall(deps, caller(request), request.body.campaignId, request.ip);
      } catch (error) {
        // Past a caller limit (429): when they may go on, for clients that honour the header too.
        if (error instanceof AppError && typeof error.extra?.retryAfterSeconds === 'number') reply.header('retry-after', String(error.extra.retryAfterSeconds));
        throw error;
      }
    },
  );
  r.post(
    '/api/calls/:targetId/outcome',
    { config: callers, schema: { tags, summary: 'Enregistrer l’issue de l’appel', params: targetParams, body: outcomeBody, response: { 200: outcomeResult } } },
    async (request) => campaigns.recordOutcome(deps, caller(request), request.params.targetId, request.body, request.ip),
  );
  r.post(
    '/api/calls/:targetId/release',
    { config: callers, schema: { tags, summary: 'Rendre le ménage à la file (ne peut pas appeler)', params: targetParams, response: { 200: ok } } },
    async (request) => {
      await campaigns.releaseCall(deps, caller(request), request.params.targetId, request.ip);
      return { ok: true as const };
    },
  );

  // ——— Follow-ups ———
  const followups = { policy: allow(...campaigns.followupRoles) };
  r.post(
    '/api/followups/list',
    { config: followups, schema: { tags, summary: 'Suivis ouverts par les appels', body: followupListBody, response: { 200: z.array(followupRow) } } },
    async (request) => campaigns.listFollowups(deps, caller(request), request.body),
  );
  r.get(
    '/api/followups/assignees',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Personnes à qui attribuer un suivi',
        response: { 200: z.array(z.object({ id: z.string().uuid(), name: z.string(), role: z.string() })) },
      },
    },
    async (request) => campaigns.followupAssignees(deps, caller(request)),
  );
  r.get(
    '/api/followups/urgent-count',
    {
      config: followups,
      schema: { tags, summary: 'Nombre d’urgences ouvertes (alerte affichée sur chaque page)', response: { 200: z.object({ open: z.number() }) } },
    },
    async (request) => campaigns.openUrgentCount(deps, caller(request)),
  );
  r.post(
    '/api/followups/:id/assign',
    { config: managers, schema: { tags, summary: 'Attribuer un suivi', params: idParams, body: followupAssignBody, response: { 200: ok } } },
    async (request) => {
      await campaigns.assignFollowup(deps, caller(request), request.params.id, request.body.userId, request.ip);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/followups/:id/close',
    { config: followups, schema: { tags, summary: 'Clore un suivi', params: idParams, body: followupCloseBody, response: { 200: ok } } },
    async (request) => {
      await campaigns.closeFollowup(deps, caller(request), request.params.id, request.body.resolution, request.ip);
      return { ok: true as const };
    },
  );

  // ——— Doorstep visits ———
  const doorstep = { policy: allow(...campaigns.doorstepRoles) };
  r.get(
    '/api/doorstep',
    {
      config: doorstep,
      schema: {
        tags,
        summary: 'Visites de porte-à-porte',
        querystring: z.object({ status: z.enum(['pending', 'done']).default('pending') }),
        response: { 200: z.array(doorstepRow) },
      },
    },
    async (request) => campaigns.listDoorstep(deps, caller(request), request.query.status),
  );
  r.post(
    '/api/doorstep/:id/result',
    { config: doorstep, schema: { tags, summary: 'Enregistrer le résultat d’une visite', params: idParams, body: doorstepResultBody, response: { 200: ok } } },
    async (request) => {
      await campaigns.recordDoorstep(deps, caller(request), request.params.id, request.body.result, request.body.note, request.ip);
      return { ok: true as const };
    },
  );

  // ——— Note review (DPO) ———
  const reviewers = { policy: allow(...rolesWith('notes.review')) };
  r.get(
    '/api/call-notes/review',
    { config: reviewers, schema: { tags, summary: 'Notes d’appel signalées, à relire', response: { 200: z.array(noteReviewRow) } } },
    async (request) => campaigns.pendingNotes(deps, caller(request)),
  );
  r.post(
    '/api/call-notes/:id/review',
    { config: reviewers, schema: { tags, summary: 'Conserver ou retirer une note signalée', params: idParams, body: noteReviewBody, response: { 200: ok } } },
    async (request) => {
      await campaigns.reviewNote(deps, caller(request), request.params.id, request.body.decision, request.ip);
      return { ok: true as const };
    },
  );
}
