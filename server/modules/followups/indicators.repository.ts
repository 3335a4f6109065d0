/**
 * Follow-ups' and cases' share of the indicator dictionary (contracts/indicators.ts, issue 18): one
 * row per event (`organisation_id`, `household_id`, `at`) in [from, to), in the caller's transaction.
 */
import { sql } from 'kysely';

type IndicatorRange = { from: Date; to: Date };

export const followupIndicatorEvents = {
  needs_found: (r: IndicatorRange) =>
    sql`select f.organisation_id, f.household_id, f.created_at as at from followups f where f.created_at >= ${r.from} and f.created_at < ${r.to}`,
  cases_opened: (r: IndicatorRange) =>
    sql`select c.organisation_id, c.household_id, c.created_at as at from cases c where c.created_at >= ${r.from} and c.created_at < ${r.to}`,
  cases_closed: (r: IndicatorRange) =>
    sql`select c.organisation_id, c.household_id, c.closed_at as at from cases c where c.closed_at >= ${r.from} and c.closed_at < ${r.to}`,
};
