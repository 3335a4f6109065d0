/** What the retention purge (TRUST DP-02) removes from the doorstep visits: the campaign purpose's data, note included. */
import { sql } from 'kysely';
import { deleteExpired, type PurgeTarget } from '../../platform/db/purge.ts';
import { campaignClosedAt } from '../campaigns/index.ts';

export const doorstepPurgeTargets: PurgeTarget[] = [
  {
    table: 'doorstep_visits',
    purpose: 'campaign',
    action: 'delete',
    label: 'Visites à domicile (résultat, note)',
    purge: (trx, e) =>
      deleteExpired(trx, e, {
        table: 'doorstep_visits',
        alias: 'v',
        recorded: sql`v.created_at`,
        // A visit born of a delivery (issue 17) ends when it is made; one of a campaign, with the campaign.
        ended: sql`case when v.campaign_id is null then v.visited_at else ${campaignClosedAt('v.campaign_id')} end`,
      }),
  },
];

/** Whether a doorstep visit still belongs to a queue entry, as an SQL fragment on a target id column. */
export function visitBelongsTo(targetId: string) {
  return sql`exists (select 1 from doorstep_visits v where v.target_id = ${sql.ref(targetId)})`;
}
