import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { helpAnswerBody, helpAnswerView, helpCallBody, helpCallDetail, helpCallRow, helpCallVolunteerBody } from '../../../contracts/solidarity.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller, publicRoute } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import * as calls from './help-calls.service.ts';
import { volunteerManagers } from './solidarity.policy.ts';

const ok = z.object({ ok: z.literal(true) });
const tokenParams = z.strictObject({ token: z.string().max(40) });

/** Calls for help by SMS (issue 17): staff plan, send and follow; each recipient answers on a public page or by SMS. */
export async function helpCallRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const managers = { policy: allow(...volunteerManagers) };
  const tags = ['solidarity'];

  r.get(
    '/api/solidarity/help-calls',
    { config: managers, schema: { tags, summary: 'Appels à l’aide par SMS', response: { 200: z.array(helpCallRow) } } },
    async (request) => calls.listHelpCalls(deps, caller(request)),
  );
  r.post(
    '/api/solidarity/help-calls',
    { config: managers, schema: { tags, summary: 'Simuler un appel à l’aide (qui recevra le SMS)', body: helpCallBody, response: { 200: helpCallRow } } },
    async (request) => calls.planHelpCall(deps, caller(request), request.body, request.ip),
  );
  r.post(
    '/api/solidarity/help-calls/:id/send',
    { config: managers, schema: { tags, summary: 'Envoyer l’appel à l’aide par SMS', params: idParams, response: { 200: helpCallRow } } },
    async (request) => calls.sendHelpCall(deps, caller(request), request.params.id, request.ip),
  );
  r.post(
    '/api/solidarity/help-calls/:id/close',
    { config: managers, schema: { tags, summary: 'Clore l’appel à l’aide (plus de réponse attendue)', params: idParams, response: { 200: ok } } },
    async (request) => {
      await calls.closeHelpCall(deps, caller(request), request.params.id, request.ip);
      return { ok: true as const };
    },
  );
  r.get(
    '/api/solidarity/help-calls/:id',
    {
      config: managers,
      schema: { tags, summary: 'Réponses d’un appel à l’aide (les « oui » à rappeler)', params: idParams, response: { 200: helpCallDetail } },
    },
    async (request) => calls.helpCallDetail(deps, caller(request), request.params.id, request.ip),
  );
  r.post(
    '/api/solidarity/help-calls/:id/answers/:recipientId/volunteer',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Inscrire comme bénévole un locataire qui a répondu oui',
        params: z.strictObject({ id: z.string().uuid(), recipientId: z.string().uuid() }),
        body: helpCallVolunteerBody,
        response: { 200: z.object({ applicationId: z.string() }) },
      },
    },
    async (request) => calls.volunteerFromYes(deps, caller(request), request.params.id, request.params.recipientId, request.body.email, request.ip),
  );
  r.get(
    '/api/public/help/:token',
    {
      config: { policy: publicRoute },
      schema: { tags, summary: 'La question d’un appel à l’aide (lien personnel)', params: tokenParams, response: { 200: helpAnswerView } },
    },
    async (request) => calls.answerView(deps, request.params.token, request.ip),
  );
  r.post(
    '/api/public/help/:token',
    {
      config: { policy: publicRoute },
      schema: { tags, summary: 'Répondre à un appel à l’aide (oui, non, disponibilités)', params: tokenParams, body: helpAnswerBody, response: { 200: ok } },
    },
    async (request) => calls.answerByLink(deps, request.params.token, request.body, request.ip),
  );
}
