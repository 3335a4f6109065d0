// Why: an indicator added by hand on the household file is recorded with source `staff` (the
// contract already labels it « agent », as for contacts and needs), but the table's check
// constraint did not list it, so `POST /api/households/:id/indicators` always failed.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table vulnerability_indicators drop constraint vulnerability_indicators_source_check,
      add constraint vulnerability_indicators_source_check check (source in ('erp_import', 'call', 'caretaker', 'tenant', 'demo', 'staff'))
  `.execute(db);
}
