/**
 * What the retention purge (TRUST DP-02) removes from the audit trail: events older than the
 * security rule. The trail is append-only for the application role, so the deletion goes through
 * `lien_purge_audit` (migrations 2026-12-01T0900_retention and T1200_audit-floor-by-rule), which
 * deletes the current organisation's events only and refuses a cut-off younger than the
 * organisation's security rule (`lien_audit_kept_from()`: twelve months by default, six at least).
 */
import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import type { Expiry, PurgeTarget } from '../db/purge.ts';

// The preview runs at the next purge's time (hours ahead): the cut-off is held to the one the function allows.
async function purgeAudit(trx: Tx, e: Expiry): Promise<number> {
  const r = await sql<{ n: string }>`select lien_purge_audit(least(${e.before}::timestamptz, lien_audit_kept_from())) as n`.execute(trx);
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
