/**
 * What the retention purge (TRUST DP-02) removes from the requests of persons about their data:
 * a request answered (or carried out) is the proof that the organisation answered within the
 * legal month; it is kept as long as the rental management rule says after the answer (five years
 * by default, the civil limitation period during which the answer may be contested), then deleted.
 * An open request is never purged.
 */
import { sql } from 'kysely';
import { changed, type Expiry, expired, type PurgeTarget } from '../../platform/db/purge.ts';

const requestExpired = (e: Expiry) => sql`r.status = 'answered' and ${expired(e, sql`r.recorded_at`, sql`coalesce(r.executed_at, r.answered_at)`)}`;

export const privacyPurgeTargets: PurgeTarget[] = [
  {
    table: 'subject_requests',
    purpose: 'rental_management',
    action: 'delete',
    label: 'Demandes sur les données répondues (preuve de la réponse)',
    purge: (trx, e) => changed(trx, sql`delete from subject_requests r where ${requestExpired(e)}`),
  },
];
