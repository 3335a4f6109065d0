import { type RawBuilder, sql } from 'kysely';
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

/**
 * The same entry as a statement fragment, for a module's statement that logs what it did in the
 * same round trip (the dispatch claim): `insert … select … from <rows>`, one event per row of
 * `rows` (a CTE of that statement), the object and the details computed from it. The SQL naming
 * this table stays here.
 */
export function auditFromRowsSql(
  actor: Actor,
  e: { action: string; objectType: string; rows: RawBuilder<unknown>; objectId: RawBuilder<unknown>; details: RawBuilder<unknown> },
) {
  return sql`insert into audit_events (organisation_id, actor_id, actor_role, action, object_type, object_id, ip, details)
    select lien_current_org(), ${actor.userId}::uuid, ${actor.role}::text, ${e.action}::text, ${e.objectType}::text, ${e.objectId}, ${actor.ip}::text, ${e.details}
    from ${e.rows}`;
}
