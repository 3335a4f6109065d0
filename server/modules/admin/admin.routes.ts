import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { outboxMessage } from '../../../contracts/admin.ts';
import { auditFilters, auditPage, auditQueryBody } from '../../../contracts/audit.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { rolesWith } from '../../platform/auth/abilities.ts';
import { actorOf, allow, caller } from '../../platform/auth/policy.ts';
import { listMessages } from '../../platform/outbox/outbox.ts';
import type { Deps } from '../deps.ts';
import { exportJournal, searchJournal } from './audit-journal.service.ts';

const outboxQuery = z.strictObject({ limit: z.number().int().min(1).max(200).default(50), before: z.string().uuid().optional() });

/** Organisation admin: the audit trail and the outbox. Both reads are themselves audited. */
export async function adminRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { policy: allow(...rolesWith('audit.read')) };

  r.post(
    '/api/audit/search',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: "Consulter le journal d'audit (filtres dans le corps)",
        body: auditQueryBody,
        response: { 200: auditPage },
      },
    },
    async (request) => searchJournal(deps, caller(request), request.body, actorOf(request)),
  );
  r.post(
    '/api/audit/export',
    {
      config: admin,
      schema: { tags: ['admin'], summary: "Exporter le journal d'audit filtré (CSV)", body: auditFilters },
    },
    async (request, reply) => {
      const file = await exportJournal(deps, caller(request), request.body, actorOf(request));
      return reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.body);
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
          nextAttemptAt: m.next_attempt_at?.toISOString() ?? null,
        }));
      });
    },
  );
}
