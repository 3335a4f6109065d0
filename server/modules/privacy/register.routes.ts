import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { processingRegister } from '../../../contracts/register.ts';
import { processingRegister as buildRegister } from '../../data-protection/register.ts';
import { allow } from '../../platform/auth/policy.ts';
import { privacyRoles } from './privacy.policy.ts';

/**
 * The model of the processing register (RGPD art. 30, TRUST DP-12), built from the classification
 * and the abilities, read-only on « Protection des données ». The same for every organisation: it
 * holds no personal data, so it is neither scoped nor audited.
 */
export async function registerRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/privacy/register',
    {
      config: { policy: allow(...privacyRoles) },
      schema: {
        tags: ['privacy'],
        summary: 'Registre des activités de traitement (modèle pré-rempli depuis la classification)',
        response: { 200: processingRegister },
      },
    },
    async () => buildRegister(),
  );
}
