/**
 * The shape of what a table owner gives the retention purge (TRUST DP-02, issue 13). Each owner
 * lists, in its `index.ts`, one target per table (or per kind of treatment) it can purge: which
 * purpose's rule applies, whether expired rows are deleted or irreversibly anonymised, and the
 * function that does it on the caller's transaction (the organisation's: RLS applies). The
 * retention module (server/modules/retention) decides the cut-off from the organisation's rule and
 * the order; the owner decides which of its dates is « recorded » and which is « ended ». The
 * preview runs the same functions and rolls back, so it counts exactly what the purge will do.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Purpose } from '../../../contracts/data-protection.ts';
import type { Config } from '../../config.ts';
import type { Tx } from './database.ts';
import type { TableName } from './tables.ts';

/**
 * Which rows have expired: those whose moment is before `before`. `recorded`: the day the row was
 * written (a fixed duration); `ended`: the end of what the row serves (follow-up closed, consent
 * withdrawn, household gone, campaign closed) — a row whose end has not come is never expired.
 */
export type Expiry = { basis: 'recorded' | 'ended'; before: Date };

/**
 * What a purge target may need besides its transaction: the organisation purged, and where files'
 * bytes live (platform/files removes a deleted file's bytes once the purge commits; null: left to
 * the sweep of orphaned bytes).
 */
export type PurgeContext = { organisationId: string; files: Pick<Config, 'LIEN_DATA_DIR'> | null };

/** One thing the purge can do to one table. Safe to run twice (the second run changes nothing). */
export type PurgeTarget = {
  table: TableName;
  purpose: Purpose;
  action: 'delete' | 'anonymise';
  /** What the rows are, in French, for the preview and the audit. */
  label: string;
  purge: (trx: Tx, e: Expiry, ctx: PurgeContext) => Promise<number>;
};

/** The condition « this row's moment is before the cut-off », from its recorded and its ended moment. */
export function expired(e: Expiry, recorded: RawBuilder<unknown>, ended: RawBuilder<unknown>) {
  return e.basis === 'recorded' ? sql`${recorded} < ${e.before}` : sql`${ended} < ${e.before}`;
}

/** The number of rows a data-changing statement touched. */
export async function changed(trx: Tx, statement: RawBuilder<unknown>): Promise<number> {
  const r = await statement.execute(trx);
  return Number(r.numAffectedRows ?? 0n);
}

/**
 * The statement most purge targets make: delete the rows of `table` (aliased `alias`, which the
 * date and condition fragments use) whose recorded or ended moment is before the cut-off, and
 * which match `where` when given; returns how many went. The owner still calls it from its own
 * purge target, naming its own table and dates.
 */
export function deleteExpired(
  trx: Tx,
  e: Expiry,
  t: { table: TableName; alias: string; recorded: RawBuilder<unknown>; ended: RawBuilder<unknown>; where?: RawBuilder<unknown> },
): Promise<number> {
  const due = expired(e, t.recorded, t.ended);
  return changed(trx, sql`delete from ${sql.table(t.table)} as ${sql.raw(t.alias)} where ${t.where ? sql`${t.where} and ${due}` : due}`);
}
