import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  articleBody,
  articleRow,
  codeRequestBody,
  codeVerifyBody,
  deadlinesBody,
  inboxFilter,
  inboxRow,
  inboxView,
  messageBody,
  newRequestBody,
  noteBody,
  portalSettings,
  replyBody,
  requestCategories,
  requestChangeBody,
  tenantBalance,
  tenantRequestRow,
  tenantRequestView,
} from '../../../contracts/portal.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller, publicRoute, tenantRoute } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import { documentRoutes } from './documents.routes.ts';
import { inboxRoles, settingsRoles } from './portal.policy.ts';
import * as requests from './requests.service.ts';
import * as signIn from './sign-in.service.ts';
import { tenantCookieName, tenantOf } from './tenant.ts';
import { formOf } from './upload-form.ts';

const ok = z.object({ ok: z.literal(true) });
const slugParams = z.strictObject({ slug: z.string().regex(/^[a-z0-9-]{2,40}$/, 'Espace locataire introuvable.') });
const fileParams = z.strictObject({ fileId: z.string().uuid('Document introuvable.') });
const link = z.object({ link: z.string(), fileName: z.string() });

/** The tenant portal's API (issue 16): sign-in by code, then the tenant's own requests. */
export async function portalRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['portal'];
  const tenant = { policy: tenantRoute };
  // Hot reads whose handler opens its transaction at once: the session is resolved in its `begin`.
  const tenantRead = { policy: tenantRoute, tenantTransaction: true };
  const cookie = tenantCookieName(deps.config);

  r.get(
    '/api/portal/landlords/:slug',
    {
      config: { policy: publicRoute },
      schema: { tags, summary: 'L’espace locataire d’un bailleur (son nom)', params: slugParams, response: { 200: z.object({ landlord: z.string() }) } },
    },
    async (request) => ({ landlord: (await signIn.landlordOf(deps.database, request.params.slug)).name }),
  );
  r.post(
    '/api/portal/landlords/:slug/code',
    {
      config: { policy: publicRoute },
      schema: {
        tags,
        summary: 'Recevoir un code de connexion (mobile ou e-mail connu du bailleur)',
        params: slugParams,
        body: codeRequestBody,
        response: { 200: z.object({ challenge: z.string().uuid(), message: z.string() }) },
      },
    },
    async (request) => signIn.requestCode(deps, request.params.slug, request.body.contact, request.ip),
  );
  r.post(
    '/api/portal/landlords/:slug/verify',
    {
      config: { policy: publicRoute },
      schema: { tags, summary: 'Se connecter avec le code reçu', params: slugParams, body: codeVerifyBody, response: { 200: ok } },
    },
    async (request, reply) => {
      const value = await signIn.verifyCode(deps, request.params.slug, request.body, request.ip);
      reply.setCookie(cookie, value, { path: '/', httpOnly: true, secure: deps.config.COOKIE_SECURE, sameSite: 'strict' });
      return { ok: true as const };
    },
  );
  r.post(
    '/api/portal/sign-out',
    { config: tenant, schema: { tags, summary: 'Se déconnecter de l’espace locataire', response: { 200: ok } } },
    async (request, reply) => {
      await signIn.signOut(deps, tenantOf(request));
      reply.clearCookie(cookie, { path: '/' });
      return { ok: true as const };
    },
  );
  r.get(
    '/api/portal/me',
    {
      config: tenantRead,
      schema: { tags, summary: 'Le locataire connecté', response: { 200: z.object({ firstName: z.string(), landlord: z.string(), slug: z.string() }) } },
    },
    async (request) => requests.tenantHome(deps, tenantOf(request)),
  );
  r.get(
    '/api/portal/requests',
    { config: tenantRead, schema: { tags, summary: 'Les demandes de mon foyer', response: { 200: z.array(tenantRequestRow) } } },
    async (request) => requests.tenantRequests(deps, tenantOf(request)),
  );
  r.post(
    '/api/portal/requests',
    { config: tenant, schema: { tags, summary: 'Déposer une demande', body: newRequestBody, response: { 201: z.object({ id: z.string().uuid() }) } } },
    async (request, reply) => reply.status(201).send(await requests.fileRequest(deps, tenantOf(request), request.body)),
  );
  r.get(
    '/api/portal/requests/:id',
    { config: tenantRead, schema: { tags, summary: 'Suivre une demande', params: idParams, response: { 200: tenantRequestView } } },
    async (request) => requests.tenantRequest(deps, tenantOf(request), request.params.id),
  );
  r.post(
    '/api/portal/requests/:id/messages',
    { config: tenant, schema: { tags, summary: 'Ajouter un message à une demande', params: idParams, body: messageBody, response: { 200: ok } } },
    async (request) => {
      await requests.tenantMessage(deps, tenantOf(request), request.params.id, request.body.body);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/portal/requests/:id/files',
    {
      config: tenant,
      schema: {
        tags,
        summary: 'Joindre une photo ou un PDF à une demande (multipart, champ « file »)',
        consumes: ['multipart/form-data'],
        params: idParams,
        response: { 201: z.object({ fileId: z.string().uuid() }) },
      },
    },
    async (request, reply) => {
      const t = tenantOf(request);
      const { upload } = await formOf(request, deps.config.FILES_MAX_MB);
      return reply.status(201).send(await requests.tenantFile(deps, t, request.params.id, upload));
    },
  );
  r.get(
    '/api/portal/articles',
    { config: tenant, schema: { tags, summary: 'Questions fréquentes et actualités de mon bailleur', response: { 200: z.array(articleRow) } } },
    async (request) => requests.tenantArticles(deps, tenantOf(request)),
  );
  r.get(
    '/api/portal/balance',
    { config: tenant, schema: { tags, summary: 'Mon solde et mon plan de paiement (si le bailleur les montre)', response: { 200: tenantBalance } } },
    async (request) => requests.tenantBalance(deps, tenantOf(request)),
  );
  r.get(
    '/api/portal/files/:fileId',
    { config: tenant, schema: { tags, summary: 'Lien de téléchargement d’un document de mes demandes', params: fileParams, response: { 200: link } } },
    async (request) => requests.tenantFileLink(deps, tenantOf(request), request.params.fileId),
  ); // Documents (tenant and staff sides), in their own file.
  await documentRoutes(app, deps);
}

/** The staff inbox of tenants' requests (issue 16). */
export async function inboxRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['requests'];
  const staff = { policy: allow(...inboxRoles) };
  const settings = { policy: allow(...settingsRoles) };
  const days = z.object(Object.fromEntries(requestCategories.map((c) => [c, z.number()])) as Record<(typeof requestCategories)[number], z.ZodNumber>);

  r.get(
    '/api/requests',
    {
      config: staff,
      schema: { tags, summary: 'Demandes des locataires (boîte de réception)', querystring: inboxFilter, response: { 200: z.array(inboxRow) } },
    },
    async (request) => requests.inbox(deps, caller(request), request.query),
  );
  r.get(
    '/api/requests/deadlines',
    { config: staff, schema: { tags, summary: 'Délais de réponse par catégorie (jours)', response: { 200: days } } },
    async (request) => requests.deadlines(deps, caller(request)),
  );
  r.put(
    '/api/requests/deadlines',
    { config: settings, schema: { tags, summary: 'Régler les délais de réponse par catégorie', body: deadlinesBody, response: { 200: ok } } },
    async (request) => {
      await requests.saveDeadlines(deps, caller(request), request.body.days, request.ip);
      return { ok: true as const };
    },
  );
  r.get(
    '/api/requests/:id',
    { config: staff, schema: { tags, summary: 'Une demande, ses échanges et ses notes internes', params: idParams, response: { 200: inboxView } } },
    async (request) => requests.inboxRequest(deps, caller(request), request.params.id, request.ip),
  );
  r.patch(
    '/api/requests/:id',
    {
      config: staff,
      schema: { tags, summary: 'Changer le statut ou l’attribution d’une demande', params: idParams, body: requestChangeBody, response: { 200: ok } },
    },
    async (request) => {
      await requests.changeRequest(deps, caller(request), request.params.id, request.body, request.ip);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/requests/:id/replies',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Répondre au locataire (prévenu par SMS ou e-mail)',
        params: idParams,
        body: replyBody,
        response: { 201: z.object({ id: z.string().uuid() }) },
      },
    },
    async (request, reply) => reply.status(201).send(await requests.reply(deps, caller(request), request.params.id, request.body, request.ip)),
  );
  r.post(
    '/api/requests/:id/notes',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Ajouter une note interne (jamais montrée au locataire)',
        params: idParams,
        body: noteBody,
        response: { 201: z.object({ id: z.string().uuid() }) },
      },
    },
    async (request, reply) => reply.status(201).send(await requests.addNote(deps, caller(request), request.params.id, request.body.body, request.ip)),
  );
  r.post(
    '/api/requests/:id/case',
    {
      config: staff,
      schema: { tags, summary: 'Ouvrir ou rejoindre le suivi du ménage', params: idParams, response: { 200: z.object({ caseId: z.string().uuid() }) } },
    },
    async (request) => requests.requestCase(deps, caller(request), request.params.id, request.ip),
  );
  r.get(
    '/api/portal-settings',
    { config: settings, schema: { tags, summary: 'Réglages de l’espace locataire', response: { 200: portalSettings } } },
    async (request) => requests.portalSettings(deps, caller(request)),
  );
  r.put(
    '/api/portal-settings',
    {
      config: settings,
      schema: { tags, summary: 'Montrer ou non le solde et le plan de paiement aux locataires', body: portalSettings, response: { 200: ok } },
    },
    async (request) => {
      await requests.savePortalSettings(deps, caller(request), request.body, request.ip);
      return { ok: true as const };
    },
  );
  r.get(
    '/api/portal-articles',
    { config: settings, schema: { tags, summary: 'Questions fréquentes et actualités de l’espace locataire', response: { 200: z.array(articleRow) } } },
    async (request) => requests.staffArticles(deps, caller(request)),
  );
  r.post(
    '/api/portal-articles',
    {
      config: settings,
      schema: { tags, summary: 'Écrire une question fréquente ou une actualité', body: articleBody, response: { 201: z.object({ id: z.string().uuid() }) } },
    },
    async (request, reply) => reply.status(201).send(await requests.saveArticle(deps, caller(request), null, request.body, request.ip)),
  );
  r.put(
    '/api/portal-articles/:id',
    {
      config: settings,
      schema: {
        tags,
        summary: 'Modifier une question fréquente ou une actualité',
        params: idParams,
        body: articleBody,
        response: { 200: z.object({ id: z.string().uuid() }) },
      },
    },
    async (request) => requests.saveArticle(deps, caller(request), request.params.id, request.body, request.ip),
  );
  r.delete(
    '/api/portal-articles/:id',
    { config: settings, schema: { tags, summary: 'Retirer une question fréquente ou une actualité', params: idParams, response: { 200: ok } } },
    async (request) => {
      await requests.removeArticle(deps, caller(request), request.params.id, request.ip);
      return { ok: true as const };
    },
  );
  r.get(
    '/api/requests/files/:fileId',
    { config: staff, schema: { tags, summary: 'Lien de téléchargement d’un document joint', params: fileParams, response: { 200: link } } },
    async (request) => requests.staffFileLink(deps, caller(request), request.params.fileId),
  );
}
