/** What the retention purge (TRUST DP-02) removes from the sessions: ended or abandoned sign-ins. */
import { sql } from 'kysely';
import { changed, type Expiry, expired, type PurgeTarget } from '../db/purge.ts';

// A live session's last activity moves on; one that ended (or was abandoned) keeps its last moment.
const sessionExpired = (e: Expiry) => expired(e, sql`s.created_at`, sql`coalesce(s.ended_at, s.last_seen_at)`);

export const authPurgeTargets: PurgeTarget[] = [
  {
    table: 'sessions',
    purpose: 'security',
    action: 'delete',
    label: 'Sessions de connexion terminées',
    purge: (trx, e) => changed(trx, sql`delete from sessions s where ${sessionExpired(e)}`),
  },
];
