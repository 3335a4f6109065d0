import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import { agencyIn, type FigureScope, householdIn, inPeriod } from '../../platform/db/figures.ts';

/**
 * Calls of the period (reporting, issue 18), per week and over the whole period: households
 * called, households reached (at least one answered call), call attempts. A household reached in
 * two weeks counts in each week and once in the total. `weeks`: the Mondays of the period (ISO
 * dates, the first on or before its start); a call falls in the week whose Paris Monday midnight
 * is the last before it (`width_bucket` on those instants: no time-zone arithmetic per call). The
 * agency is the queue row's, read only when the dashboard is narrowed to agencies.
 */
export async function callFigures(trx: Tx, f: FigureScope, weeks: readonly string[]) {
  const week = sql`width_bucket(a.recorded_at, array(select (d::date)::timestamp at time zone 'Europe/Paris' from unnest(${weeks}::date[]) d))`;
  // A segment's households are those of the agencies (the registry chose them so): no second filter.
  const agency =
    f.agencies && !f.households
      ? sql`and (a.organisation_id, a.target_id) in (select t.organisation_id, t.id from campaign_targets t where ${agencyIn(sql.ref('t.agency_id'), f)})`
      : sql``;
  const r = await sql<{ week: number | null; called: number; reached: number; attempts: number }>`
    select ${week} as week, count(distinct a.household_id)::int as called,
      count(distinct a.household_id) filter (where a.outcome = 'reached')::int as reached, count(*)::int as attempts
    from call_attempts a
    where ${inPeriod(sql.ref('a.recorded_at'), f)} ${agency} and ${householdIn(sql.ref('a.household_id'), f)}
    group by grouping sets ((1), ())`.execute(trx);
  const total = r.rows.find((x) => x.week === null) ?? { called: 0, reached: 0, attempts: 0 };
  return {
    called: total.called,
    reached: total.reached,
    attempts: total.attempts,
    weeks: r.rows.flatMap((x) => (x.week === null ? [] : [{ week: weeks[x.week - 1] as string, reached: x.reached }])),
  };
}
