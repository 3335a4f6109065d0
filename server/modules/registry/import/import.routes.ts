import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { applyImportBody, importRun, importUpload, rejectedLine, validateImportBody } from '../../../../contracts/imports.ts';
import { idParams } from '../../../../contracts/users.ts';
import { rolesWith } from '../../../platform/auth/abilities.ts';
import { actorOf, allow, caller } from '../../../platform/auth/policy.ts';
import { CSV_BOM, csvLine } from '../../../platform/csv/csv-writer.ts';
import { AppError, invalid } from '../../../platform/errors/app-error.ts';
import type { Deps } from '../../deps.ts';
import { scopeOf } from '../households.service.ts';
import { IMPORT_LIMITS } from './export-reader.ts';
import * as imports from './import.service.ts';
import { fieldLabels, requiredFields } from './mapping.ts';

const importers = { policy: allow(...rolesWith('imports.run')) };

/** Read what is left of an upload and throw it away (the stream may already be ended or destroyed). */
async function drain(stream: Readable) {
  if (stream.destroyed || stream.readableEnded) return;
  stream.removeAllListeners('data');
  stream.resume();
  await finished(stream).catch(() => undefined);
}
/** Org admins and managers without agencies import for the organisation; other managers for their agencies. */
const ctxOf = (request: Parameters<typeof caller>[0]): imports.ImportCtx => {
  const s = caller(request);
  return { organisationId: s.organisationId, userId: s.userId, agencyIds: scopeOf(s) };
};

/** ERP import: upload → mapping → dry run (background) → confirm (background). */
export async function importRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/imports',
    {
      config: importers,
      schema: {
        tags: ['registry'],
        summary: "Téléverser un export de l'ERP (CSV ou XLSX, multipart, champ « file »)",
        consumes: ['multipart/form-data'],
        response: { 201: importUpload },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw invalid('file_missing', 'Envoyez le fichier dans un formulaire (champ « file »).');
      // The reader enforces the limit itself (with a French 413); multipart only stops runaway bodies.
      const file = await request.file({ limits: { fileSize: IMPORT_LIMITS.maxUploadBytes + 64 * 1024, files: 1 } });
      if (!file) throw invalid('file_missing', 'Aucun fichier reçu.');
      let staged: Awaited<ReturnType<typeof imports.stageUpload>>;
      try {
        staged = await imports.stageUpload(deps, ctxOf(request), file.file, file.filename || 'export');
      } catch (error) {
        // Refused from its first bytes (binary, malformed…): the rest of the upload is read and
        // discarded, or the browser keeps sending into a connection nobody reads (a 10 MB file sat
        // at « Envoi du fichier… 75 % » for 73 s before the refusal arrived).
        await drain(file.file);
        throw error;
      }
      if (file.file.truncated)
        throw new AppError('payload_too_large', 413, `Le fichier dépasse la taille maximale de ${IMPORT_LIMITS.maxUploadBytes / 1024 / 1024} Mo.`);
      return reply.status(201).send({ run: staged.run, sample: staged.sample, nirColumns: staged.nirColumns, fieldLabels, requiredFields });
    },
  );

  r.get(
    '/api/imports',
    { config: importers, schema: { tags: ['registry'], summary: 'Derniers imports', response: { 200: z.array(importRun) } } },
    async (request) => imports.listImports(deps, ctxOf(request)),
  );

  r.get(
    '/api/imports/:id',
    {
      config: importers,
      schema: { tags: ['registry'], summary: "État d'un import (progression, simulation, résultat)", params: idParams, response: { 200: importRun } },
    },
    async (request) => imports.getImport(deps, ctxOf(request), request.params.id),
  );

  r.post(
    '/api/imports/:id/validate',
    {
      config: importers,
      schema: {
        tags: ['registry'],
        summary: 'Choisir les colonnes et lancer la simulation',
        params: idParams,
        body: validateImportBody,
        response: { 202: importRun },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await imports.startValidation(deps, ctxOf(request), request.params.id, request.body.mapping, request.body.fullExport, actorOf(request))),
  );

  r.post(
    '/api/imports/:id/apply',
    {
      config: importers,
      schema: {
        tags: ['registry'],
        summary: "Confirmer l'import (tout ou rien, ou lignes valides seulement ; confirmLarge quand il touche plus de 5 % des ménages)",
        params: idParams,
        body: applyImportBody,
        response: { 202: importRun },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await imports.startApply(deps, ctxOf(request), request.params.id, request.body.validOnly, actorOf(request), request.body.confirmLarge)),
  );

  r.post(
    '/api/imports/:id/cancel',
    {
      config: importers,
      schema: {
        tags: ['registry'],
        summary: 'Abandonner un import (rien n’est écrit)',
        params: idParams,
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (request) => {
      await imports.cancelImport(deps, ctxOf(request), request.params.id, actorOf(request));
      return { ok: true as const };
    },
  );

  r.get(
    '/api/imports/:id/rejected',
    {
      config: importers,
      schema: {
        tags: ['registry'],
        summary: 'Lignes rejetées, et lignes importées sans une valeur ignorée (téléphone, e-mail), avec leurs motifs',
        params: idParams,
        response: { 200: z.array(rejectedLine) },
      },
    },
    async (request) => {
      const { lines } = await imports.rejectedLinesOf(deps, ctxOf(request), request.params.id);
      const reason = (e: { column: string; value: string; reason: string }) => ({ column: e.column, value: e.value, reason: e.reason });
      return lines
        .slice(0, 500)
        .map((l) => (l.errors.length ? { line: l.line, errors: l.errors.map(reason) } : { line: l.line, errors: [], warnings: l.warnings.map(reason) }));
    },
  );

  r.get(
    '/api/imports/:id/rejected.csv',
    { config: importers, schema: { tags: ['registry'], summary: 'Télécharger les lignes rejetées (CSV)', params: idParams } },
    async (request, reply) => {
      const { headers, lines } = await imports.rejectedLinesOf(deps, ctxOf(request), request.params.id);
      const body =
        CSV_BOM +
        csvLine(['Ligne', 'Motifs', ...headers]) +
        lines
          .map((l) =>
            csvLine([
              l.line,
              l.errors.length
                ? l.errors.map((e) => `${e.column} : ${e.reason}`).join(' | ')
                : `Ligne importée — ${l.warnings.map((e) => `${e.column} : ${e.reason}`).join(' | ')}`,
              ...(l.cells ?? []),
            ]),
          )
          .join('');
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="lignes-rejetees.csv"').send(body);
    },
  );
}
