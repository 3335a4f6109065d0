// Why (issue 12): an e-mail or phone that the landlord's ERP no longer exports stayed in Lien for
// ever, and was still used for calls and messages. An ERP contact that a full export drops, or
// whose value the ERP changed, is now ended (`ended_at`), kept as history, never deleted; only
// current contacts (ended_at null) are shown as current and used. One current contact per
// person, kind and source: the slot index becomes partial so ended ones can pile up.
// Import lines keep the values set aside (a bad phone or e-mail no longer rejects the person:
// the line is imported without the value, and the warning is reported).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table contact_points add column ended_at timestamptz;
    drop index contact_points_slot_idx;
    create unique index contact_points_slot_idx on contact_points (organisation_id, person_id, kind, source) where ended_at is null;
    alter table import_lines add column warnings jsonb;
  `.execute(db);
}
