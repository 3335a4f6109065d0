/** What the retention purge (TRUST DP-02) removes from the sessions: ended or abandoned sign-ins. */
import { sql } from 'kysely';
import { deleteExpired, type PurgeTarget } from '../db/purge.ts';

// A live session's last activity moves on; one that ended (or was abandoned) keeps its last moment.

export const authPurgeTargets: PurgeTarget[] = [
  {
    table: 'sessions',
    purpose: 'security',
    action: 'delete',
    label: 'Sessions de connexion terminées',
    purge: (trx, e) => deleteExpired(trx, e, { table: 'sessions', alias: 's', recorded: sql`s.created_at`, ended: sql`coalesce(s.ended_at, s.last_seen_at)` }),
  },
];
