/**
 * Where each indicator of the dictionary is counted: a function of the module that owns the data,
 * on its index.ts, giving one row per event (`organisation_id`, `household_id`, `at`). This file
 * names no table: it groups those rows by month, department and QPV, inside the member's own
 * transaction (its row-level-security context), so nothing but counts leaves the member.
 */
import { type RawBuilder, sql } from 'kysely';
import { type IndicatorId, indicators } from '../../../contracts/indicators.ts';
import type { Tx } from '../../platform/db/database.ts';
import { arrearsIndicatorEvents } from '../arrears/index.ts';
import { callIndicatorEvents } from '../calls/index.ts';
import { followupIndicatorEvents } from '../followups/index.ts';
import { householdPlaces, registryIndicatorEvents } from '../registry/index.ts';

type Range = { from: Date; to: Date };

const sources: Record<IndicatorId, (r: Range) => RawBuilder<unknown>> = {
  ...callIndicatorEvents,
  ...followupIndicatorEvents,
  ...registryIndicatorEvents,
  ...arrearsIndicatorEvents,
};

/** One group of the member's events: a month, and a department or QPV or neither (the month's total). */
export type GroupCount = {
  period: string;
  dimension: 'total' | 'department' | 'qpv';
  dimension_value: string;
  /** Events counted (calls, cases…) or households, by the indicator's unit. */
  value: number;
  /** Distinct households the group touches (the small-cell rule counts these). */
  households: number;
};

/**
 * The member's counts of one indicator per month in [from, to), in total, by department (the
 * postal code's first two digits, three overseas; « inconnu » without one) and by QPV.
 */
export async function countIndicator(trx: Tx, id: IndicatorId, range: Range): Promise<GroupCount[]> {
  const events = sources[id](range);
  const r = await sql<{ period: string; department: string | null; qpv: string | null; g_dep: number; g_qpv: number; events: number; households: number }>`
    with ev as (${events}),
    placed as (
      select to_char(date_trunc('month', ev.at at time zone 'Europe/Paris'), 'YYYY-MM') as period,
        coalesce(case when pl.postal_code ~ '^97[0-9]{3}$' then left(pl.postal_code, 3)
                      when pl.postal_code ~ '^[0-9]{5}$' then left(pl.postal_code, 2) end, 'inconnu') as department,
        case when pl.qpv then 'qpv' else 'hors_qpv' end as qpv,
        ev.household_id
      from ev join (${householdPlaces()}) pl on pl.organisation_id = ev.organisation_id and pl.household_id = ev.household_id
    )
    select period, department, qpv, grouping(department) as g_dep, grouping(qpv) as g_qpv,
      count(*)::int as events, count(distinct household_id)::int as households
    from placed group by grouping sets ((period), (period, department), (period, qpv))`.execute(trx);
  const byHouseholds = indicators[id].countsHouseholds;
  return r.rows.map((row) => ({
    period: row.period,
    dimension: row.g_dep === 0 ? 'department' : row.g_qpv === 0 ? 'qpv' : 'total',
    dimension_value: row.g_dep === 0 ? (row.department ?? 'inconnu') : row.g_qpv === 0 ? (row.qpv ?? 'hors_qpv') : '',
    value: byHouseholds ? row.households : row.events,
    households: row.households,
  }));
}
