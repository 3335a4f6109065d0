// Why (issue 13, TRUST DP-07): the DPO may refuse an erasure or an objection (a legal obligation
// to keep the data, a request that is manifestly unfounded or excessive — RGPD art. 12.5, 17.3,
// 21.1) but must tell the person why (art. 12.4). The refusal answers the request and keeps its
// reason, which the DPO's screen shows; a refused request is never carried out.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table subject_requests
      add column refusal_reason text check (length(refusal_reason) between 1 and 2000),
      add constraint subject_requests_refused check (refusal_reason is null or (status = 'answered' and executed_at is null and kind <> 'access'));
  `.execute(db);
}
