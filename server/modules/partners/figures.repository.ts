import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import { agencyIn, type FigureScope, householdIn, inPeriod } from '../../platform/db/figures.ts';

/**
 * Referrals sent during the period (reporting, issue 18) by where the partner's answer stands now,
 * and how many were acknowledged late or are still waiting past their acknowledgement date.
 */
export async function referralFigures(trx: Tx, f: FigureScope, now: Date) {
  const r = await sql<{ status: string; n: number; late: number }>`
    select x.status, count(*)::int as n,
      count(*) filter (where coalesce(x.acknowledged_at, ${now}::timestamptz) > x.ack_due_at)::int as late
    from referrals x
    where ${inPeriod(sql.ref('x.sent_at'), f)} and ${agencyIn(sql.ref('x.agency_id'), f)} and ${householdIn(sql.ref('x.household_id'), f)}
    group by x.status`.execute(trx);
  return r.rows;
}
