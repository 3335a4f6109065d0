/** SQL of outreach events at the foot of buildings (issue 17): the event, the contacts and their topics. */
import { sql } from 'kysely';
import type { OutreachTopic } from '../../../contracts/solidarity.ts';
import type { Tx } from '../../platform/db/database.ts';
import { type Scope, segmentHouseholds } from '../registry/index.ts';

export type EventDbRow = {
  id: string;
  residence_id: string;
  held_on: string;
  partner_ids: string[];
  staff_ids: string[];
  contacts: number;
  invitation_send_id: string | null;
};

const columns = sql`e.id, e.residence_id, e.invitation_send_id, to_char(e.held_on, 'YYYY-MM-DD') as held_on, e.partner_ids, e.staff_ids,
  (select count(*)::int from outreach_contacts c where c.event_id = e.id) as contacts`;

export async function insertEvent(trx: Tx, e: { residenceId: string; heldOn: string; partnerIds: string[]; staffIds: string[]; createdBy: string }) {
  const r = await sql<{ id: string }>`
    insert into outreach_events (organisation_id, residence_id, held_on, partner_ids, staff_ids, created_by)
    values (lien_current_org(), ${e.residenceId}, ${e.heldOn}, ${e.partnerIds}::uuid[], ${e.staffIds}::uuid[], ${e.createdBy}) returning id`.execute(trx);
  return r.rows[0]?.id as string;
}

export async function listEvents(trx: Tx): Promise<EventDbRow[]> {
  const r = await sql<EventDbRow>`select ${columns} from outreach_events e order by e.held_on desc, e.created_at desc limit 200`.execute(trx);
  return r.rows;
}

export async function eventById(trx: Tx, id: string, lock = false): Promise<EventDbRow | undefined> {
  const r = await sql<EventDbRow>`select ${columns} from outreach_events e where e.id = ${id} ${lock ? sql`for update of e` : sql``}`.execute(trx);
  return r.rows[0];
}

/** The households living in the residence, in the scope (the invitation's audience). */
export async function residenceHouseholds(trx: Tx, residenceId: string, scope: Scope): Promise<string[]> {
  const r = await sql<{ household_id: string }>`
    select s.household_id from (${segmentHouseholds({ residenceId, fragilityMatch: 'all', status: 'active' }, scope)}) s order by s.household_id`.execute(trx);
  return r.rows.map((x) => x.household_id);
}

/** The messaging send that carries the event's invitations. */
export async function setInvitationSend(trx: Tx, id: string, sendId: string) {
  await sql`update outreach_events set invitation_send_id = ${sendId} where id = ${id}`.execute(trx);
}

export async function insertContact(trx: Tx, c: { eventId: string; householdId: string | null; topics: OutreachTopic[]; casesOpened: number; by: string }) {
  const r = await sql<{ id: string }>`
    insert into outreach_contacts (organisation_id, event_id, household_id, topics, cases_opened, recorded_by)
    values (lien_current_org(), ${c.eventId}, ${c.householdId}, ${c.topics}::text[], ${c.casesOpened}, ${c.by}) returning id`.execute(trx);
  return r.rows[0]?.id as string;
}

export async function contactsOf(trx: Tx, eventId: string) {
  const r = await sql<{ household_id: string | null; topics: OutreachTopic[]; cases_opened: number }>`
    select household_id, topics, cases_opened from outreach_contacts where event_id = ${eventId}`.execute(trx);
  return r.rows;
}

/** A household's contacts at outreach events (right of access, TRUST DP-06). */
export async function outreachRowsOf(trx: Tx, householdId: string) {
  return { outreach_contacts: await trx.selectFrom('outreach_contacts').selectAll().where('household_id', '=', householdId).orderBy('recorded_at').execute() };
}

/** Erasure of a household's outreach contacts (TRUST DP-07); the count deleted. */
export async function eraseOutreachOf(trx: Tx, householdId: string): Promise<number> {
  const r = await trx.deleteFrom('outreach_contacts').where('household_id', '=', householdId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
