/**
 * Which objects a user's audited actions touched in a time window (breach readiness, TRUST DP-15).
 * The SQL on `audit_events` (owned here): one row per (object, action, role) with its count and
 * first and last time. An event names its object (`object_type`, `object_id`) or, for reads that
 * show many households at once (search hits, list pages, exports, work queues), lists them in
 * `details.householdIds`; both come out as objects of the same shape.
 */
import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';

/** The key of `details` that lists the households a bulk read showed. */
export const HOUSEHOLD_IDS = 'householdIds';

export type ObjectAccess = {
  object_type: string;
  object_id: string;
  action: string;
  actor_role: string | null;
  events: number;
  first_at: Date;
  last_at: Date;
};

export type ActionCount = { action: string; actor_role: string | null; events: number; first_at: Date; last_at: Date };

/**
 * The objects one user's events in [from, to) name, inside the organisation (RLS), grouped by
 * object, action and role. Uses the (organisation, actor, at) index.
 */
export async function objectAccessesOf(trx: Tx, q: { actorId: string; from: Date; to: Date }): Promise<ObjectAccess[]> {
  const r = await sql<ObjectAccess>`
    select o.object_type, o.object_id, a.action, a.actor_role, count(*)::int as events, min(a.at) as first_at, max(a.at) as last_at
    from audit_events a
    cross join lateral (
      select a.object_type, a.object_id where a.object_id is not null and a.object_type is not null
      union all
      select 'household', x::uuid
      from jsonb_array_elements_text(case when jsonb_typeof(a.details -> ${HOUSEHOLD_IDS}) = 'array' then a.details -> ${HOUSEHOLD_IDS} else '[]'::jsonb end) x
    ) o
    where a.actor_id = ${q.actorId} and a.at >= ${q.from} and a.at < ${q.to}
    group by o.object_type, o.object_id, a.action, a.actor_role`.execute(trx);
  return r.rows;
}

/** Every action of one user in [from, to), counted, whatever it names (for what no object list can show). */
export async function actionCountsOf(trx: Tx, q: { actorId: string; from: Date; to: Date }): Promise<ActionCount[]> {
  const r = await sql<ActionCount>`
    select a.action, a.actor_role, count(*)::int as events, min(a.at) as first_at, max(a.at) as last_at
    from audit_events a
    where a.actor_id = ${q.actorId} and a.at >= ${q.from} and a.at < ${q.to}
    group by a.action, a.actor_role
    order by min(a.at)`.execute(trx);
  return r.rows;
}
