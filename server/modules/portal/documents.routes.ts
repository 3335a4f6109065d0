import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { documentRequestBody, documentReviewBody, publishFields, staffDocuments, tenantDocuments } from '../../../contracts/portal.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller, tenantRoute } from '../../platform/auth/policy.ts';
import { invalid } from '../../platform/errors/app-error.ts';
import type { Deps } from '../deps.ts';
import * as documents from './documents.service.ts';
import { inboxRoles } from './portal.policy.ts';
import { tenantOf } from './tenant.ts';
import { formOf } from './upload-form.ts';

const ok = z.object({ ok: z.literal(true) });
const link = z.object({ link: z.string(), fileName: z.string() });
const created = z.object({ id: z.string().uuid() });
const fileParams = z.strictObject({ fileId: z.string().uuid('Document introuvable.') });

/** Documents in the tenant portal (issue 16): the tenant's « Mes documents », and the staff's side from a household. */
export async function documentRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tenant = { policy: tenantRoute };
  const staff = { policy: allow(...inboxRoles) };

  r.get(
    '/api/portal/documents',
    // A hot read (issue 16's bar): its session is resolved in the transaction it then reads in (ADR 0027).
    {
      config: { ...tenant, tenantTransaction: true },
      schema: { tags: ['portal'], summary: 'Mes documents : à télécharger et demandés', response: { 200: tenantDocuments } },
    },
    async (request) => documents.tenantDocuments(deps, tenantOf(request)),
  );
  r.get(
    '/api/portal/documents/:id/link',
    {
      config: tenant,
      schema: { tags: ['portal'], summary: 'Lien de téléchargement d’un document mis à disposition', params: idParams, response: { 200: link } },
    },
    async (request) => documents.tenantDocumentLink(deps, tenantOf(request), request.params.id),
  );
  r.post(
    '/api/portal/document-requests/:id/files',
    {
      config: tenant,
      schema: {
        tags: ['portal'],
        summary: 'Envoyer le document demandé (multipart, champ « file »)',
        consumes: ['multipart/form-data'],
        params: idParams,
        response: { 201: z.object({ fileId: z.string().uuid() }) },
      },
    },
    async (request, reply) => {
      const t = tenantOf(request);
      const { upload } = await formOf(request, deps.config.FILES_MAX_MB);
      return reply.status(201).send(await documents.tenantSendDocument(deps, t, request.params.id, upload));
    },
  );

  const tags = ['requests'];
  r.get(
    '/api/households/:id/portal-documents',
    {
      config: staff,
      schema: { tags, summary: 'Espace locataire d’un ménage : documents mis à disposition et demandés', params: idParams, response: { 200: staffDocuments } },
    },
    async (request) => documents.staffDocuments(deps, caller(request), request.params.id, request.ip),
  );
  r.post(
    '/api/households/:id/portal-documents',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Mettre un document à disposition du ménage (multipart : champs « kind », « title », « file »)',
        consumes: ['multipart/form-data'],
        params: idParams,
        response: { 201: created },
      },
    },
    async (request, reply) => {
      const s = caller(request);
      const { upload, fields } = await formOf(request, deps.config.FILES_MAX_MB);
      const parsed = publishFields.safeParse(fields);
      if (!parsed.success) throw invalid('document_invalid', parsed.error.issues[0]?.message ?? 'Document invalide.');
      return reply.status(201).send(await documents.publishDocument(deps, s, request.params.id, parsed.data, upload, request.ip));
    },
  );
  r.post(
    '/api/portal-documents/:id/withdraw',
    { config: staff, schema: { tags, summary: 'Retirer un document de l’espace locataire', params: idParams, response: { 200: ok } } },
    async (request) => {
      await documents.withdrawDocument(deps, caller(request), request.params.id, request.ip);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/households/:id/document-requests',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Demander un document au ménage (prévenu par SMS ou e-mail)',
        params: idParams,
        body: documentRequestBody,
        response: { 201: created },
      },
    },
    async (request, reply) => reply.status(201).send(await documents.askDocument(deps, caller(request), request.params.id, request.body, request.ip)),
  );
  r.post(
    '/api/document-requests/:id/review',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Accepter le document reçu, ou le demander à refaire avec un motif',
        params: idParams,
        body: documentReviewBody,
        response: { 200: ok },
      },
    },
    async (request) => {
      await documents.reviewDocument(deps, caller(request), request.params.id, request.body, request.ip);
      return { ok: true as const };
    },
  );
  r.get(
    '/api/portal-documents/files/:fileId',
    { config: staff, schema: { tags, summary: 'Lien de téléchargement d’un document de l’espace locataire', params: fileParams, response: { 200: link } } },
    async (request) => documents.staffDocumentFileLink(deps, caller(request), request.params.fileId),
  );
}
