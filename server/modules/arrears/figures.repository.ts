import { type RawBuilder, sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import { type FigureScope, householdIn } from '../../platform/db/figures.ts';

/**
 * Payment plans (reporting, issue 18): plans signed during the period, and the instalments due
 * during the period by status (met, missed, still pending). A plan has no agency of its own: the
 * registry's subquery of the agencies' households (`agencyHouseholds`) narrows them.
 */
export async function planFigures(trx: Tx, f: FigureScope, agencyHouseholds: RawBuilder<unknown> | null) {
  const agencies = agencyHouseholds ? sql`and (p.organisation_id, p.household_id) in (${agencyHouseholds})` : sql``;
  const [signed] = (
    await sql<{ n: number }>`
      select count(*)::int as n from payment_plans p
      where p.signed_on between ${f.from}::date and ${f.to}::date and ${householdIn(sql.ref('p.household_id'), f)} ${agencies}`.execute(trx)
  ).rows;
  const instalments = await sql<{ status: 'pending' | 'met' | 'missed'; n: number }>`
    select i.status, count(*)::int as n from plan_instalments i join payment_plans p on p.organisation_id = i.organisation_id and p.id = i.plan_id
    where i.due_on between ${f.from}::date and ${f.to}::date and p.status <> 'cancelled' and ${householdIn(sql.ref('p.household_id'), f)} ${agencies}
    group by i.status`.execute(trx);
  const by = (s: string) => instalments.rows.find((x) => x.status === s)?.n ?? 0;
  return { signed: signed?.n ?? 0, met: by('met'), missed: by('missed'), pending: by('pending') };
}
