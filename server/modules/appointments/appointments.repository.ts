/** SQL of the appointments module (tables appointment_slots, appointment_bookings, appointment_waitlist). */
import { sql } from 'kysely';
import type { AppointmentReason, BookingStatus } from '../../../contracts/appointments.ts';
import type { Tx } from '../../platform/db/database.ts';
import { agencyNameOf } from '../identity/index.ts';
import { householdHolderOf, householdRefOf } from '../registry/index.ts';

/** Statuses that hold a seat (a marked booking still took its seat). */
export const SEAT_HOLDING: readonly BookingStatus[] = ['booked', 'attended', 'no_show'];

export type SlotRow = {
  id: string;
  agency_id: string;
  starts_at: Date;
  ends_at: Date;
  capacity: number;
  reasons: AppointmentReason[];
  address: string;
  status: 'open' | 'closed';
};

export type NewSlot = {
  agencyId: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  reasons: readonly AppointmentReason[];
  address: string;
  seriesId: string | null;
  createdBy: string | null;
};

export async function insertSlots(trx: Tx, slots: readonly NewSlot[]): Promise<string[]> {
  if (!slots.length) return [];
  const rows = await trx
    .insertInto('appointment_slots')
    .values(
      slots.map((s) => ({
        organisation_id: sql<string>`lien_current_org()`,
        agency_id: s.agencyId,
        starts_at: s.startsAt,
        ends_at: s.endsAt,
        capacity: s.capacity,
        reasons: sql<string[]>`${[...s.reasons]}::text[]`,
        address: s.address,
        series_id: s.seriesId,
        created_by: s.createdBy,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

const slotColumns = ['id', 'agency_id', 'starts_at', 'ends_at', 'capacity', 'reasons', 'address', 'status'] as const;

/** A slot; `lock` takes its row lock (every change of its seats holds it: the capacity is counted under it). */
export async function slotById(trx: Tx, id: string, lock = false): Promise<SlotRow | undefined> {
  let q = trx.selectFrom('appointment_slots').select(slotColumns).where('id', '=', id);
  if (lock) q = q.forUpdate();
  return (await q.executeTakeFirst()) as SlotRow | undefined;
}

/** Locks several slots in one order (by id), so two moves in opposite directions cannot deadlock. */
export async function lockSlots(trx: Tx, ids: readonly string[]): Promise<void> {
  await sql`select id from appointment_slots where id = any(${[...ids]}::uuid[]) order by id for update`.execute(trx);
}

export async function closeSlot(trx: Tx, id: string, at: Date) {
  await trx.updateTable('appointment_slots').set({ status: 'closed', closed_at: at }).where('id', '=', id).execute();
}

/**
 * Seats taken in a slot, by every household: through `lien_slot_seats` (security definer, counts
 * only), since a tenant's transaction sees only its own household's bookings (ADR 0023).
 */
export async function seatsTaken(trx: Tx, slotId: string): Promise<number> {
  const r = await sql<{ taken: number }>`select taken from lien_slot_seats(${slotId}::uuid)`.execute(trx);
  return Number(r.rows[0]?.taken ?? 0);
}

export type BookingRow = {
  id: string;
  slot_id: string;
  household_id: string;
  person_id: string | null;
  reason: AppointmentReason;
  status: BookingStatus;
  via_waiting_list: boolean;
};
const bookingColumns = ['id', 'slot_id', 'household_id', 'person_id', 'reason', 'status', 'via_waiting_list'] as const;

export async function activeBookingOf(trx: Tx, slotId: string, householdId: string): Promise<BookingRow | undefined> {
  return (await trx
    .selectFrom('appointment_bookings')
    .select(bookingColumns)
    .where('slot_id', '=', slotId)
    .where('household_id', '=', householdId)
    .where('status', 'in', SEAT_HOLDING)
    .executeTakeFirst()) as BookingRow | undefined;
}

export async function bookingById(trx: Tx, id: string): Promise<BookingRow | undefined> {
  return (await trx.selectFrom('appointment_bookings').select(bookingColumns).where('id', '=', id).executeTakeFirst()) as BookingRow | undefined;
}

export async function insertBooking(
  trx: Tx,
  b: { slotId: string; householdId: string; personId: string | null; reason: AppointmentReason; viaWaitingList: boolean },
): Promise<string> {
  const r = await trx
    .insertInto('appointment_bookings')
    .values({
      organisation_id: sql<string>`lien_current_org()`,
      slot_id: b.slotId,
      household_id: b.householdId,
      person_id: b.personId,
      reason: b.reason,
      via_waiting_list: b.viaWaitingList,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Ends or marks a booking; `markedBy` for staff's « venu » / « absent ». */
export async function setBookingStatus(trx: Tx, id: string, status: BookingStatus, at: Date, markedBy: string | null = null) {
  await trx.updateTable('appointment_bookings').set({ status, ended_at: at, marked_by: markedBy }).where('id', '=', id).execute();
}

/** The bookings still holding a seat in a slot (to cancel them when the agency closes it). */
export async function bookedIn(trx: Tx, slotId: string): Promise<BookingRow[]> {
  return (await trx
    .selectFrom('appointment_bookings')
    .select(bookingColumns)
    .where('slot_id', '=', slotId)
    .where('status', '=', 'booked')
    .execute()) as BookingRow[];
}

export type WaitingRow = { id: string; slot_id: string; household_id: string; person_id: string | null; reason: AppointmentReason };

export async function joinWaitlist(trx: Tx, w: { slotId: string; householdId: string; personId: string | null; reason: AppointmentReason }) {
  const r = await trx
    .insertInto('appointment_waitlist')
    .values({ organisation_id: sql<string>`lien_current_org()`, slot_id: w.slotId, household_id: w.householdId, person_id: w.personId, reason: w.reason })
    .onConflict((oc) => oc.columns(['slot_id', 'household_id']).where('status', '=', 'waiting').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

/** The first household waiting for this slot (the slot's lock is held: nobody else takes it meanwhile). */
export async function firstWaiting(trx: Tx, slotId: string): Promise<WaitingRow | undefined> {
  return (await trx
    .selectFrom('appointment_waitlist')
    .select(['id', 'slot_id', 'household_id', 'person_id', 'reason'])
    .where('slot_id', '=', slotId)
    .where('status', '=', 'waiting')
    .orderBy('joined_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()) as WaitingRow | undefined;
}

export async function waitingById(trx: Tx, id: string) {
  return (await trx
    .selectFrom('appointment_waitlist')
    .select(['id', 'slot_id', 'household_id', 'person_id', 'reason', 'status'])
    .where('id', '=', id)
    .executeTakeFirst()) as (WaitingRow & { status: string }) | undefined;
}

export async function endWaiting(trx: Tx, id: string, status: 'booked' | 'left', at: Date, bookingId: string | null = null) {
  await trx.updateTable('appointment_waitlist').set({ status, ended_at: at, booking_id: bookingId }).where('id', '=', id).execute();
}

/** Everyone still waiting for a slot (closing the slot ends their wait). */
export async function waitingIn(trx: Tx, slotId: string) {
  return trx.selectFrom('appointment_waitlist').select(['id', 'household_id']).where('slot_id', '=', slotId).where('status', '=', 'waiting').execute();
}

export type SlotWithSeats = SlotRow & { taken: number; waiting: number };

/** Slots of an agency in [from, to), with seats taken and the length of their waiting list (counted for all households, `lien_slot_seats`). */
export async function slotsOf(trx: Tx, q: { agencyId: string; from: Date; to: Date; openOnly?: boolean }): Promise<SlotWithSeats[]> {
  const r = await sql<SlotWithSeats>`
    select s.id, s.agency_id, s.starts_at, s.ends_at, s.capacity, s.reasons, s.address, s.status,
      c.taken, c.waiting
    from appointment_slots s cross join lateral lien_slot_seats(s.id) c
    where s.agency_id = ${q.agencyId} and s.starts_at >= ${q.from} and s.starts_at < ${q.to}
      ${q.openOnly ? sql`and s.status = 'open'` : sql``}
    order by s.starts_at, s.id`.execute(trx);
  return r.rows;
}

export type CalendarBookingRow = BookingRow & { erp_ref: string; holder: string | null };

/** The bookings of some slots with the household's reference and holder (the staff calendar). */
export async function bookingsOfSlots(trx: Tx, slotIds: readonly string[]): Promise<CalendarBookingRow[]> {
  if (!slotIds.length) return [];
  const r = await sql<CalendarBookingRow>`
    select b.id, b.slot_id, b.household_id, b.person_id, b.reason, b.status, b.via_waiting_list,
      ${householdRefOf(sql.ref('b.household_id'))} as erp_ref, ${householdHolderOf(sql.ref('b.household_id'))} as holder
    from appointment_bookings b
    where b.slot_id = any(${[...slotIds]}::uuid[]) and b.status in ('booked', 'attended', 'no_show')
    order by b.created_at, b.id`.execute(trx);
  return r.rows;
}

export type HouseholdAppointmentRow = {
  id: string;
  kind: 'booking' | 'waiting';
  slot_id: string;
  starts_at: Date;
  ends_at: Date;
  address: string;
  reason: AppointmentReason;
  status: string;
  at: Date;
  agency: string;
};

/** A household's bookings and waiting entries, newest slot first (the tenant's list, the timeline). */
export async function appointmentsOfHousehold(trx: Tx, householdId: string, opts: { upcomingFrom?: Date } = {}): Promise<HouseholdAppointmentRow[]> {
  const after = opts.upcomingFrom ? sql`and s.starts_at >= ${opts.upcomingFrom}` : sql``;
  const r = await sql<HouseholdAppointmentRow>`
    select * from (
      select b.id, 'booking' as kind, b.slot_id, s.starts_at, s.ends_at, s.address, b.reason, b.status, coalesce(b.ended_at, b.created_at) as at,
        ${agencyNameOf(sql.ref('s.agency_id'))} as agency
      from appointment_bookings b join appointment_slots s on s.organisation_id = b.organisation_id and s.id = b.slot_id
      where b.household_id = ${householdId} ${after}
      union all
      select w.id, 'waiting', w.slot_id, s.starts_at, s.ends_at, s.address, w.reason, w.status, coalesce(w.ended_at, w.joined_at),
        ${agencyNameOf(sql.ref('s.agency_id'))}
      from appointment_waitlist w join appointment_slots s on s.organisation_id = w.organisation_id and s.id = w.slot_id
      where w.household_id = ${householdId} ${after}
    ) x order by starts_at desc, id`.execute(trx);
  return r.rows;
}

export type ReminderRow = { id: string; household_id: string; reason: AppointmentReason; starts_at: Date; address: string; agency: string };

/** Bookings still to remind whose slot starts in [from, to) (the day before's reminders). */
export async function bookingsToRemind(trx: Tx, from: Date, to: Date, limit: number): Promise<ReminderRow[]> {
  const r = await sql<ReminderRow>`
    select b.id, b.household_id, b.reason, s.starts_at, s.address, ${agencyNameOf(sql.ref('s.agency_id'))} as agency
    from appointment_bookings b join appointment_slots s on s.organisation_id = b.organisation_id and s.id = b.slot_id
    where b.status = 'booked' and b.reminded_at is null and s.status = 'open' and s.starts_at >= ${from} and s.starts_at < ${to}
    order by s.starts_at, b.id limit ${limit}`.execute(trx);
  return r.rows;
}

export async function markReminded(trx: Tx, ids: readonly string[], at: Date) {
  if (!ids.length) return;
  await trx.updateTable('appointment_bookings').set({ reminded_at: at }).where('id', 'in', ids).execute();
}

/** Right of access (TRUST DP-06): the household's rows of the module's tables. */
export async function appointmentRowsOf(trx: Tx, householdId: string) {
  return {
    appointment_bookings: await trx.selectFrom('appointment_bookings').selectAll().where('household_id', '=', householdId).orderBy('created_at').execute(),
    appointment_waitlist: await trx.selectFrom('appointment_waitlist').selectAll().where('household_id', '=', householdId).orderBy('joined_at').execute(),
  };
}

/** The agency's name (the confirmation names it). */
export async function agencyLabel(trx: Tx, agencyId: string): Promise<string> {
  const r = await sql<{ name: string | null }>`select ${agencyNameOf(sql`${agencyId}::uuid`)} as name`.execute(trx);
  return r.rows[0]?.name ?? '';
}

/** Erasure of a household's appointments (TRUST DP-07); the counts deleted per table. */
export async function eraseAppointmentsOf(trx: Tx, householdId: string) {
  const w = await trx.deleteFrom('appointment_waitlist').where('household_id', '=', householdId).executeTakeFirst();
  const b = await trx.deleteFrom('appointment_bookings').where('household_id', '=', householdId).executeTakeFirst();
  return { appointment_waitlist: Number(w.numDeletedRows), appointment_bookings: Number(b.numDeletedRows) };
}
