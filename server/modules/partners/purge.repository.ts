/** What the retention purge (TRUST DP-02) removes from the referrals: the referral purpose ends with the partner's report (or decline). */
import { sql } from 'kysely';
import { deleteExpired, type PurgeTarget } from '../../platform/db/purge.ts';

export const partnersPurgeTargets: PurgeTarget[] = [
  {
    table: 'referrals',
    purpose: 'referral',
    action: 'delete',
    label: 'Orientations terminées (champs transmis, réponses du partenaire)',
    purge: (trx, e) =>
      deleteExpired(trx, e, {
        table: 'referrals',
        alias: 'r',
        recorded: sql`r.sent_at`,
        ended: sql`case when r.status = 'reported' then r.reported_at when r.status = 'declined' then r.answered_at end`,
      }),
  },
];
