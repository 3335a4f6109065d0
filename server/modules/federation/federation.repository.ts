/**
 * The only file with the federation module's SQL: federation_members, federation_agreements,
 * federation_aggregates, federation_refreshes (issue 18, TRUST DP-14). The indicators themselves
 * are counted by the modules that own the data (indicator-sources.ts); nothing here names
 * another module's table. No statement joins two organisation-owned tables on anything but
 * `organisation_id` (ADR 0021): the federation reads its members, then their aggregates, apart.
 */
import { sql } from 'kysely';
import type { AggregateCell, IndicatorId } from '../../../contracts/indicators.ts';
import type { Tx } from '../../platform/db/database.ts';

/** A landlord by its slug (id and name only; security definer function of the migration). */
export async function landlordBySlug(trx: Tx, slug: string) {
  const r = await sql<{ id: string; name: string }>`select id, name from lien_landlord_by_slug(${slug})`.execute(trx);
  return r.rows[0];
}

export type MemberRow = { member_id: string; member_name: string; report_text: string; added_at: Date; removed_at: Date | null };

/** The federation's members (rows of the federation), removed ones included. */
export async function members(trx: Tx): Promise<MemberRow[]> {
  return trx
    .selectFrom('federation_members')
    .select(['member_id', 'member_name', 'report_text', 'added_at', 'removed_at'])
    .where('organisation_id', '=', sql<string>`lien_current_org()`)
    .orderBy('member_name')
    .execute();
}

/** Add (or bring back) a member. */
export async function addMember(trx: Tx, m: { memberId: string; memberName: string; federationName: string }) {
  await sql`insert into federation_members (organisation_id, member_id, member_name, federation_name)
    values (lien_current_org(), ${m.memberId}, ${m.memberName}, ${m.federationName})
    on conflict (organisation_id, member_id) do update set removed_at = null, member_name = excluded.member_name, added_at = now()`.execute(trx);
}

/** Remove a member: true when it was one. */
export async function removeMember(trx: Tx, memberId: string) {
  const r = await trx
    .updateTable('federation_members')
    .set({ removed_at: sql`now()` })
    .where('organisation_id', '=', sql<string>`lien_current_org()`)
    .where('member_id', '=', memberId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function setReportText(trx: Tx, memberId: string, text: string) {
  const r = await trx
    .updateTable('federation_members')
    .set({ report_text: text })
    .where('organisation_id', '=', sql<string>`lien_current_org()`)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export type AgreementRow = {
  organisation_id: string;
  federation_id: string;
  federation_name: string;
  indicators: string[];
  agreed_at: Date;
  left_at: Date | null;
};

/** Agreements visible to the transaction: a member's own, or (for a federation) its members'. */
export async function agreementsAbout(trx: Tx, side: 'member' | 'federation'): Promise<AgreementRow[]> {
  return trx
    .selectFrom('federation_agreements')
    .select(['organisation_id', 'federation_id', 'federation_name', 'indicators', 'agreed_at', 'left_at'])
    .where(side === 'member' ? 'organisation_id' : 'federation_id', '=', sql<string>`lien_current_org()`)
    .execute();
}

/** The federations that count the transaction's organisation among their members (their rows, read through `federation_members_member_reads`). */
export async function invitations(trx: Tx) {
  return trx
    .selectFrom('federation_members')
    .select(['organisation_id as federation_id', 'federation_name', 'added_at', 'removed_at'])
    .where('member_id', '=', sql<string>`lien_current_org()`)
    .execute();
}

/** The member's agreement with a federation (what it shares), or undefined. */
export async function ownAgreement(trx: Tx, federationId: string) {
  return trx
    .selectFrom('federation_agreements')
    .select(['indicators', 'left_at'])
    .where('organisation_id', '=', sql<string>`lien_current_org()`)
    .where('federation_id', '=', federationId)
    .executeTakeFirst();
}

export async function upsertAgreement(trx: Tx, a: { federationId: string; federationName: string; indicators: IndicatorId[] }) {
  await sql`insert into federation_agreements (organisation_id, federation_id, federation_name, indicators)
    values (lien_current_org(), ${a.federationId}, ${a.federationName}, ${a.indicators}::text[])
    on conflict (organisation_id, federation_id) do update
      set indicators = excluded.indicators, updated_at = now(), left_at = null,
        agreed_at = case when federation_agreements.left_at is null then federation_agreements.agreed_at else now() end`.execute(trx);
}

/** Leave: the agreement ends now and nothing stays shared. */
export async function leave(trx: Tx, federationId: string) {
  const r = await trx
    .updateTable('federation_agreements')
    .set({ left_at: sql`now()`, indicators: sql`'{}'::text[]`, updated_at: sql`now()` })
    .where('organisation_id', '=', sql<string>`lien_current_org()`)
    .where('federation_id', '=', federationId)
    .where('left_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** The member's aggregates for a federation are replaced (or dropped, with no cells). */
export async function replaceAggregates(trx: Tx, federationId: string, cells: AggregateCell[]) {
  await trx
    .deleteFrom('federation_aggregates')
    .where('organisation_id', '=', sql<string>`lien_current_org()`)
    .where('federation_id', '=', federationId)
    .execute();
  for (let i = 0; i < cells.length; i += 1000) {
    const chunk = cells.slice(i, i + 1000);
    await trx
      .insertInto('federation_aggregates')
      .values(
        chunk.map((c) => ({
          organisation_id: sql<string>`lien_current_org()`,
          federation_id: federationId,
          indicator_id: c.indicatorId,
          indicator_version: c.indicatorVersion,
          period: c.period,
          dimension: c.dimension,
          dimension_value: c.dimensionValue,
          value: c.value,
          suppressed: c.suppressed,
        })),
      )
      .execute();
  }
}

/** Drop the member's aggregates of the indicators it no longer shares with a federation. */
export async function dropAggregatesExcept(trx: Tx, federationId: string, shared: IndicatorId[]) {
  await sql`delete from federation_aggregates where organisation_id = lien_current_org() and federation_id = ${federationId}
    and not (indicator_id = any(${shared}::text[]))`.execute(trx);
}

export type AggregateRow = {
  organisation_id: string;
  period: string;
  dimension: string;
  dimension_value: string;
  value: number | null;
  suppressed: boolean;
  computed_at: Date;
};

/** The aggregates the federation reads: one indicator, some members, a range of months. */
export async function aggregates(trx: Tx, q: { indicatorId: IndicatorId; memberIds: string[]; from: string; to: string }): Promise<AggregateRow[]> {
  if (q.memberIds.length === 0) return [];
  const r = await sql<AggregateRow>`
    select a.organisation_id, to_char(a.period, 'YYYY-MM') as period, a.dimension, a.dimension_value, a.value, a.suppressed, a.computed_at
    from federation_aggregates a
    where a.federation_id = lien_current_org() and a.indicator_id = ${q.indicatorId}
      and a.period between ${`${q.from}-01`}::date and ${`${q.to}-01`}::date
      and a.organisation_id = any(${q.memberIds}::uuid[])`.execute(trx);
  return r.rows;
}

// ----- Refreshes -----

export async function newRefresh(trx: Tx) {
  const r = await trx.insertInto('federation_refreshes').values({ organisation_id: sql<string>`lien_current_org()` }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function setRefresh(
  trx: Tx,
  id: string,
  v: { status?: 'running' | 'done' | 'failed'; membersTotal?: number; membersDone?: number; error?: string },
) {
  await trx
    .updateTable('federation_refreshes')
    .set({
      ...(v.status ? { status: v.status } : {}),
      ...(v.membersTotal !== undefined ? { members_total: v.membersTotal } : {}),
      ...(v.membersDone !== undefined ? { members_done: v.membersDone } : {}),
      ...(v.error !== undefined ? { error: v.error.slice(0, 500) } : {}),
      ...(v.status === 'done' || v.status === 'failed' ? { finished_at: sql`now()` } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function latestRefresh(trx: Tx) {
  return trx
    .selectFrom('federation_refreshes')
    .select(['id', 'status', 'members_total', 'members_done', 'requested_at', 'finished_at'])
    .orderBy('requested_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function refreshById(trx: Tx, id: string) {
  return trx
    .selectFrom('federation_refreshes')
    .select(['id', 'status', 'members_total', 'members_done', 'requested_at', 'finished_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}
