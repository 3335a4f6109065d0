/** What the retention purge (TRUST DP-02) removes from the outbox: messages done with (sent, delivered, failed, unknown or refused after a STOP), whatever their purpose; their delivery events go with them. */
import { sql } from 'kysely';
import { deleteExpired, type PurgeTarget } from '../db/purge.ts';

// A message is done once it has left or failed for good; the end of its purpose is its sending.

export const outboxPurgeTargets: PurgeTarget[] = [
  {
    table: 'messages',
    purpose: 'service_operation',
    action: 'delete',
    label: 'Messages envoyés ou en échec (SMS, e-mails)',
    purge: (trx, e) =>
      deleteExpired(trx, e, {
        table: 'messages',
        alias: 'm',
        recorded: sql`m.created_at`,
        ended: sql`coalesce(m.sent_at, m.created_at)`,
        where: sql`m.status in ('sent', 'delivered', 'delivered_locally', 'failed', 'unknown', 'opted_out')`,
      }),
  },
];
