import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import { agencyIn, type FigureScope, householdIn, inPeriod } from '../../platform/db/figures.ts';

/**
 * Deliveries settled during the period (reporting, issue 18), by how they ended: delivered, not
 * at home, refused. A delivery carries its household's agency.
 */
export async function deliveryFigures(trx: Tx, f: FigureScope) {
  const [row] = (
    await sql<{ done: number; not_home: number; refused: number }>`
      select count(*) filter (where d.status = 'done')::int as done, count(*) filter (where d.status = 'not_home')::int as not_home,
        count(*) filter (where d.status = 'refused')::int as refused
      from deliveries d
      where d.status <> 'assigned' and ${inPeriod(sql.ref('d.done_at'), f)} and ${agencyIn(sql.ref('d.agency_id'), f)} and ${householdIn(sql.ref('d.household_id'), f)}`.execute(
      trx,
    )
  ).rows;
  return { done: row?.done ?? 0, notHome: row?.not_home ?? 0, refused: row?.refused ?? 0 };
}

/**
 * Outreach events held during the period and the contacts recorded there (reporting, issue 18),
 * for the whole organisation (an event belongs to a residence, not to a household). With a
 * segment: the contacts of its households, and the events where at least one of them came.
 */
export async function outreachFigures(trx: Tx, f: Pick<FigureScope, 'from' | 'to' | 'households'>) {
  const [row] = (
    await sql<{ events: number; contacts: number }>`
      select count(distinct e.id) filter (where ${f.households ? sql`c.id is not null` : sql`true`})::int as events, count(c.id)::int as contacts
      from outreach_events e
      left join outreach_contacts c on c.organisation_id = e.organisation_id and c.event_id = e.id
        and ${f.households ? householdIn(sql.ref('c.household_id'), f) : sql`true`}
      where e.held_on between ${f.from}::date and ${f.to}::date`.execute(trx)
  ).rows;
  return { events: row?.events ?? 0, contacts: row?.contacts ?? 0 };
}

/**
 * Volunteers (reporting, issue 18): of these open volunteer accounts, how many paused themselves,
 * and how many settled a delivery during the period.
 */
export async function volunteerFigures(trx: Tx, f: Pick<FigureScope, 'from' | 'to'>, volunteerIds: readonly string[]) {
  const [row] = (
    await sql<{ paused: number; delivering: number }>`
      select (select count(*) from volunteer_profiles p where p.user_id = any(${[...volunteerIds]}::uuid[]) and p.paused_at is not null)::int as paused,
        (select count(distinct d.assignee_id) from deliveries d
          where d.assignee_id = any(${[...volunteerIds]}::uuid[]) and d.status <> 'assigned' and ${inPeriod(sql.ref('d.done_at'), f)})::int as delivering`.execute(
      trx,
    )
  ).rows;
  return { paused: row?.paused ?? 0, delivering: row?.delivering ?? 0 };
}
