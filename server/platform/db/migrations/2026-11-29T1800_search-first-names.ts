// Why: the search box finds a first name typed alone (« genevieve », issue 11). A nearest-word
// scan of the « first last » trigram index costs seconds when nothing is near (a street typed
// without « rue »), and an index on an expression of the name is not used under row-level
// security (the function is not leakproof); the normalised « first last » (`search_name`) read
// as a byte range (« genevieve » then a space) is.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index persons_search_name_prefix_idx on persons (organisation_id, (search_name collate "C"))`.execute(db);
}
