import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditEvent, auditQueryBody, outboxMessage } from '../../../contracts/admin.ts';
import { listAuditEvents, recordAudit } from '../../platform/audit/audit.ts';
import { actorOf, allow, caller } from '../../platform/auth/policy.ts';
import { listMessages } from '../../platform/outbox/outbox.ts';
import type { Deps } from '../deps.ts';

const outboxQuery = z.strictObject({ limit: z.number().int().min(1).max(200).default(50), before: z.string().uuid().optional() });

/** Organisation admin: the audit trail and the outbox. Both reads are themselves audited. */
export async function adminRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { policy: allow('org_admin') };

  r.post(
    '/api/audit/search',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: "Consulter le journal d'audit (filtres dans le corps)",
        body: auditQueryBody,
        response: { 200: z.array(auditEvent) },
      },
    },
    async (request) => {
      const s = caller(request);
      return deps.database.withOrg({ organisationId: s.organisationId, userId: s.userId }, async (trx) => {
        const rows = await listAuditEvents(trx, request.body);
        await recordAudit(trx, actorOf(request), { action: 'audit.read', details: { filters: Object.keys(request.body) } });
        return rows.map((e) => ({
          id: e.id,
          at: e.at.toISOString(),
          actorId: e.actor_id,
          actorName: e.actor_name,
          actorRole: e.actor_role,
          action: e.action,
          objectType: e.object_type,
          objectId: e.object_id,
          ip: e.ip,
          details: e.details,
        }));
      });
    },
  );

  r.post(
    '/api/outbox/search',
    {
      config: admin,
      schema: { tags: ['admin'], summary: "Consulter la boîte d'envoi (e-mails et SMS)", body: outboxQuery, response: { 200: z.array(outboxMessage) } },
    },
    async (request) => {
      const s = caller(request);
      return deps.database.withOrg({ organisationId: s.organisationId, userId: s.userId }, async (trx) => {
        const rows = await listMessages(trx, request.body.limit, request.body.before);
        await recordAudit(trx, actorOf(request), { action: 'outbox.read', details: { count: rows.length } });
        return rows.map((m) => ({
          id: m.id,
          channel: m.channel,
          recipient: m.recipient,
          subject: m.subject,
          body: m.body,
          purpose: m.purpose,
          status: m.status,
          adapter: m.adapter,
          attempts: m.attempts,
          lastError: m.last_error,
          createdAt: m.created_at.toISOString(),
          sentAt: m.sent_at?.toISOString() ?? null,
        }));
      });
    },
  );
}
