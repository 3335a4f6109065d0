import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agency, idParams, inviteUserBody, updateUserBody, user } from '../../../contracts/users.ts';
import { rolesWith } from '../../platform/auth/abilities.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import * as users from './users.service.ts';

/** Organisation admin: users, roles, agency scopes. */
export async function usersRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { policy: allow(...rolesWith('users.manage')) };

  r.get('/api/users', { config: admin, schema: { tags: ['users'], summary: 'Lister les utilisateurs', response: { 200: z.array(user) } } }, async (request) =>
    users.listUsers(deps, caller(request)),
  );

  r.get(
    '/api/users/:id',
    { config: admin, schema: { tags: ['users'], summary: 'Voir un utilisateur', params: idParams, response: { 200: user } } },
    async (request) => users.getUser(deps, caller(request), request.params.id, request.ip),
  );

  r.post(
    '/api/users',
    { config: admin, schema: { tags: ['users'], summary: 'Inviter un utilisateur', body: inviteUserBody, response: { 201: user } } },
    async (request, reply) => reply.status(201).send(await users.inviteUser(deps, caller(request), request.body, request.ip)),
  );

  r.patch(
    '/api/users/:id',
    {
      config: admin,
      schema: { tags: ['users'], summary: 'Modifier le rôle, les agences ou la date de fin', params: idParams, body: updateUserBody, response: { 200: user } },
    },
    async (request) => users.updateUser(deps, caller(request), request.params.id, request.body, request.ip),
  );

  r.post(
    '/api/users/:id/deactivate',
    { config: admin, schema: { tags: ['users'], summary: 'Désactiver un utilisateur (ferme ses sessions)', params: idParams, response: { 200: user } } },
    async (request) => users.deactivateUser(deps, caller(request), request.params.id, request.ip),
  );

  r.post(
    '/api/users/:id/reactivate',
    { config: admin, schema: { tags: ['users'], summary: 'Réactiver un utilisateur', params: idParams, response: { 200: user } } },
    async (request) => users.reactivateUser(deps, caller(request), request.params.id, request.ip),
  );

  r.post(
    '/api/users/:id/sessions/end',
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'Fermer toutes les sessions ouvertes d’un utilisateur',
        params: idParams,
        response: { 200: z.object({ ended: z.number() }) },
      },
    },
    async (request) => ({ ended: await users.endSessionsOf(deps, caller(request), request.params.id, request.ip) }),
  );

  r.post(
    '/api/users/:id/second-factor/reset',
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'Réinitialiser la double authentification (ferme les sessions ; ré-authentification requise)',
        params: idParams,
        response: { 200: user },
      },
    },
    async (request) => users.resetSecondFactor(deps, caller(request), request.params.id, request.ip),
  );

  r.post(
    '/api/users/:id/invitation',
    {
      config: admin,
      schema: { tags: ['users'], summary: "Renvoyer le lien d'invitation", params: idParams, response: { 202: z.object({ ok: z.literal(true) }) } },
    },
    async (request, reply) => {
      await users.resendInvitation(deps, caller(request), request.params.id, request.ip);
      return reply.status(202).send({ ok: true as const });
    },
  );

  r.get(
    '/api/agencies',
    {
      config: { policy: allow(...rolesWith('agencies.list')) },
      schema: { tags: ['organisation'], summary: 'Lister les agences', response: { 200: z.array(agency) } },
    },
    async (request) => users.listAgencies(deps, caller(request)),
  );
}
