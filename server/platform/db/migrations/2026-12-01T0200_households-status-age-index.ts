// Why (issue 10, « no regression of the household lists »): the exact total of an age-filtered
// list (« aged 70 or more », alone or with « lives alone ») counted through
// (organisation_id, oldest_birth_date) and then visited half the households' heap pages to check
// their status and read their id. The same index with the status before the age, and the id
// carried, answers that count from the index alone (the visibility map is set by vacuum), and
// gives the household ids the « lives alone » semi-join needs. It replaces the old one (every
// list filters on the status, so nothing else needs it): one households index as before for the
// import to maintain. Measured on 500,000 households (backend CPU per count, docs/benchmarks.md).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index households_org_oldest_idx;
    create index households_org_status_oldest_idx on households (organisation_id, status, oldest_birth_date) include (id);
  `.execute(db);
}
