import { type RawBuilder, sql } from 'kysely';

/**
 * What a module's figures are computed over (reporting, issue 18): a period of Paris days (both
 * ends included), the agencies (null: the whole organisation, RLS keeps it to the session's) and
 * optionally the households of a segment, their ids as the registry found them once for the
 * whole dashboard (a hashed `= any` per row, rather than the segment's query in every statement).
 * Each module counts its own tables with these fragments; no module reads another's tables.
 */
export type FigureScope = {
  from: string;
  to: string;
  agencies: readonly string[] | null;
  households: readonly string[] | null;
};

/** `column` falls within the period (Paris midnight of `from` to the next Paris midnight after `to`). */
export const inPeriod = (column: RawBuilder<unknown>, f: Pick<FigureScope, 'from' | 'to'>) =>
  sql`${column} >= (${f.from}::date)::timestamp at time zone 'Europe/Paris' and ${column} < (${f.to}::date + 1)::timestamp at time zone 'Europe/Paris'`;

/** `column` (an agency id) is one of the scope's agencies. */
export const agencyIn = (column: RawBuilder<unknown>, f: Pick<FigureScope, 'agencies'>) =>
  f.agencies ? sql`${column} = any(${f.agencies}::uuid[])` : sql`true`;

/** `column` (a household id) is one of the segment's households. */
export const householdIn = (column: RawBuilder<unknown>, f: Pick<FigureScope, 'households'>) =>
  f.households ? sql`${column} in (select unnest(${f.households}::uuid[]))` : sql`true`;
