/** What the retention purge (TRUST DP-02) removes from the follow-ups: the fragility purpose ends when a follow-up is closed. */
import { sql } from 'kysely';
import { deleteExpired, type PurgeTarget } from '../../platform/db/purge.ts';

export const followupsPurgeTargets: PurgeTarget[] = [
  {
    table: 'followups',
    purpose: 'fragility_register',
    action: 'delete',
    label: 'Suivis clos (besoin, résolution)',
    purge: (trx, e) => deleteExpired(trx, e, { table: 'followups', alias: 'f', recorded: sql`f.created_at`, ended: sql`f.closed_at` }),
  },
];

/**
 * Whether a follow-up still rests on a call attempt, as an SQL fragment on an attempt id column:
 * the calls purge anonymises such an attempt instead of deleting it (the follow-up would go with it).
 */
export function followupRestsOn(attemptId: string) {
  return sql`exists (select 1 from followups f where f.attempt_id = ${sql.ref(attemptId)})`;
}
