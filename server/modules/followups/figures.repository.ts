import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import { agencyIn, type FigureScope, householdIn, inPeriod } from '../../platform/db/figures.ts';

/** Needs heard during the period (reporting, issue 18), by need, with how many are closed now. */
export async function needFigures(trx: Tx, f: FigureScope) {
  const r = await sql<{ need: string; label: string; found: number; closed: number }>`
    select f.need, min(f.label) as label, count(*)::int as found, count(*) filter (where f.status = 'closed')::int as closed
    from followups f
    where ${inPeriod(sql.ref('f.created_at'), f)} and ${agencyIn(sql.ref('f.agency_id'), f)} and ${householdIn(sql.ref('f.household_id'), f)}
    group by f.need order by found desc, f.need`.execute(trx);
  return r.rows;
}

/**
 * Cases (reporting, issue 18): open now and overdue now (a task past its due day, as the home page
 * counts them), opened during the period, closed during the period by outcome.
 */
export async function caseFigures(trx: Tx, f: FigureScope, today: string) {
  const where = sql`${agencyIn(sql.ref('c.agency_id'), f)} and ${householdIn(sql.ref('c.household_id'), f)}`;
  const [now] = (
    await sql<{ open: number; overdue: number; opened: number }>`
      select count(*) filter (where c.status <> 'closed')::int as open,
        count(*) filter (where c.status <> 'closed' and exists (select 1 from case_tasks k where k.organisation_id = c.organisation_id and k.case_id = c.id
          and k.done_at is null and k.due_on < ${today}::date))::int as overdue,
        count(*) filter (where ${inPeriod(sql.ref('c.created_at'), f)})::int as opened
      from cases c where ${where}`.execute(trx)
  ).rows;
  const closed = await sql<{ outcome: string | null; n: number }>`
    select c.outcome, count(*)::int as n from cases c
    where c.status = 'closed' and ${inPeriod(sql.ref('c.closed_at'), f)} and ${where}
    group by c.outcome order by n desc`.execute(trx);
  return { open: now?.open ?? 0, overdue: now?.overdue ?? 0, opened: now?.opened ?? 0, closedBy: closed.rows };
}
