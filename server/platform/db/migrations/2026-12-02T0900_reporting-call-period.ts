// Why (issue 18, ADR 0019): a landlord's dashboard counts the period's calls (households called,
// reached, attempts, per week). The period index of call attempts (the retention purge's too)
// now carries the household, the outcome and the queue row, so the count is an index-only scan
// instead of one heap visit per call (a quarter is about 100,000 calls for 200,000 households).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index call_attempts_recorded_idx`.execute(db);
  await sql`create index call_attempts_recorded_idx on call_attempts (organisation_id, recorded_at) include (household_id, outcome, target_id)`.execute(db);
}
