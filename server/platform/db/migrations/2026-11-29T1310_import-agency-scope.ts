// Why: a manager limited to some agencies may import, but only into those agencies. The import
// keeps the agencies of the manager who validates and confirms it (null: the whole organisation),
// so that the background jobs — which run without a session — reject the lines touching another
// agency's residences, units, households or leases, and mark missing only that scope's households.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table imports add column agency_ids uuid[]`.execute(db);
}
