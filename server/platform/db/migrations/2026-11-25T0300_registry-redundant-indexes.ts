// Why: three indexes repeated the first columns of another index of their table, so every
// import maintained them for nothing: persons (organisation, household) is the prefix of the
// unique (organisation, household, person key), contact points (organisation, person) of the
// unique (organisation, person, kind, source), households (organisation, status) of the list
// index (organisation, status, holder name, id). Queries and foreign-key checks use the longer ones.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index persons_household_idx;
    drop index contact_points_person_idx;
    drop index households_org_status_idx;
  `.execute(db);
}
