/**
 * Agency appointments (issue 16): the staff side (slots, calendar, « venu » / « absent », the
 * day's list) and the tenant side as functions taking the tenant's household (the portal's
 * session gives it). Every change of a slot's seats holds the slot's row lock: capacity is
 * counted and the seat taken under it, so concurrent bookings never exceed it (ADR 0023). A seat
 * freed (cancel, move) goes to the first household of the waiting list in the same transaction.
 */
import type { AppointmentReason, CalendarSlot, OpenSlotsBody, TenantAppointment, TenantSlot } from '../../../contracts/appointments.ts';
import { parisLocalToIso } from '../../../contracts/paris-time.ts';
import { HOUSEHOLD_IDS } from '../../platform/audit/accesses.ts';
import { type Actor, actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors/app-error.ts';
import { type Deps, nowOf } from '../deps.ts';
import { outsideHousehold, withTenant as withHousehold } from '../portal/index.ts';
import { householdAgencyOf, scopeOf } from '../registry/index.ts';
import * as repo from './appointments.repository.ts';
import { agencyPlace, notifyHousehold } from './notify.ts';

/** The tenant of the portal's session: their organisation, household and themselves. */
export type Tenant = { organisationId: string; householdId: string; personId: string };

/** How far ahead a tenant sees the slots of their agency. */
export const TENANT_HORIZON_DAYS = 42;
/** The longest weekly repetition staff may open at once. */
const MAX_WEEKS = 26;
const DAY_MS = 86_400_000;

const slotNotFound = () => notFound('Créneau', 'slot_not_found');
const bookingNotFound = () => notFound('Rendez-vous', 'booking_not_found');

/** The « plus de place » answer: a French 409 that offers the waiting list. */
export const slotFull = () =>
  new AppError(
    'slot_full',
    409,
    'Il n’y a plus de place sur ce créneau. Vous pouvez vous inscrire sur la liste d’attente : si une place se libère, elle vous sera réservée et vous serez prévenu·e.',
    { waitingList: true },
  );

const tenantActor = (ip: string | null): Actor => ({ userId: null, role: 'tenant', ip });

/** A Paris day and time as an instant. */
function parisInstant(day: string, time: string): Date {
  const iso = parisLocalToIso(`${day}T${time}`);
  if (!iso) throw invalid('date_invalid', `Date ou heure invalide : ${day} ${time}.`);
  return new Date(iso);
}

/** The next Paris day (« 2026-12-07 » → « 2026-12-08 »), calendar arithmetic on the date only. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function inScope(s: SessionContext, agencyId: string) {
  const scope = scopeOf(s);
  if (scope !== null && !scope.includes(agencyId)) throw forbidden();
}

// ————————————————————————————————————————— staff

/** Opens a slot, or one per week from `date` through `repeatUntil` (same weekday, same hours, Paris time). */
export async function openSlots(deps: Deps, s: SessionContext, body: OpenSlotsBody, ip: string) {
  inScope(s, body.agencyId);
  if (body.end <= body.start) throw invalid('slot_hours', 'L’heure de fin doit être après l’heure de début.');
  const last = body.repeatUntil ?? body.date;
  if (last < body.date) throw invalid('slot_period', 'La fin de la période doit être après le premier jour.');
  const days: string[] = [];
  for (let d = body.date; d <= last; d = addDays(d, 7)) days.push(d);
  if (days.length > MAX_WEEKS) throw invalid('slot_period', `Une période de ${MAX_WEEKS} semaines au plus à la fois.`);
  const now = nowOf(deps);
  const slots = days.map((day) => ({ startsAt: parisInstant(day, body.start), endsAt: parisInstant(day, body.end) }));
  if ((slots[0] as { startsAt: Date }).startsAt <= now) throw invalid('slot_past', 'Ce créneau est déjà passé : choisissez une date à venir.');
  return withSession(deps.database, s, async (trx) => {
    const seriesId = days.length > 1 ? crypto.randomUUID() : null;
    const ids = await repo.insertSlots(
      trx,
      slots.map((x) => ({
        ...x,
        agencyId: body.agencyId,
        capacity: body.capacity,
        reasons: body.reasons,
        address: body.address,
        seriesId,
        createdBy: s.userId,
      })),
    );
    await recordAudit(trx, actorOf(s, ip), {
      action: 'appointment.slots_opened',
      objectType: 'agency',
      objectId: body.agencyId,
      details: { slots: ids.length, capacity: body.capacity },
    });
    return { ids };
  });
}

/** Closes a slot: its bookings are cancelled and their households told, its waiting list ends. */
export async function closeSlot(deps: Deps, s: SessionContext, slotId: string, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const slot = await repo.slotById(trx, slotId, true);
    if (!slot) throw slotNotFound();
    inScope(s, slot.agency_id);
    if (slot.status === 'closed') throw conflict('slot_closed', 'Ce créneau est déjà fermé.');
    await repo.closeSlot(trx, slotId, now);
    const booked = await repo.bookedIn(trx, slotId);
    const agency = await repo.agencyLabel(trx, slot.agency_id);
    for (const b of booked) {
      await repo.setBookingStatus(trx, b.id, 'cancelled', now);
      if (slot.starts_at > now)
        await notifyHousehold(trx, deps.jobs, s.organisationId, {
          householdId: b.household_id,
          notice: 'closed_by_agency',
          key: b.id,
          startsAt: slot.starts_at,
          agency,
          address: slot.address,
          reason: b.reason,
        });
    }
    for (const w of await repo.waitingIn(trx, slotId)) await repo.endWaiting(trx, w.id, 'left', now);
    await recordAudit(trx, actorOf(s, ip), {
      action: 'appointment.slot_closed',
      objectType: 'appointment_slot',
      objectId: slotId,
      details: { cancelled: booked.length, [HOUSEHOLD_IDS]: booked.map((b) => b.household_id) },
    });
    return { cancelled: booked.length };
  });
}

/** The week from `from` (Paris day) of an agency: slots, seats, bookings with household and reason; the households shown are audited. */
export async function calendarWeek(deps: Deps, s: SessionContext, q: { agencyId: string; from: string }, ip: string): Promise<CalendarSlot[]> {
  inScope(s, q.agencyId);
  return calendar(deps, s, { agencyId: q.agencyId, from: q.from, days: 7 }, ip);
}

async function calendar(deps: Deps, s: SessionContext, q: { agencyId: string; from: string; days: number }, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const slots = await repo.slotsOf(trx, { agencyId: q.agencyId, from: parisInstant(q.from, '00:00'), to: parisInstant(addDays(q.from, q.days), '00:00') });
    const bookings = await repo.bookingsOfSlots(
      trx,
      slots.map((x) => x.id),
    );
    const households = [...new Set(bookings.map((b) => b.household_id))];
    await recordAudit(trx, actorOf(s, ip), {
      action: 'appointment.calendar_read',
      objectType: 'agency',
      objectId: q.agencyId,
      details: { from: q.from, days: q.days, [HOUSEHOLD_IDS]: households },
    });
    return slots.map((x) => ({
      id: x.id,
      startsAt: x.starts_at.toISOString(),
      endsAt: x.ends_at.toISOString(),
      capacity: x.capacity,
      taken: x.taken,
      waiting: x.waiting,
      reasons: x.reasons,
      address: x.address,
      status: x.status,
      bookings: bookings
        .filter((b) => b.slot_id === x.id)
        .map((b) => ({
          id: b.id,
          householdId: b.household_id,
          householdRef: b.erp_ref,
          holder: b.holder ?? '',
          reason: b.reason,
          status: b.status,
          viaWaitingList: b.via_waiting_list,
        })),
    }));
  });
}

/** One day's slots and bookings of an agency (the list to print). */
export async function dayList(deps: Deps, s: SessionContext, q: { agencyId: string; day: string }, ip: string) {
  inScope(s, q.agencyId);
  const slots = await calendar(deps, s, { agencyId: q.agencyId, from: q.day, days: 1 }, ip);
  const agency = await deps.database.withOrg({ organisationId: s.organisationId, userId: s.userId }, (trx) => repo.agencyLabel(trx, q.agencyId));
  return { agency, day: q.day, slots };
}

/** Staff mark a booking « venu » or « absent » (no-show). */
export async function markBooking(deps: Deps, s: SessionContext, bookingId: string, outcome: 'attended' | 'no_show', ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const b = await repo.bookingById(trx, bookingId);
    if (!b) throw bookingNotFound();
    const slot = await repo.slotById(trx, b.slot_id, true);
    if (!slot) throw bookingNotFound();
    inScope(s, slot.agency_id);
    if (!repo.SEAT_HOLDING.includes(b.status)) throw conflict('booking_ended', 'Ce rendez-vous a été annulé ou déplacé.');
    if (slot.starts_at.getTime() - now.getTime() > DAY_MS / 2) throw conflict('booking_not_yet', 'Ce rendez-vous n’a pas encore eu lieu.');
    await repo.setBookingStatus(trx, bookingId, outcome, now, s.userId);
    await recordAudit(trx, actorOf(s, ip), {
      action: 'appointment.marked',
      objectType: 'household',
      objectId: b.household_id,
      details: { bookingId, outcome },
    });
  });
}

// ————————————————————————————————————————— tenant

const asTenantSlot = (x: repo.SlotWithSeats): TenantSlot => ({
  id: x.id,
  startsAt: x.starts_at.toISOString(),
  endsAt: x.ends_at.toISOString(),
  seatsLeft: Math.max(0, x.capacity - x.taken),
  reasons: x.reasons,
  address: x.address,
});

/** The tenant's transaction: the database shows it only the household's bookings and waiting entries (ADR 0023). */
const withTenant = <T>(deps: Deps, t: Tenant, fn: (trx: Tx) => Promise<T>) => withHousehold(deps.database, t, fn);

/** The open slots of the household's agency, from now to the horizon; full ones too (seatsLeft 0: the waiting list). */
export async function tenantSlots(deps: Deps, t: Tenant): Promise<TenantSlot[]> {
  const now = nowOf(deps);
  return withTenant(deps, t, async (trx) => {
    const agencyId = await householdAgencyOf(trx, t.householdId);
    if (!agencyId) return [];
    const slots = await repo.slotsOf(trx, { agencyId, from: now, to: new Date(now.getTime() + TENANT_HORIZON_DAYS * DAY_MS), openOnly: true });
    return slots.map(asTenantSlot);
  });
}

/** The household's upcoming bookings and waiting entries. */
export async function tenantAppointments(deps: Deps, t: Tenant): Promise<TenantAppointment[]> {
  const now = nowOf(deps);
  return withTenant(deps, t, async (trx) =>
    (await repo.appointmentsOfHousehold(trx, t.householdId, { upcomingFrom: now }))
      .filter((a) => (a.kind === 'booking' ? a.status === 'booked' : a.status === 'waiting'))
      .reverse()
      .map((a) => ({
        id: a.id,
        kind: a.kind,
        slotId: a.slot_id,
        startsAt: a.starts_at.toISOString(),
        endsAt: a.ends_at.toISOString(),
        address: agencyPlace(a.agency, a.address),
        reason: a.reason,
        status: a.status,
      })),
  );
}

/**
 * A slot of the household's agency, open and to come, locked; else a 404 (another agency's slot
 * looks missing). `refuseIfFull`: a slot already full is refused before queueing for its lock (a
 * rush on the last seats does not wait in line only to hear « plus de place »); the count is
 * made again under the lock before a seat is taken.
 */
async function bookableSlot(trx: Tx, t: Tenant, slotId: string, now: Date, refuseIfFull = false) {
  const seen = await repo.slotById(trx, slotId);
  const agencyId = seen && (await householdAgencyOf(trx, t.householdId));
  if (!seen || seen.agency_id !== agencyId || seen.status !== 'open' || seen.starts_at <= now) throw slotNotFound();
  if (refuseIfFull && (await repo.seatsTaken(trx, slotId)) >= seen.capacity) throw slotFull();
  const slot = await repo.slotById(trx, slotId, true);
  if (slot?.status !== 'open') throw slotNotFound();
  return slot;
}

/** Takes a seat under the slot's lock (held by the caller): one per household, never past the capacity. */
async function takeSeat(
  trx: Tx,
  slot: repo.SlotRow,
  b: { householdId: string; personId: string | null; reason: AppointmentReason; viaWaitingList: boolean },
): Promise<string> {
  if (!slot.reasons.includes(b.reason))
    throw invalid('reason_not_offered', 'Ce créneau ne reçoit pas pour ce motif : choisissez un autre créneau ou un autre motif.');
  if (await repo.activeBookingOf(trx, slot.id, b.householdId)) throw conflict('already_booked', 'Votre ménage a déjà un rendez-vous sur ce créneau.');
  if ((await repo.seatsTaken(trx, slot.id)) >= slot.capacity) throw slotFull();
  return repo.insertBooking(trx, { slotId: slot.id, ...b });
}

/**
 * A freed seat goes to the households waiting, in their order, while seats are left (the slot's
 * lock is held): booked and told in the transaction that freed it. Returns the bookings made.
 * The system does it for other households: in a tenant's transaction, outside the household
 * narrowing (`outsideHousehold`, ADR 0023), which is set again afterwards.
 */
function giveFreedSeats(trx: Tx, deps: Deps, organisationId: string, slot: repo.SlotRow, now: Date): Promise<string[]> {
  return outsideHousehold(trx, () => handOffSeats(trx, deps, organisationId, slot, now));
}

async function handOffSeats(trx: Tx, deps: Deps, organisationId: string, slot: repo.SlotRow, now: Date): Promise<string[]> {
  const made: string[] = [];
  if (slot.status !== 'open' || slot.starts_at <= now) return made;
  const agency = await repo.agencyLabel(trx, slot.agency_id);
  for (;;) {
    if ((await repo.seatsTaken(trx, slot.id)) >= slot.capacity) break;
    const w = await repo.firstWaiting(trx, slot.id);
    if (!w) break;
    if (await repo.activeBookingOf(trx, slot.id, w.household_id)) {
      await repo.endWaiting(trx, w.id, 'left', now);
      continue;
    }
    const bookingId = await repo.insertBooking(trx, {
      slotId: slot.id,
      householdId: w.household_id,
      personId: w.person_id,
      reason: w.reason,
      viaWaitingList: true,
    });
    await repo.endWaiting(trx, w.id, 'booked', now, bookingId);
    await notifyHousehold(trx, deps.jobs, organisationId, {
      householdId: w.household_id,
      notice: 'waitlist_booked',
      key: bookingId,
      startsAt: slot.starts_at,
      agency,
      address: slot.address,
      reason: w.reason,
    });
    await recordAudit(
      trx,
      { userId: null, role: 'system', ip: null },
      {
        action: 'appointment.waitlist_booked',
        objectType: 'household',
        objectId: w.household_id,
        details: { bookingId, slotId: slot.id },
      },
    );
    made.push(bookingId);
  }
  return made;
}

/** Books one seat for the household; a full slot is the « plus de place » 409 offering the waiting list. */
export async function bookAppointment(deps: Deps, t: Tenant, input: { slotId: string; reason: AppointmentReason }, ip: string | null = null) {
  const now = nowOf(deps);
  return withTenant(deps, t, async (trx) => {
    const slot = await bookableSlot(trx, t, input.slotId, now, true);
    const id = await takeSeat(trx, slot, { householdId: t.householdId, personId: t.personId, reason: input.reason, viaWaitingList: false });
    const channel = await notifyHousehold(trx, deps.jobs, t.organisationId, {
      householdId: t.householdId,
      notice: 'confirmed',
      key: id,
      startsAt: slot.starts_at,
      agency: await repo.agencyLabel(trx, slot.agency_id),
      address: slot.address,
      reason: input.reason,
    });
    await recordAudit(trx, tenantActor(ip), { action: 'appointment.booked', objectType: 'household', objectId: t.householdId, details: { bookingId: id } });
    return { id, notifiedBy: channel };
  });
}

/** Joins a full slot's waiting list (a slot with a seat left is booked instead). */
export async function joinWaitingList(deps: Deps, t: Tenant, input: { slotId: string; reason: AppointmentReason }, ip: string | null = null) {
  const now = nowOf(deps);
  return withTenant(deps, t, async (trx) => {
    const slot = await bookableSlot(trx, t, input.slotId, now);
    if (!slot.reasons.includes(input.reason)) throw invalid('reason_not_offered', 'Ce créneau ne reçoit pas pour ce motif.');
    if (await repo.activeBookingOf(trx, slot.id, t.householdId)) throw conflict('already_booked', 'Votre ménage a déjà un rendez-vous sur ce créneau.');
    if ((await repo.seatsTaken(trx, slot.id)) < slot.capacity)
      throw conflict('slot_not_full', 'Il reste de la place sur ce créneau : réservez-la directement.');
    const id = await repo.joinWaitlist(trx, { slotId: slot.id, householdId: t.householdId, personId: t.personId, reason: input.reason });
    if (!id) throw conflict('already_waiting', 'Votre ménage est déjà sur la liste d’attente de ce créneau.');
    await recordAudit(trx, tenantActor(ip), {
      action: 'appointment.waitlist_joined',
      objectType: 'household',
      objectId: t.householdId,
      details: { slotId: slot.id },
    });
    return { id };
  });
}

/** Leaves a waiting list. */
export async function leaveWaitingList(deps: Deps, t: Tenant, waitingId: string, ip: string | null = null) {
  const now = nowOf(deps);
  return withTenant(deps, t, async (trx) => {
    const w = await repo.waitingById(trx, waitingId);
    if (!w || w.household_id !== t.householdId || w.status !== 'waiting') throw notFound('Inscription sur liste d’attente');
    await repo.endWaiting(trx, w.id, 'left', now);
    await recordAudit(trx, tenantActor(ip), {
      action: 'appointment.waitlist_left',
      objectType: 'household',
      objectId: t.householdId,
      details: { slotId: w.slot_id },
    });
  });
}

/** The household's own booking still to come, with its slot locked. */
async function ownBooking(trx: Tx, t: Tenant, bookingId: string, now: Date) {
  const b = await repo.bookingById(trx, bookingId);
  if (!b || b.household_id !== t.householdId) throw bookingNotFound();
  const slot = await repo.slotById(trx, b.slot_id, true);
  if (!slot) throw bookingNotFound();
  if (b.status !== 'booked') throw conflict('booking_ended', 'Ce rendez-vous est déjà annulé ou passé.');
  if (slot.starts_at <= now) throw conflict('booking_past', 'Ce rendez-vous a déjà commencé : il ne peut plus être annulé ni déplacé.');
  return { b, slot };
}

/** Cancels the household's booking; the freed seat goes to the waiting list in the same transaction. */
export async function cancelAppointment(deps: Deps, t: Tenant, bookingId: string, ip: string | null = null) {
  const now = nowOf(deps);
  return withTenant(deps, t, async (trx) => {
    const { b, slot } = await ownBooking(trx, t, bookingId, now);
    await repo.setBookingStatus(trx, b.id, 'cancelled', now);
    await notifyHousehold(trx, deps.jobs, t.organisationId, {
      householdId: t.householdId,
      notice: 'cancelled',
      key: b.id,
      startsAt: slot.starts_at,
      agency: await repo.agencyLabel(trx, slot.agency_id),
      address: slot.address,
      reason: b.reason,
    });
    await recordAudit(trx, tenantActor(ip), { action: 'appointment.cancelled', objectType: 'household', objectId: t.householdId, details: { bookingId } });
    const given = await giveFreedSeats(trx, deps, t.organisationId, slot, now);
    return { givenToWaitingList: given.length };
  });
}

/** Moves the booking to another slot of the agency (same reason): both slots locked in id order; the old seat goes to the waiting list. */
export async function moveAppointment(deps: Deps, t: Tenant, bookingId: string, input: { slotId: string }, ip: string | null = null) {
  const now = nowOf(deps);
  return withTenant(deps, t, async (trx) => {
    const first = await repo.bookingById(trx, bookingId);
    if (!first || first.household_id !== t.householdId) throw bookingNotFound();
    if (first.slot_id === input.slotId) throw invalid('move_same_slot', 'Choisissez un autre créneau que celui de votre rendez-vous.');
    await repo.lockSlots(trx, [first.slot_id, input.slotId]);
    const { b, slot: from } = await ownBooking(trx, t, bookingId, now);
    const to = await bookableSlot(trx, t, input.slotId, now);
    const id = await takeSeat(trx, to, { householdId: t.householdId, personId: t.personId, reason: b.reason, viaWaitingList: false });
    await repo.setBookingStatus(trx, b.id, 'moved', now);
    await notifyHousehold(trx, deps.jobs, t.organisationId, {
      householdId: t.householdId,
      notice: 'moved',
      key: id,
      startsAt: to.starts_at,
      agency: await repo.agencyLabel(trx, to.agency_id),
      address: to.address,
      reason: b.reason,
    });
    await recordAudit(trx, tenantActor(ip), { action: 'appointment.moved', objectType: 'household', objectId: t.householdId, details: { from: b.id, to: id } });
    const given = await giveFreedSeats(trx, deps, t.organisationId, from, now);
    return { id, givenToWaitingList: given.length };
  });
}
