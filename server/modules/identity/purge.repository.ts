/** What the retention purge (TRUST DP-02) removes from the accounts' security data: spent tokens and recovery codes. */
import { sql } from 'kysely';
import { changed, type Expiry, expired, type PurgeTarget } from '../../platform/db/purge.ts';

// A token is spent once used or expired; an unused recovery code is a live credential and stays.
const tokenExpired = (e: Expiry) => expired(e, sql`t.created_at`, sql`coalesce(t.used_at, t.expires_at)`);
const codeExpired = (e: Expiry) => sql`c.used_at is not null and ${expired(e, sql`c.used_at`, sql`c.used_at`)}`;

export const identityPurgeTargets: PurgeTarget[] = [
  {
    table: 'user_tokens',
    purpose: 'security',
    action: 'delete',
    label: 'Jetons d’invitation et de réinitialisation utilisés ou expirés',
    purge: (trx, e) => changed(trx, sql`delete from user_tokens t where ${tokenExpired(e)}`),
  },
  {
    table: 'user_recovery_codes',
    purpose: 'security',
    action: 'delete',
    label: 'Codes de secours utilisés',
    purge: (trx, e) => changed(trx, sql`delete from user_recovery_codes c where ${codeExpired(e)}`),
  },
];
