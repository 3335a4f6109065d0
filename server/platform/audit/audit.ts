import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';

/** Who did it, from where: enough to answer "who saw or changed this, when". */
export type Actor = { userId: string | null; role: string | null; ip: string | null };

/** The actor of a signed-in request. */
export const actorOf = (s: { userId: string; role: string }, ip: string): Actor => ({ userId: s.userId, role: s.role, ip });

/** One audit entry. Never put note contents or other free text in `details`. */
export type AuditEntry = {
  action: string;
  objectType?: string;
  objectId?: string | null;
  details?: Record<string, unknown>;
};

/**
 * Append an audit event inside the caller's transaction, so the trail and the change commit
 * (or roll back) together. The app role may only insert and read this table.
 */
export async function recordAudit(trx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_events')
    .values({
      organisation_id: sql<string>`lien_current_org()`,
      actor_id: actor.userId,
      actor_role: actor.role,
      action: entry.action,
      object_type: entry.objectType ?? null,
      object_id: entry.objectId ?? null,
      ip: actor.ip,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export type AuditFilter = {
  action?: string | undefined;
  actorId?: string | undefined;
  objectId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  before?: string | undefined;
  limit: number;
};

/** Read the organisation's audit trail, newest first, with keyset pagination. */
export function listAuditEvents(trx: Tx, filter: AuditFilter) {
  let q = trx
    .selectFrom('audit_events as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select(['a.id', 'a.at', 'a.actor_id', 'a.actor_role', 'a.action', 'a.object_type', 'a.object_id', 'a.ip', 'a.details'])
    .select(sql<string | null>`u.first_name || ' ' || u.last_name`.as('actor_name'))
    .orderBy('a.id', 'desc')
    .limit(filter.limit);
  if (filter.action) q = q.where('a.action', 'like', `${filter.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (filter.actorId) q = q.where('a.actor_id', '=', filter.actorId);
  if (filter.objectId) q = q.where('a.object_id', '=', filter.objectId);
  if (filter.from) q = q.where('a.at', '>=', new Date(filter.from));
  if (filter.to) q = q.where('a.at', '<', new Date(filter.to));
  if (filter.before) q = q.where('a.id', '<', filter.before);
  return q.execute();
}
