import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { homeSummary } from '../../../contracts/home.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import * as home from './home.service.ts';

/** The home page: what the signed-in user has to do now. */
export async function homeRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/home',
    {
      config: { policy: allow(...home.homeRoles) },
      schema: { tags: ['home'], summary: 'Page d’accueil : le travail à faire maintenant (chiffres selon le rôle)', response: { 200: homeSummary } },
    },
    async (request) => home.homeSummary(deps, caller(request)),
  );
}
