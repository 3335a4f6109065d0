// Why: who may see a doorstep visit is read from its residence's caretaker as it is now (see
// `lien_caretaker_serves`, 2026-11-25T0500), so a copy of the caretaker on each visit would only
// go stale when a residence changes hands or its caretaker leaves. The copy is dropped.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table doorstep_visits drop column caretaker_id`.execute(db);
}
