/** What the retention purge (TRUST DP-02) removes from the accounts' security data: spent tokens and recovery codes. */
import { sql } from 'kysely';
import { deleteExpired, type PurgeTarget } from '../../platform/db/purge.ts';

// A token is spent once used or expired; an unused recovery code is a live credential and stays.

export const identityPurgeTargets: PurgeTarget[] = [
  {
    table: 'user_tokens',
    purpose: 'security',
    action: 'delete',
    label: 'Jetons d’invitation et de réinitialisation utilisés ou expirés',
    purge: (trx, e) => deleteExpired(trx, e, { table: 'user_tokens', alias: 't', recorded: sql`t.created_at`, ended: sql`coalesce(t.used_at, t.expires_at)` }),
  },
  {
    table: 'user_recovery_codes',
    purpose: 'security',
    action: 'delete',
    label: 'Codes de secours utilisés',
    purge: (trx, e) =>
      deleteExpired(trx, e, { table: 'user_recovery_codes', alias: 'c', recorded: sql`c.used_at`, ended: sql`c.used_at`, where: sql`c.used_at is not null` }),
  },
];
