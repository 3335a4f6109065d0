import { sql } from 'kysely';
import type { Purpose } from '../../../contracts/data-protection.ts';
import type { EndKind } from '../../../contracts/retention.ts';
import type { Tx } from '../../platform/db/database.ts';

export type RuleRow = { purpose: Purpose; end_kind: EndKind; months: number; updated_at: Date };

/** The organisation's own rules (a purpose without a row uses the default). */
export async function ownRules(trx: Tx): Promise<RuleRow[]> {
  return trx.selectFrom('retention_rules').select(['purpose', 'end_kind', 'months', 'updated_at']).execute() as Promise<RuleRow[]>;
}

/** Sets the organisation's rule for a purpose. */
export async function upsertRule(trx: Tx, r: { purpose: Purpose; endKind: EndKind; months: number }): Promise<void> {
  await sql`insert into retention_rules (organisation_id, purpose, end_kind, months)
    values (lien_current_org(), ${r.purpose}, ${r.endKind}, ${r.months})
    on conflict (organisation_id, purpose) do update set end_kind = excluded.end_kind, months = excluded.months, updated_at = now()`.execute(trx);
}

/** Back to the default for a purpose; true when there was a rule of the organisation's own. */
export async function deleteRule(trx: Tx, purpose: Purpose): Promise<boolean> {
  const r = await trx.deleteFrom('retention_rules').where('purpose', '=', purpose).executeTakeFirst();
  return r.numDeletedRows > 0n;
}
