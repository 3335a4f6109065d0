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
