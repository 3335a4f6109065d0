// Why (issue 12): the phone-end index (2026-11-30T1200) and the ended ERP contacts
// (2026-11-30T1100) came from two branches; a phone end must find only current contacts, as the
// phone-start search does, so the index leaves ended ones out like the search does.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index contact_points_digits_suffix_idx;
    create index contact_points_digits_suffix_idx on contact_points (organisation_id, (digits_reversed collate "C"))
      where kind in ('mobile', 'landline') and ended_at is null;
  `.execute(db);
}
