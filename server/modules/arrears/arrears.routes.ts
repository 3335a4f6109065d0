import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  arrearsPage,
  arrearsViewBody,
  balanceApplied,
  balanceImport,
  householdArrears,
  pauseBody,
  plan,
  planCreateBody,
  stepCreateBody,
} from '../../../contracts/arrears.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import { AppError, invalid } from '../../platform/errors/app-error.ts';
import type { Deps } from '../deps.ts';
import { arrearsWorkers, balanceImporters, pausers } from './arrears.policy.ts';
import * as arrears from './arrears.service.ts';
import { fslSummaryPdf } from './fsl-summary.ts';

const created = z.object({ id: z.string().uuid() });
const inCase = z.object({ id: z.string().uuid(), caseId: z.string().uuid() });
const householdBody = z.strictObject({ householdId: z.string().uuid('Identifiant invalide.') });
const MAX_UPLOAD = 100 * 1024 * 1024;

/** Arrears (issue 14): the view, a household's arrears, plans, FSL steps, balance files, crisis pauses. */
export async function arrearsRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const workers = { policy: allow(...arrearsWorkers) };
  const importers = { policy: allow(...balanceImporters) };
  const tags = ['arrears'];

  r.post(
    '/api/arrears/view',
    { config: workers, schema: { tags, summary: 'Impayés nouveaux ou aggravés depuis une date', body: arrearsViewBody, response: { 200: arrearsPage } } },
    async (request) => arrears.arrearsView(deps, caller(request), request.body, request.ip),
  );
  r.get(
    '/api/arrears/households/:id',
    { config: workers, schema: { tags, summary: 'Soldes, pause, plans et démarches d’un ménage', params: idParams, response: { 200: householdArrears } } },
    async (request) => arrears.householdArrears(deps, caller(request), request.params.id, request.ip),
  );
  r.get(
    '/api/arrears/households/:id/fsl-summary',
    { config: workers, schema: { tags, summary: 'Résumé FSL pré-rempli (PDF, à vérifier)', params: idParams } },
    async (request, reply) => {
      const summary = await arrears.fslSummary(deps, caller(request), request.params.id, request.ip);
      const body = await fslSummaryPdf(summary.lines, 'votre bailleur');
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="resume-fsl-${summary.ref.replace(/[^\w-]/g, '_')}.pdf"`)
        .send(body);
    },
  );
  r.post(
    '/api/arrears/cases',
    { config: workers, schema: { tags, summary: 'Ouvrir (ou retrouver) le dossier « impayés » d’un ménage', body: householdBody, response: { 200: created } } },
    async (request) => arrears.openRentCase(deps, caller(request), request.body.householdId, request.ip),
  );
  r.post(
    '/api/arrears/plans',
    { config: workers, schema: { tags, summary: 'Enregistrer un plan signé (report, étalement, apurement)', body: planCreateBody, response: { 200: inCase } } },
    async (request) => arrears.createPlan(deps, caller(request), request.body, request.ip),
  );
  r.get(
    '/api/arrears/plans/:id',
    { config: workers, schema: { tags, summary: 'Un plan et ses échéances', params: idParams, response: { 200: plan } } },
    async (request) => arrears.planDetail(deps, caller(request), request.params.id, request.ip),
  );
  r.post(
    '/api/arrears/steps',
    { config: workers, schema: { tags, summary: 'Demande FSL ou activation de garantie (étape du dossier)', body: stepCreateBody, response: { 200: inCase } } },
    async (request) => arrears.addStep(deps, caller(request), request.body, request.ip),
  );
  r.post(
    '/api/arrears/pauses',
    {
      config: { policy: allow(...pausers) },
      schema: {
        tags,
        summary: 'Mode crise : suspendre les relances d’un ensemble de ménages',
        body: pauseBody,
        response: { 200: z.object({ households: z.number() }) },
      },
    },
    async (request) => arrears.pauseReminders(deps, caller(request), request.body, request.ip),
  );
  r.post(
    '/api/arrears/compliance',
    {
      config: importers,
      schema: {
        tags,
        summary: 'Vérifier les échéances des plans sur les derniers soldes',
        response: { 200: z.object({ checked: z.number(), missed: z.number() }) },
      },
    },
    async (request) => arrears.runCompliance(deps, caller(request), request.ip),
  );
  r.post(
    '/api/arrears/balance-imports',
    {
      config: importers,
      schema: {
        tags,
        summary: 'Déposer un fichier de soldes (CSV ou XLSX, multipart, champ « file ») : contrôle et aperçu',
        consumes: ['multipart/form-data'],
        response: { 201: balanceImport },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw invalid('file_missing', 'Envoyez le fichier dans un formulaire (champ « file »).');
      const file = await request.file({ limits: { fileSize: MAX_UPLOAD, files: 1 } });
      if (!file) throw invalid('file_missing', 'Aucun fichier reçu.');
      try {
        const preview = await arrears.previewBalanceFile(deps, caller(request), file.file, file.filename || 'soldes', request.ip);
        if (file.file.truncated) throw new AppError('payload_too_large', 413, 'Le fichier dépasse la taille maximale de 100 Mo.');
        return reply.status(201).send(preview);
      } catch (error) {
        file.file.resume();
        throw error;
      }
    },
  );
  r.get(
    '/api/arrears/balance-imports',
    { config: importers, schema: { tags, summary: 'Derniers fichiers de soldes', response: { 200: z.array(balanceImport) } } },
    async (request) => arrears.listBalanceImports(deps, caller(request)),
  );
  r.get(
    '/api/arrears/balance-imports/:id',
    { config: importers, schema: { tags, summary: 'Un fichier de soldes et ses lignes refusées', params: idParams, response: { 200: balanceImport } } },
    async (request) => arrears.balanceImport(deps, caller(request), request.params.id),
  );
  r.post(
    '/api/arrears/balance-imports/:id/apply',
    { config: importers, schema: { tags, summary: 'Appliquer un fichier de soldes (tout ou rien)', params: idParams, response: { 200: balanceApplied } } },
    async (request) => arrears.applyBalanceFile(deps, caller(request), request.params.id, request.ip),
  );
  r.post(
    '/api/arrears/balance-imports/:id/cancel',
    { config: importers, schema: { tags, summary: 'Abandonner un fichier de soldes', params: idParams, response: { 200: z.object({ ok: z.literal(true) }) } } },
    async (request) => arrears.cancelBalanceFile(deps, caller(request), request.params.id, request.ip),
  );
}
