/** What the retention purge (TRUST DP-02) removes from the doorstep visits: the campaign purpose's data, note included. */
import { sql } from 'kysely';
import { changed, type Expiry, expired, type PurgeTarget } from '../../platform/db/purge.ts';
import { campaignClosedAt } from '../campaigns/index.ts';

const visitExpired = (e: Expiry) => expired(e, sql`v.created_at`, campaignClosedAt('v.campaign_id'));

export const doorstepPurgeTargets: PurgeTarget[] = [
  {
    table: 'doorstep_visits',
    purpose: 'campaign',
    action: 'delete',
    label: 'Visites à domicile (résultat, note)',
    purge: (trx, e) => changed(trx, sql`delete from doorstep_visits v where ${visitExpired(e)}`),
  },
];

/** Whether a doorstep visit still belongs to a queue entry, as an SQL fragment on a target id column. */
export function visitBelongsTo(targetId: string) {
  return sql`exists (select 1 from doorstep_visits v where v.target_id = ${sql.ref(targetId)})`;
}
