/** What the retention purge (TRUST DP-02) removes from the outbox: messages done with (sent or failed), whatever their purpose. */
import { sql } from 'kysely';
import { changed, type Expiry, expired, type PurgeTarget } from '../db/purge.ts';

// A message is done once it has left or failed for good; the end of its purpose is its sending.
const messageExpired = (e: Expiry) =>
  sql`m.status in ('sent', 'delivered_locally', 'failed', 'unknown') and ${expired(e, sql`m.created_at`, sql`coalesce(m.sent_at, m.created_at)`)}`;

export const outboxPurgeTargets: PurgeTarget[] = [
  {
    table: 'messages',
    purpose: 'service_operation',
    action: 'delete',
    label: 'Messages envoyés ou en échec (SMS, e-mails)',
    purge: (trx, e) => changed(trx, sql`delete from messages m where ${messageExpired(e)}`),
  },
];
