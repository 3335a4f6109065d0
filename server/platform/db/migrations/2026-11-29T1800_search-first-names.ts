// Why: the search box finds a first name typed alone (« genevieve », issue 11). A nearest-word
// scan of the « first last » trigram index costs seconds when nothing is near (a street typed
// without « rue »), so first names are matched exactly (accents and case aside) with a btree.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index persons_first_name_idx on persons (organisation_id, lien_normalise(first_name))`.execute(db);
}
