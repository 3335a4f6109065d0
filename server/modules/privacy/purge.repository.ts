/**
 * What the retention purge (TRUST DP-02) removes from the requests of persons about their data:
 * a request answered (or carried out) is the proof that the organisation answered within the
 * legal month; it is kept as long as the rental management rule says after the answer (five years
 * by default, the civil limitation period during which the answer may be contested), then deleted.
 * An open request is never purged.
 */
import { sql } from 'kysely';
import { deleteExpired, type PurgeTarget } from '../../platform/db/purge.ts';

export const privacyPurgeTargets: PurgeTarget[] = [
  {
    table: 'subject_requests',
    purpose: 'rental_management',
    action: 'delete',
    label: 'Demandes sur les données répondues (preuve de la réponse)',
    purge: (trx, e) =>
      deleteExpired(trx, e, {
        table: 'subject_requests',
        alias: 'r',
        recorded: sql`r.recorded_at`,
        ended: sql`coalesce(r.executed_at, r.answered_at)`,
        where: sql`r.status = 'answered'`,
      }),
  },
];
