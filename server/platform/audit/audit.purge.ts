/**
 * What the retention purge (TRUST DP-02) removes from the audit trail: events older than the
 * security rule. The trail is append-only for the application role, so the deletion goes through
 * `lien_purge_audit` (migration 2026-12-01T0900_retention), which deletes the current
 * organisation's events only and refuses to keep less than six months.
 */
import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import type { Expiry, PurgeTarget } from '../db/purge.ts';

// The preview runs at the next purge's time (hours ahead): the cut-off is held to the six months the function requires.
async function purgeAudit(trx: Tx, e: Expiry): Promise<number> {
  const r = await sql<{ n: string }>`select lien_purge_audit(least(${e.before}::timestamptz, now() - interval '6 months')) as n`.execute(trx);
  return Number(r.rows[0]?.n ?? 0);
}

export const auditPurgeTargets: PurgeTarget[] = [
  {
    table: 'audit_events',
    purpose: 'security',
    action: 'delete',
    label: 'Événements du journal d’audit',
    purge: purgeAudit,
  },
];
