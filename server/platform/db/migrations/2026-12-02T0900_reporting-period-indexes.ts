// Why (issue 18, ADR 0019): a landlord's dashboard counts the period's calls (households called,
// reached, attempts, per week) and messages (by channel and status). The period indexes of call
// attempts (the retention purge's too) and of messages (the outbox page's) now carry what is
// counted, so each count is an index-only scan instead of one heap visit per row (a quarter is
// about 100,000 calls and as many SMS for 200,000 households).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index call_attempts_recorded_idx`.execute(db);
  await sql`create index call_attempts_recorded_idx on call_attempts (organisation_id, recorded_at) include (household_id, outcome, target_id)`.execute(db);
  await sql`drop index messages_org_created_idx`.execute(db);
  await sql`create index messages_org_created_idx on messages (organisation_id, created_at desc) include (channel, status)`.execute(db);
}
