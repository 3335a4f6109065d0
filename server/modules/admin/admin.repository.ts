import { sql } from 'kysely';
import type { AuditFilters } from '../../../contracts/audit.ts';
import type { Tx } from '../../platform/db/database.ts';

export type AuditRow = {
  id: string;
  /** Full precision (microseconds), for the keyset cursor: a JS Date would lose them. */
  at: string;
  actor_id: string | null;
  actor_name: string | null;
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

/** The organisation's journal (RLS), newest first, keyset-paged on (at, id). */
export function listAuditEvents(trx: Tx, f: AuditFilters, limit: number, after?: { at: string; id: string }) {
  let q = filtered(trx, f)
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select(['a.id', 'a.actor_id', 'a.actor_role', 'a.action', 'a.object_type', 'a.object_id', 'a.ip', 'a.details'])
    .select(sql<string>`to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at'))
    .select(sql<string | null>`u.first_name || ' ' || u.last_name`.as('actor_name'))
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit);
  if (after) q = q.where(sql<boolean>`(a.at, a.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
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

/**
 * Human names of the objects a page of the journal mentions, one query per object type (never
 * one per row), inside the organisation (RLS): household → holder and ERP reference, user →
 * first and last name, campaign → name, import → file name, residence → name; a call target,
 * attempt or follow-up → its household.
 */
export async function objectNames(trx: Tx, byType: Map<string, Set<string>>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const ids = (type: string) => [...(byType.get(type) ?? [])];
  const households = async (rows: { id: string; name: string }[]) => {
    for (const r of rows) names.set(r.id, r.name);
  };
  // Household-like objects: the holder first (then co-holder, occupant), with the reference.
  const householdName = sql<string>`coalesce((
      select p.first_name || ' ' || p.last_name from persons p where p.household_id = h.id
      order by case p.household_role when 'holder' then 0 when 'co_holder' then 1 else 2 end, p.last_name limit 1
    ) || ' (' || h.erp_ref || ')', 'ménage ' || h.erp_ref)`;
  if (ids('household').length) {
    const r = await sql<{ id: string; name: string }>`
      select h.id, ${householdName} as name from households h where h.id = any(${ids('household')}::uuid[])`.execute(trx);
    await households(r.rows);
  }
  const via = async (type: string, table: string) => {
    if (!ids(type).length) return;
    const r = await sql<{ id: string; name: string }>`
      select x.id, ${householdName} as name from ${sql.table(table)} x join households h on h.id = x.household_id
      where x.id = any(${ids(type)}::uuid[])`.execute(trx);
    await households(r.rows);
  };
  await via('campaign_target', 'campaign_targets');
  await via('followup', 'followups');
  await via('call_attempt', 'call_attempts');
  if (ids('user').length) {
    const r = await trx
      .selectFrom('users')
      .select(['id', sql<string>`first_name || ' ' || last_name`.as('name')])
      .where('id', 'in', ids('user'))
      .execute();
    for (const u of r) names.set(u.id, u.name);
  }
  if (ids('campaign').length) {
    for (const c of await trx.selectFrom('campaigns').select(['id', 'name']).where('id', 'in', ids('campaign')).execute()) names.set(c.id, c.name);
  }
  if (ids('import').length) {
    for (const i of await trx.selectFrom('imports').select(['id', 'file_name']).where('id', 'in', ids('import')).execute()) names.set(i.id, i.file_name);
  }
  if (ids('residence').length) {
    for (const r of await trx.selectFrom('residences').select(['id', 'name']).where('id', 'in', ids('residence')).execute()) names.set(r.id, r.name);
  }
  return names;
}
