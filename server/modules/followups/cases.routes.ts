import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  caseBoardBody,
  caseBulkAssignBody,
  caseCreateBody,
  caseDetail,
  caseNoteBody,
  caseRow,
  caseStatusBody,
  caseTaskBody,
  raisedNeed,
} from '../../../contracts/cases.ts';
import { idParams } from '../../../contracts/users.ts';
import { rolesWith } from '../../platform/auth/abilities.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import * as cases from './cases.service.ts';
import { followupAssigners, followupRoles } from './followups.policy.ts';

const ok = z.object({ ok: z.literal(true) });
const created = z.object({ id: z.string().uuid() });
const taskParams = z.strictObject({ id: z.string().uuid('Identifiant invalide.'), taskId: z.string().uuid('Identifiant invalide.') });

/** Cases (dossiers d'accompagnement): board, « mes dossiers », a case, its status, tasks, notes; the needs one raised. */
export async function caseRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const workers = { policy: allow(...followupRoles) };
  const assigners = { policy: allow(...followupAssigners) };
  const tags = ['cases'];

  r.post(
    '/api/cases/board',
    { config: workers, schema: { tags, summary: 'Tableau des dossiers (ou « mes dossiers »)', body: caseBoardBody, response: { 200: z.array(caseRow) } } },
    async (request) => cases.caseBoard(deps, caller(request), request.body, request.ip),
  );
  r.get(
    '/api/cases/summary',
    {
      config: workers,
      schema: {
        tags,
        summary: 'Nombre de dossiers par statut, les miens, en retard',
        response: {
          200: z.object({ open: z.number(), waitingPartner: z.number(), waitingTenant: z.number(), mine: z.number(), overdue: z.number() }),
        },
      },
    },
    async (request) => cases.caseSummary(deps, caller(request)),
  );
  r.post('/api/cases', { config: workers, schema: { tags, summary: 'Ouvrir un dossier', body: caseCreateBody, response: { 200: created } } }, async (request) =>
    cases.openCase(deps, caller(request), { ...request.body, ip: request.ip }),
  );
  r.get(
    '/api/cases/:id',
    { config: workers, schema: { tags, summary: 'Un dossier, ses tâches et ses notes', params: idParams, response: { 200: caseDetail } } },
    async (request) => cases.caseDetail(deps, caller(request), request.params.id, request.ip),
  );
  r.post(
    '/api/cases/:id/status',
    { config: workers, schema: { tags, summary: 'Changer le statut d’un dossier ou le clore', params: idParams, body: caseStatusBody, response: { 200: ok } } },
    async (request) => {
      await cases.changeStatus(deps, caller(request), request.params.id, request.body, request.ip);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/cases/assign',
    {
      config: assigners,
      schema: { tags, summary: 'Attribuer des dossiers', body: caseBulkAssignBody, response: { 200: z.object({ assigned: z.number() }) } },
    },
    async (request) => cases.assignCases(deps, caller(request), { ...request.body, ip: request.ip }),
  );
  r.post(
    '/api/cases/:id/tasks',
    { config: workers, schema: { tags, summary: 'Ajouter une tâche', params: idParams, body: caseTaskBody, response: { 200: created } } },
    async (request) => cases.addTask(deps, caller(request), request.params.id, { ...request.body, ip: request.ip }),
  );
  r.post(
    '/api/cases/:id/tasks/:taskId/done',
    { config: workers, schema: { tags, summary: 'Marquer une tâche faite', params: taskParams, response: { 200: ok } } },
    async (request) => {
      await cases.completeTask(deps, caller(request), request.params.id, request.params.taskId, request.ip);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/cases/:id/notes',
    { config: workers, schema: { tags, summary: 'Ajouter une note', params: idParams, body: caseNoteBody, response: { 200: created } } },
    async (request) => cases.addNote(deps, caller(request), request.params.id, { ...request.body, ip: request.ip }),
  );
  r.get(
    '/api/calls/raised-needs',
    {
      config: { policy: allow(...rolesWith('needs.raised')) },
      schema: { tags, summary: 'Les besoins que j’ai signalés : pris en charge ou non', response: { 200: z.array(raisedNeed) } },
    },
    async (request) => cases.raisedNeeds(deps, caller(request)),
  );
}
