// Why: household lists sort names in French order (`collate "fr-FR-x-icu"`: « Émilie » among the
// E's, issue 11); an index on the default collation cannot serve that sort, so the list of a large
// registry would sort every household for each page. Same index, in the order the lists use.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists households_org_holder_idx`.execute(db);
  await sql`create index households_org_holder_idx on households (organisation_id, status, (holder_name collate "fr-FR-x-icu"), id)`.execute(db);
}
