import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  applicationStatuses,
  trainingAnswersBody,
  trainingResult,
  volunteerApplicationRow,
  volunteerDecisionBody,
  volunteerForm,
  volunteerPageBody,
  volunteerPageRow,
  volunteerPauseBody,
  volunteerSignUpBody,
  volunteerTally,
  volunteerTrainingBody,
  volunteerTrainingView,
} from '../../../contracts/solidarity.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller, publicRoute } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import { deliveriesDoneBy } from './deliveries.service.ts';
import { volunteerManagers, volunteerSelves } from './solidarity.policy.ts';
import * as volunteers from './volunteers.service.ts';

const ok = z.object({ ok: z.literal(true) });
const slugParams = z.strictObject({ slug: z.string().regex(/^[a-z0-9-]{2,40}$/, 'Page introuvable.') });
const trainingRow = z
  .object({
    version: z.number(),
    content: z.string(),
    questions: z.array(z.object({ question: z.string(), options: z.array(z.string()), answer: z.number() })),
  })
  .nullable();

/** Volunteers (issue 17): the public sign-up page, vetting, the training, and a volunteer's own page. */
export async function volunteerRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const managers = { policy: allow(...volunteerManagers) };
  const selves = { policy: allow(...volunteerSelves) };
  const tags = ['volunteers'];

  r.get(
    '/api/public/volunteers/:slug',
    {
      config: { policy: publicRoute },
      schema: { tags, summary: 'Formulaire public d’inscription des bénévoles', params: slugParams, response: { 200: volunteerForm } },
    },
    async (request) => volunteers.signUpForm(deps, request.params.slug),
  );
  r.post(
    '/api/public/volunteers/:slug',
    {
      config: { policy: publicRoute },
      schema: { tags, summary: 'S’inscrire comme bénévole (sans compte)', params: slugParams, body: volunteerSignUpBody, response: { 200: ok } },
    },
    async (request) => volunteers.signUp(deps, request.params.slug, request.body, request.ip),
  );
  r.get(
    '/api/volunteers/page',
    { config: managers, schema: { tags, summary: 'Réglages de la page d’inscription', response: { 200: volunteerPageRow } } },
    async (request) => volunteers.pageSettings(deps, caller(request)),
  );
  r.put(
    '/api/volunteers/page',
    { config: managers, schema: { tags, summary: 'Ouvrir ou fermer la page d’inscription', body: volunteerPageBody, response: { 200: ok } } },
    async (request) => {
      await volunteers.savePageSettings(deps, caller(request), request.body, request.ip);
      return { ok: true as const };
    },
  );
  r.get(
    '/api/volunteers/applications',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Inscriptions de bénévoles',
        querystring: z.object({ status: z.enum(applicationStatuses).default('pending') }),
        response: { 200: z.array(volunteerApplicationRow) },
      },
    },
    async (request) => volunteers.listApplications(deps, caller(request), request.query.status, request.ip),
  );
  r.post(
    '/api/volunteers/applications/:id/decision',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Accepter (invitation) ou refuser une inscription',
        params: idParams,
        body: volunteerDecisionBody,
        response: { 200: z.object({ userId: z.string().nullable() }) },
      },
    },
    async (request) => volunteers.decideApplication(deps, caller(request), request.params.id, request.body, request.ip),
  );
  r.get(
    '/api/volunteers/training',
    { config: managers, schema: { tags, summary: 'Formation des bénévoles (avec les réponses)', response: { 200: trainingRow } } },
    async (request) => volunteers.trainingForEditing(deps, caller(request)),
  );
  r.put(
    '/api/volunteers/training',
    {
      config: managers,
      schema: { tags, summary: 'Écrire la formation des bénévoles', body: volunteerTrainingBody, response: { 200: z.object({ version: z.number() }) } },
    },
    async (request) => volunteers.saveTraining(deps, caller(request), request.body, request.ip),
  );
  r.get(
    '/api/volunteers/me',
    { config: selves, schema: { tags, summary: 'Mon bénévolat : ce que j’ai fait, pause', response: { 200: volunteerTally } } },
    async (request) => {
      const s = caller(request);
      return volunteers.myTally(deps, s, (trx) => deliveriesDoneBy(trx, s.userId));
    },
  );
  r.get(
    '/api/volunteers/me/training',
    { config: selves, schema: { tags, summary: 'La formation à suivre', response: { 200: volunteerTrainingView } } },
    async (request) => volunteers.myTraining(deps, caller(request)),
  );
  r.post(
    '/api/volunteers/me/training',
    { config: selves, schema: { tags, summary: 'Répondre aux questions de la formation', body: trainingAnswersBody, response: { 200: trainingResult } } },
    async (request) => volunteers.answerTraining(deps, caller(request), request.body, request.ip),
  );
  r.post(
    '/api/volunteers/me/pause',
    { config: selves, schema: { tags, summary: 'Me mettre en pause, ou reprendre', body: volunteerPauseBody, response: { 200: ok } } },
    async (request) => {
      await volunteers.pauseMyself(deps, caller(request), request.body.paused, request.ip);
      return { ok: true as const };
    },
  );
}
