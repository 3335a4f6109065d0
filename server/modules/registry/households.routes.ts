import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  consentBody,
  contactBody,
  householdExportBody,
  householdFile,
  householdHit,
  householdListBody,
  householdPage,
  householdSearchBody,
  indicatorBody,
  needBody,
  objectionBody,
  preferencesBody,
  subParams,
} from '../../../contracts/households.ts';
import { idParams } from '../../../contracts/users.ts';
import { rolesWith } from '../../platform/auth/abilities.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import * as households from './households.service.ts';

const ok = z.object({ ok: z.literal(true) });

/** Households: search, lists (future segments), export, the household file and its corrections. */
export async function householdRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const readers = { policy: allow(...households.householdReaders) };
  const editors = { policy: allow(...households.householdEditors) };
  const tags = ['registry'];

  r.post(
    '/api/households/search',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Rechercher un ménage (nom, téléphone, adresse, référence)',
        body: householdSearchBody,
        response: { 200: z.array(householdHit) },
      },
    },
    async (request) => households.searchHouseholds(deps, caller(request), request.body.query, request.body.limit, request.ip),
  );

  r.post(
    '/api/households/list',
    { config: readers, schema: { tags, summary: 'Lister les ménages avec des filtres', body: householdListBody, response: { 200: householdPage } } },
    async (request) => households.listHouseholds(deps, caller(request), request.body, request.ip),
  );

  r.post(
    '/api/households/export',
    {
      config: { policy: allow(...rolesWith('households.export')) },
      schema: { tags, summary: 'Exporter la liste filtrée (CSV ou XLSX)', body: householdExportBody },
    },
    async (request, reply) => {
      const file = await households.exportHouseholds(deps, caller(request), request.body.filters, request.body.format, request.ip);
      return reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.body);
    },
  );

  r.get(
    '/api/households/:id',
    { config: readers, schema: { tags, summary: 'Fiche du ménage', params: idParams, response: { 200: householdFile } } },
    async (request) => households.getHouseholdFile(deps, caller(request), request.params.id, request.ip),
  );

  r.put(
    '/api/households/:id/contacts',
    { config: editors, schema: { tags, summary: 'Corriger un téléphone ou un e-mail', params: idParams, body: contactBody, response: { 200: ok } } },
    async (request) => {
      await households.setContact(deps, caller(request), request.params.id, request.body, request.ip);
      return { ok: true as const };
    },
  );

  r.put(
    '/api/households/:id/persons/:itemId/preferences',
    { config: editors, schema: { tags, summary: 'Canal et langue préférés d’une personne', params: subParams, body: preferencesBody, response: { 200: ok } } },
    async (request) => {
      await households.setPreferences(deps, caller(request), request.params.id, request.params.itemId, request.body, request.ip);
      return { ok: true as const };
    },
  );

  r.post(
    '/api/households/:id/indicators',
    { config: editors, schema: { tags, summary: 'Ajouter un indicateur de fragilité', params: idParams, body: indicatorBody, response: { 200: ok } } },
    async (request) => {
      await households.addIndicator(deps, caller(request), request.params.id, request.body.kind, request.ip);
      return { ok: true as const };
    },
  );

  r.delete(
    '/api/households/:id/indicators/:itemId',
    { config: editors, schema: { tags, summary: 'Retirer un indicateur', params: subParams, response: { 200: ok } } },
    async (request) => {
      await households.removeIndicator(deps, caller(request), request.params.id, request.params.itemId, request.ip);
      return { ok: true as const };
    },
  );

  r.post(
    '/api/households/:id/objections',
    {
      config: editors,
      schema: { tags, summary: 'Enregistrer « ne pas appeler » ou « pas de SMS »', params: idParams, body: objectionBody, response: { 200: ok } },
    },
    async (request) => {
      await households.addObjection(deps, caller(request), request.params.id, request.body.kind, request.ip);
      return { ok: true as const };
    },
  );

  r.delete(
    '/api/households/:id/objections/:itemId',
    { config: editors, schema: { tags, summary: 'Lever une opposition', params: subParams, response: { 200: ok } } },
    async (request) => {
      await households.removeObjection(deps, caller(request), request.params.id, request.params.itemId, request.ip);
      return { ok: true as const };
    },
  );

  r.post(
    '/api/households/:id/consents',
    {
      config: editors,
      schema: {
        tags,
        summary: 'Recueillir le consentement explicite (besoins de santé)',
        params: idParams,
        body: consentBody,
        response: { 201: z.object({ id: z.string().uuid() }) },
      },
    },
    async (request, reply) => reply.status(201).send({ id: await households.giveConsent(deps, caller(request), request.params.id, request.body, request.ip) }),
  );

  r.post(
    '/api/households/:id/consents/:itemId/withdraw',
    {
      config: editors,
      schema: {
        tags,
        summary: 'Retirer un consentement (efface les besoins couverts)',
        params: subParams,
        response: { 200: z.object({ needsDeleted: z.number() }) },
      },
    },
    async (request) => ({ needsDeleted: await households.withdrawConsent(deps, caller(request), request.params.id, request.params.itemId, request.ip) }),
  );

  r.post(
    '/api/households/:id/needs',
    {
      config: editors,
      schema: { tags, summary: 'Déclarer un besoin', params: idParams, body: needBody, response: { 201: z.object({ id: z.string().uuid() }) } },
    },
    async (request, reply) => reply.status(201).send({ id: await households.addNeed(deps, caller(request), request.params.id, request.body, request.ip) }),
  );

  r.delete(
    '/api/households/:id/needs/:itemId',
    { config: editors, schema: { tags, summary: 'Retirer un besoin', params: subParams, response: { 200: ok } } },
    async (request) => {
      await households.removeNeed(deps, caller(request), request.params.id, request.params.itemId, request.ip);
      return { ok: true as const };
    },
  );
}
