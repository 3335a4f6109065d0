// Why (issue 12, the first import's writes): household_balances (organisation_id, household_id,
// recorded_at desc) is an index every import writes an entry into for each household, that no
// reader needs: household_balances_on_idx (organisation_id, household_id, balance_on desc,
// recorded_at desc) serves every lookup by household (the household page's last 20 balances sort
// that household's few rows — one a month at most from balance files — after its range; the
// foreign key's checks on a household's deletion and the erasure use the same prefix).
// households (organisation_id, status) stays, though (organisation_id, status, oldest_birth_date)
// starts with it: its deduplicated entries make the lists' total an index-only scan of a few
// buffers, which the wider index (with INCLUDE, never deduplicated) would not be.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index household_balances_household_idx`.execute(db);
}
