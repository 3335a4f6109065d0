import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { purgePreview, purposeParams, retentionRuleBody, retentionRuleRow } from '../../../contracts/retention.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import { retentionRoles } from './retention.policy.ts';
import * as retention from './retention.service.ts';

/** Retention per organisation × purpose and the preview of the next purge (TRUST DP-02), for the DPO. */
export async function retentionRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { policy: allow(...retentionRoles) };
  const tags = ['retention'];
  const rules = z.array(retentionRuleRow);

  r.get(
    '/api/retention/rules',
    { config, schema: { tags, summary: 'Durées de conservation de l’organisme, par finalité', response: { 200: rules } } },
    async (request) => retention.listRules(deps, caller(request)),
  );
  r.put(
    '/api/retention/rules/:purpose',
    {
      config,
      schema: { tags, summary: 'Changer la durée de conservation d’une finalité', params: purposeParams, body: retentionRuleBody, response: { 200: rules } },
    },
    async (request) => retention.setRule(deps, caller(request), { ...request.body, purpose: request.params.purpose, ip: request.ip }),
  );
  r.delete(
    '/api/retention/rules/:purpose',
    { config, schema: { tags, summary: 'Revenir à la durée par défaut d’une finalité', params: purposeParams, response: { 200: rules } } },
    async (request) => retention.resetRule(deps, caller(request), { purpose: request.params.purpose, ip: request.ip }),
  );
  r.get(
    '/api/retention/preview',
    { config, schema: { tags, summary: 'Ce que la prochaine purge supprimera, et sa date', response: { 200: purgePreview } } },
    async (request) => retention.previewPurge(deps, caller(request)),
  );
}
