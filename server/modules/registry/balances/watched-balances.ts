/**
 * Balances the ERP import must date even when unchanged (issue 14, compliance of payment plans).
 *
 * The import writes a household's balance to the dated history only when it changed: the same
 * export imported twice writes nothing (issue 12's speed). A payment plan needs one more fact: a
 * debt that did NOT go down at a later date is how a missed instalment shows. Without a dated row,
 * the plan's compliance saw only the older balance, dated before the instalment's due date and
 * grace, and left the instalment pending for ever — the tenant who paid nothing was never flagged
 * by ERP imports. A module above the registry (arrears, which owns the plans) names the households
 * it watches as a SQL query of `household_id`s; the import then dates their balance on its day
 * even when unchanged. The registry cannot import that module: it hands the query over when its
 * index.ts loads (`provideWatchedBalances`, as `provideTimelineEvents`, ADR 0010). Only code here.
 */
import { type RawBuilder, sql } from 'kysely';

type WatchedHouseholds = () => RawBuilder<{ household_id: string }>;
const sources = new Map<string, WatchedHouseholds>();

/** Called once by a module's index.ts; `name` keeps a reload from adding it twice. */
export function provideWatchedBalances(name: string, households: WatchedHouseholds) {
  sources.set(name, households);
}

/** The ids of every watched household, as one query (none when no module watches any). */
export function watchedHouseholdsSql(): RawBuilder<{ household_id: string }> {
  const parts = [...sources.values()].map((f) => f());
  if (!parts.length) return sql`select null::uuid as household_id where false`;
  return sql.join(parts, sql` union all `) as RawBuilder<{ household_id: string }>;
}
