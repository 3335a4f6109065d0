// Why: a denied read counts the user's denials of the last ten minutes to decide on an alert
// (TRUST AA-10); without an index leading with the actor that count scans the organisation's
// whole recent trail on every denial.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index audit_events_org_actor_at_idx on audit_events (organisation_id, actor_id, at desc)`.execute(db);
}
