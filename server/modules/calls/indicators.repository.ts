/**
 * The calls' share of the indicator dictionary (contracts/indicators.ts, issue 18): one row per
 * event (`organisation_id`, `household_id`, `at`) in [from, to), read in the caller's transaction
 * (the member's row-level-security context). The federation module groups and suppresses them;
 * it never names this module's tables.
 */
import { sql } from 'kysely';

type IndicatorRange = { from: Date; to: Date };

export const callIndicatorEvents = {
  calls_made: (r: IndicatorRange) =>
    sql`select a.organisation_id, a.household_id, a.recorded_at as at from call_attempts a where a.recorded_at >= ${r.from} and a.recorded_at < ${r.to}`,
  households_reached: (r: IndicatorRange) =>
    sql`select a.organisation_id, a.household_id, a.recorded_at as at from call_attempts a where a.outcome = 'reached' and a.recorded_at >= ${r.from} and a.recorded_at < ${r.to}`,
};
