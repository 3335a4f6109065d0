// Why: two indexes repeated the first columns of another index of their table, so every import
// maintained them for nothing: persons (organisation, household) is the prefix of the unique
// (organisation, household, person key), contact points (organisation, person) of the unique
// (organisation, person, kind, source). Queries and foreign-key checks use the longer ones.
// (households (organisation, status) stays: the exact totals of the household lists count on
// it, a smaller index than the list's (organisation, status, holder name, id) — dropping it
// made the list benchmark 2–3× slower.)
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index persons_household_idx;
    drop index contact_points_person_idx;
  `.execute(db);
}
