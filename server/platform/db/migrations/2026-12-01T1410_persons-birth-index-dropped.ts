// Why (issue 12, import speed): persons (organisation_id, birth_date) served the age filters
// when they read persons; since households keep their oldest birth date (indexed with their
// status, 2026-12-01T0200), no query filters or sorts persons by birth date across the
// organisation (within a household they are read through (organisation_id, household_id,
// person_key)). One index less for every person an import writes.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index persons_birth_idx`.execute(db);
}
