// Why (issue 14, the arrears view under half a second at 500,000 households): the view sets the
// households in debt against each household's last balance on or before a date. That balance
// comes from `household_balances_on_idx` in household order; with the households in debt read in
// the same order from this index (id, unit and balance included: no heap), the two meet in one
// merge join instead of hashing 200,000 balances (measured on the bench's kept data set, quiet:
// 143–193 ms against 408–717 ms for the whole organisation). The view's transaction turns hash
// joins off so that the planner takes this path (ADR 0015).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index households_debt_id_idx on households (organisation_id, id) include (unit_id, balance_cents) where balance_cents > 0`.execute(db);
}
