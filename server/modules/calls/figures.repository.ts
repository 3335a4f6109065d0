import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import { agencyIn, type FigureScope, householdIn, inPeriod, weekOf } from '../../platform/db/figures.ts';

/**
 * Calls of the period (reporting, issue 18), per week and over the whole period: households
 * called, households reached (at least one answered call), call attempts. A household reached in
 * two weeks counts in each week and once in the total. The agency is the queue row's.
 */
export async function callFigures(trx: Tx, f: FigureScope) {
  const r = await sql<{ week: string | null; called: number; reached: number; attempts: number }>`
    select ${weekOf(sql.ref('a.recorded_at'))} as week, count(distinct a.household_id)::int as called,
      count(distinct a.household_id) filter (where a.outcome = 'reached')::int as reached, count(*)::int as attempts
    from call_attempts a join campaign_targets t on t.organisation_id = a.organisation_id and t.id = a.target_id
    where ${inPeriod(sql.ref('a.recorded_at'), f)} and ${agencyIn(sql.ref('t.agency_id'), f)} and ${householdIn(sql.ref('a.household_id'), f)}
    group by grouping sets ((1), ())
    order by 1 nulls first`.execute(trx);
  const total = r.rows.find((x) => x.week === null) ?? { called: 0, reached: 0, attempts: 0 };
  return {
    called: total.called,
    reached: total.reached,
    attempts: total.attempts,
    weeks: r.rows.filter((x): x is typeof x & { week: string } => x.week !== null),
  };
}
