// Why (issue 13, TRUST DP-06): the right-of-access export reads a person's contacts by person
// (`registryRowsOf`, then `contactValuesOf` for their messages). The index on (organisation_id,
// person_id) was dropped as redundant with the contact slot's unique index (migration
// 2026-11-25T0300), which migration 2026-11-30T1100 then made partial (current contacts only):
// since then a person's contacts, ended ones included, were found by reading every contact of the
// organisation — 0.55 s per read at 1,000,000 contacts (EXPLAIN on the access-export bench), twice
// per export. The plain index comes back.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index contact_points_person_idx on contact_points (organisation_id, person_id)`.execute(db);
}
