/**
 * Reading the audit trail (`audit_events`, owned here): the admin journal, a household's
 * timeline, the export rate limit. Names of actors and objects come from their owners.
 */
import { sql } from 'kysely';
import type { AuditFilters } from '../../../contracts/audit.ts';
import type { Tx } from '../db/database.ts';

export type AuditRow = {
  id: string;
  /** Full precision (microseconds), for the keyset cursor: a JS Date would lose them. */
  at: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
};

function filtered(trx: Tx, f: AuditFilters) {
  let q = trx.selectFrom('audit_events as a');
  if (f.action) {
    // A code (`household.viewed`) matches exactly; a domain prefix (`auth.`) matches its codes.
    q = f.action.endsWith('.') ? q.where('a.action', 'like', `${f.action.replace(/[%_\\]/g, '\\$&')}%`) : q.where('a.action', '=', f.action);
  }
  if (f.actorId) q = q.where('a.actor_id', '=', f.actorId);
  if (f.objectId) q = q.where('a.object_id', '=', f.objectId);
  if (f.from) q = q.where('a.at', '>=', new Date(f.from));
  if (f.to) q = q.where('a.at', '<', new Date(f.to));
  return q;
}

export type JournalPage = { filters: AuditFilters; limit: number; after?: { at: string; id: string } | undefined };

/** The organisation's journal (RLS), newest first, keyset-paged on (at, id). */
export function listAuditEvents(trx: Tx, page: JournalPage) {
  let q = filtered(trx, page.filters)
    .select(['a.id', 'a.actor_id', 'a.actor_role', 'a.action', 'a.object_type', 'a.object_id', 'a.ip', 'a.details'])
    .select(sql<string>`to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at'))
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(page.limit);
  if (page.after) q = q.where(sql<boolean>`(a.at, a.id) < (${page.after.at}::timestamptz, ${page.after.id}::uuid)`);
  return q.execute() as Promise<AuditRow[]>;
}

/** How many rows match, counting at most `cap + 1` (the page then says « plus de cap »). */
export async function countAuditEvents(trx: Tx, f: AuditFilters, cap: number): Promise<number> {
  const inner = filtered(trx, f)
    .select(sql`1`.as('one'))
    .limit(cap + 1);
  const r = await trx.selectFrom(inner.as('s')).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return r.n;
}

/** The last 50 events about an object, newest first, except those of one action (e.g. the reads), for a timeline. */
export function eventsAbout(trx: Tx, q: { objectId: string; exceptAction: string }) {
  return trx
    .selectFrom('audit_events')
    .select(['at', 'action', 'details'])
    .where('object_id', '=', q.objectId)
    .where('action', '!=', q.exceptAction)
    .orderBy('at', 'desc')
    .limit(50)
    .execute();
}

/** How many times a user did an action in the last hour. */
export async function countActionsInLastHour(trx: Tx, q: { actorId: string; action: string }) {
  const r = await sql<{
    n: number;
  }>`select count(*)::int as n from audit_events where actor_id = ${q.actorId} and action = ${q.action} and at > now() - interval '1 hour'`.execute(trx);
  return r.rows[0]?.n ?? 0;
}

/**
 * Every audit event about these objects (a household, its person…), oldest first: who read or
 * changed the file and when, for the right of access (TRUST DP-06). Not the IP address or the
 * details (the staff member's data, or other persons').
 */
export function eventsAboutObjects(trx: Tx, objectIds: readonly string[]) {
  if (!objectIds.length) return Promise.resolve([]);
  return trx
    .selectFrom('audit_events')
    .select(['id', 'at', 'action', 'actor_id', 'actor_role', 'object_type', 'object_id'])
    .where('object_id', 'in', [...objectIds])
    .orderBy('at')
    .orderBy('id')
    .execute();
}
