// Why: the preferred channel (phone, SMS, e-mail, letter) comes from the ERP export like the
// language, and the messaging module will honour it; the import stages it with the other fields.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table import_lines add column preferred_channel text`.execute(db);
}
