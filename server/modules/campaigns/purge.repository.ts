import { sql } from 'kysely';

/**
 * When a campaign closed (null while it runs), as an SQL expression on a campaign id column:
 * the end of the campaign purpose for the queue, calls and visits of the modules above (TRUST DP-02).
 */
export function campaignClosedAt(campaignId: string) {
  return sql`(select c.closed_at from campaigns c where c.id = ${sql.ref(campaignId)} and c.status = 'closed')`;
}
