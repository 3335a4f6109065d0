// Agency appointments (issue 16): slots opened by the agency's managers, bookings by tenants
// (service functions: the portal's session gives the household), never past a slot's capacity
// even under concurrency, a waiting list served in the freeing transaction, confirmations and the
// day-before reminder through the outbox, the staff calendar (« venu » / « absent », the day's list)
// and the household timeline.
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject as injected, it } from 'vitest';
import { parisLocalToIso } from '../../../contracts/paris-time.ts';
import { openDatabase } from '../../platform/db/database.ts';
import { runMaintenance } from '../../platform/jobs/maintenance.ts';
import { parisToday } from '../../platform/time.ts';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg } from '../../test/harness.ts';
import { outsideHousehold, withTenant } from '../portal/index.ts';
import { importFile } from '../registry/index.ts';
import { addDays } from './appointments.service.ts';
import { dayListLines } from './day-list.ts';
import {
  appointmentReminders,
  bookAppointment,
  cancelAppointment,
  joinWaitingList,
  moveAppointment,
  type Tenant,
  tenantAppointments,
  tenantSlots,
} from './index.ts';

let h: Harness;
let org: TestOrg;
let managerA1 = '';
let managerA2 = '';
let staffA1 = '';
/** 24 households of agency A1 (mobiles; `t(i)` is BA1-<i+1>, mobile +336 12 34 <51+i> 01), one of A1 with an e-mail only, one of agency A2. */
let tenants: Tenant[] = [];
let emailOnly: Tenant;
let otherAgency: Tenant;

const HEADER =
  'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable;Courriel';
const row = (agency: string, i: number, mobile: string, email = '') =>
  `${agency};G${agency};Les Tilleuls ${agency};12 rue Jean Jaurès;94400;Vitry-sur-Seine;L${agency}-${i};B${agency}-${i};P${agency}-${i};Martin${i};Jeanne;03/04/1950;${mobile};${email}`;

const q = async (text: string, values: unknown[] = []) => (await h.owner.query(text, values)).rows;
const api = (cookie: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  h.app.inject({ method, url, payload: payload as never, headers: { cookie } });
/** A Paris day `n` days from today. */
const inDays = (n: number) => addDays(parisToday(), n);
const openSlot = async (cookie: string, body: Record<string, unknown>) => {
  const res = await api(cookie, 'POST', '/api/appointments/slots', {
    agencyId: org.agencyIds[0],
    start: '14:00',
    end: '15:00',
    capacity: 3,
    reasons: ['rent_payment', 'documents'],
    address: '3 place de la Mairie, 94400 Vitry-sur-Seine',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().ids as string[];
};
const messagesOf = (purpose: string) =>
  q('select channel, recipient, subject, body from messages where organisation_id = $1 and purpose = $2 order by created_at, id', [org.id, purpose]);
const activeBookings = async (slotId: string) =>
  (await q(`select household_id from appointment_bookings where slot_id = $1 and status in ('booked', 'attended', 'no_show')`, [slotId])).map(
    (r) => r.household_id,
  );

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  const lines = [HEADER];
  for (let i = 1; i <= 24; i++) lines.push(row('A1', i, `06 12 34 ${String(50 + i).padStart(2, '0')} 01`));
  lines.push(row('A1', 99, '', 'louise.petit@example.fr'));
  lines.push(row('A2', 1, '06 98 76 54 32'));
  await importFile(h.deps, { organisationId: org.id }, Readable.from([Buffer.from(lines.join('\n'))]), { fileName: 'x.csv' });
  const people = await q(
    `select p.household_id, p.id as person_id, h.erp_ref from persons p join households h on h.id = p.household_id where p.organisation_id = $1 order by h.erp_ref`,
    [org.id],
  );
  const tenantOf = (ref: string) => {
    const p = people.find((x) => x.erp_ref === ref);
    if (!p) throw new Error(`no household ${ref}`);
    return { organisationId: org.id, householdId: p.household_id, personId: p.person_id } as Tenant;
  };
  tenants = Array.from({ length: 24 }, (_, i) => tenantOf(`BA1-${i + 1}`));
  emailOnly = tenantOf('BA1-99');
  otherAgency = tenantOf('BA2-1');
  managerA1 = await signIn(h, await newUser(h, org, 'manager', { agencyIds: [org.agencyIds[0] as string] }));
  managerA2 = await signIn(h, await newUser(h, org, 'manager', { agencyIds: [org.agencyIds[1] as string] }));
  staffA1 = await signIn(h, await newUser(h, org, 'staff', { agencyIds: [org.agencyIds[0] as string] }));
});
afterAll(() => h.close());

const t = (i: number) => tenants[i] as Tenant;

describe('agency slots (staff)', () => {
  it('opens a slot every week of a period in Paris time; a manager of another agency and bad hours are refused in French', async () => {
    const first = inDays(7);
    const ids = await openSlot(managerA1, { date: first, repeatUntil: addDays(first, 21), start: '09:30', end: '10:00' });
    expect(ids).toHaveLength(4);
    const rows = await q('select starts_at, ends_at, capacity, reasons from appointment_slots where id = any($1::uuid[]) order by starts_at', [ids]);
    expect(rows.map((r) => r.starts_at.toISOString())).toEqual(
      [0, 7, 14, 21].map((n) => new Date(parisLocalToIso(`${addDays(first, n)}T09:30`) as string).toISOString()),
    );
    expect(rows[0].capacity).toBe(3);
    expect(rows[0].reasons).toEqual(['rent_payment', 'documents']);

    const other = await api(managerA2, 'POST', '/api/appointments/slots', {
      agencyId: org.agencyIds[0],
      date: first,
      start: '09:00',
      end: '10:00',
      capacity: 2,
      reasons: ['other'],
      address: '3 place de la Mairie',
    });
    expect(other.statusCode).toBe(403);
    const backwards = await api(managerA1, 'POST', '/api/appointments/slots', {
      agencyId: org.agencyIds[0],
      date: first,
      start: '11:00',
      end: '10:00',
      capacity: 2,
      reasons: ['other'],
      address: '3 place de la Mairie',
    });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().detail).toBe('L’heure de fin doit être après l’heure de début.');
    const past = await api(managerA1, 'POST', '/api/appointments/slots', {
      agencyId: org.agencyIds[0],
      date: inDays(-1),
      start: '09:00',
      end: '10:00',
      capacity: 2,
      reasons: ['other'],
      address: '3 place de la Mairie',
    });
    expect(past.statusCode).toBe(422);
    // Staff receive tenants but do not open slots.
    expect((await api(staffA1, 'POST', '/api/appointments/slots', { agencyId: org.agencyIds[0] })).statusCode).toBe(403);
  });
});

describe('bookings (tenant side)', () => {
  it('20 concurrent bookings of 3 seats on separate connections: exactly 3 bookings, 17 « plus de place » offering the waiting list', async () => {
    const [slotId] = await openSlot(managerA1, { date: inDays(8) });
    // A pool of its own, one connection per booking: the row lock, not the pool, keeps the count.
    const pool = openDatabase(injected('appUrl'), 20);
    try {
      const deps = { ...h.deps, database: pool };
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => bookAppointment(deps, t(i), { slotId: slotId as string, reason: 'rent_payment' })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(3);
      expect(lost).toHaveLength(17);
      for (const l of lost) {
        expect(l.reason.code).toBe('slot_full');
        expect(l.reason.status).toBe(409);
        expect(l.reason.message).toContain('plus de place');
        expect(l.reason.message).toContain('liste d’attente');
        expect(l.reason.extra).toEqual({ waitingList: true });
      }
    } finally {
      await pool.close();
    }
    expect(await activeBookings(slotId as string)).toHaveLength(3);
  });

  it('confirms by SMS (mobile) or e-mail with the day, the time and the address; one booking per household and slot; another agency’s slot is not found', async () => {
    const day = inDays(9);
    const [slotId] = await openSlot(managerA1, { date: day, start: '10:30', end: '11:00', capacity: 5 });
    const before = (await messagesOf('appointment_confirmed')).length;
    const sms = await bookAppointment(h.deps, t(20), { slotId: slotId as string, reason: 'documents' });
    expect(sms.notifiedBy).toBe('sms');
    const mail = await bookAppointment(h.deps, emailOnly, { slotId: slotId as string, reason: 'documents' });
    expect(mail.notifiedBy).toBe('email');
    const sent = (await messagesOf('appointment_confirmed')).slice(before);
    const agencyName = (await q('select name from agencies where id = $1', [org.agencyIds[0]]))[0].name as string;
    expect(sent.map((m) => m.channel)).toEqual(['sms', 'email']);
    expect(sent[0].recipient).toBe('+33612347101');
    expect(sent[1].recipient).toBe('louise.petit@example.fr');
    const when = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long' }).format(new Date(`${day}T12:00:00Z`));
    for (const m of sent) {
      expect(m.body).toContain(when.replace(/^1 /, '1er '));
      expect(m.body).toContain('10 h 30');
      expect(m.body).toContain(`agence ${agencyName}, 3 place de la Mairie, 94400 Vitry-sur-Seine`);
      expect(m.body).toContain('Attestation ou document');
    }
    expect(sent[1].subject).toBe('Votre rendez-vous à l’agence est confirmé');

    await expect(bookAppointment(h.deps, t(20), { slotId: slotId as string, reason: 'documents' })).rejects.toMatchObject({
      code: 'already_booked',
      message: 'Votre ménage a déjà un rendez-vous sur ce créneau.',
    });
    await expect(bookAppointment(h.deps, t(21), { slotId: slotId as string, reason: 'technical' })).rejects.toMatchObject({ code: 'reason_not_offered' });
    await expect(bookAppointment(h.deps, otherAgency, { slotId: slotId as string, reason: 'documents' })).rejects.toMatchObject({ status: 404 });
    expect(await tenantSlots(h.deps, otherAgency)).not.toContainEqual(expect.objectContaining({ id: slotId }));
    const seen = (await tenantSlots(h.deps, t(21))).find((s) => s.id === slotId);
    expect(seen?.seatsLeft).toBe(3);
    expect((await tenantAppointments(h.deps, t(20))).map((a) => [a.kind, a.slotId, a.status])).toContainEqual(['booking', slotId, 'booked']);
    // Nothing half-written: the refused bookings left no row.
    expect(await activeBookings(slotId as string)).toHaveLength(2);
  });
});

describe('waiting list', () => {
  it('a freed seat (cancel, then move) goes to the first household waiting, booked and told in the freeing transaction', async () => {
    const [full, other] = await openSlot(managerA1, { date: inDays(10), repeatUntil: inDays(17), start: '16:00', end: '16:30', capacity: 2 });
    const a = await bookAppointment(h.deps, t(0), { slotId: full as string, reason: 'rent_payment' });
    const b = await bookAppointment(h.deps, t(1), { slotId: full as string, reason: 'rent_payment' });
    await expect(bookAppointment(h.deps, t(2), { slotId: full as string, reason: 'documents' })).rejects.toMatchObject({ code: 'slot_full' });
    await joinWaitingList(h.deps, t(2), { slotId: full as string, reason: 'documents' });
    await joinWaitingList(h.deps, t(3), { slotId: full as string, reason: 'rent_payment' });
    await expect(joinWaitingList(h.deps, t(2), { slotId: full as string, reason: 'documents' })).rejects.toMatchObject({ code: 'already_waiting' });
    // A slot with a seat left is booked, not waited for.
    await expect(joinWaitingList(h.deps, t(4), { slotId: other as string, reason: 'documents' })).rejects.toMatchObject({ code: 'slot_not_full' });

    // Another household cannot cancel someone else's booking.
    await expect(cancelAppointment(h.deps, t(5), a.id)).rejects.toMatchObject({ status: 404 });
    expect(await cancelAppointment(h.deps, t(0), a.id)).toEqual({ givenToWaitingList: 1 });
    // Once the cancel has returned, the first waiting household holds the seat (same transaction).
    expect((await activeBookings(full as string)).sort()).toEqual([t(1).householdId, t(2).householdId].sort());
    const granted = await q(`select via_waiting_list, reason from appointment_bookings where slot_id = $1 and household_id = $2`, [full, t(2).householdId]);
    expect(granted).toEqual([{ via_waiting_list: true, reason: 'documents' }]);
    const told = await messagesOf('appointment_waitlist_booked');
    expect(told.at(-1)?.recipient).toBe('+33612345301');
    expect(told.at(-1)?.body).toContain('Une place s’est libérée');

    // Moving frees the old seat too: the next one waiting gets it.
    const moved = await moveAppointment(h.deps, t(1), b.id, { slotId: other as string });
    expect(moved.givenToWaitingList).toBe(1);
    expect((await activeBookings(full as string)).sort()).toEqual([t(2).householdId, t(3).householdId].sort());
    expect(await activeBookings(other as string)).toEqual([t(1).householdId]);
    expect((await q('select status from appointment_bookings where id = $1', [b.id]))[0].status).toBe('moved');
    expect((await q(`select count(*)::int as n from appointment_waitlist where slot_id = $1 and status = 'waiting'`, [full]))[0].n).toBe(0);
    // A cancelled booking cannot be cancelled again.
    await expect(cancelAppointment(h.deps, t(0), a.id)).rejects.toMatchObject({ code: 'booking_ended' });
  });
});

describe('isolation of households by the database (ADR 0023)', () => {
  it('in a tenant’s transaction a query of the tables themselves sees and changes only the household’s rows; seats still count every household', async () => {
    const [slot] = await openSlot(managerA1, { date: inDays(12), start: '10:00', end: '10:30', capacity: 2 });
    const mine = await bookAppointment(h.deps, t(6), { slotId: slot as string, reason: 'rent_payment' });
    const theirs = await bookAppointment(h.deps, t(7), { slotId: slot as string, reason: 'documents' });
    await joinWaitingList(h.deps, t(8), { slotId: slot as string, reason: 'documents' });

    // No service, no filter: the tables queried directly in tenant 6's transaction.
    const seen = await withTenant(h.database, t(6), async (trx) => ({
      bookings: await trx
        .selectFrom('appointment_bookings')
        .select(['id', 'household_id'])
        .where('slot_id', '=', slot as string)
        .execute(),
      byId: await trx.selectFrom('appointment_bookings').select('id').where('id', '=', theirs.id).execute(),
      waiting: await trx
        .selectFrom('appointment_waitlist')
        .select('household_id')
        .where('slot_id', '=', slot as string)
        .execute(),
      cancelled: Number(
        (await trx.updateTable('appointment_bookings').set({ status: 'cancelled' }).where('id', '=', theirs.id).executeTakeFirst()).numUpdatedRows,
      ),
      erased: Number(
        (
          await trx
            .deleteFrom('appointment_waitlist')
            .where('slot_id', '=', slot as string)
            .executeTakeFirst()
        ).numDeletedRows,
      ),
      seats: (await sql<{ taken: number; waiting: number }>`select taken, waiting from lien_slot_seats(${slot}::uuid)`.execute(trx)).rows,
    }));
    expect(seen).toEqual({
      bookings: [{ id: mine.id, household_id: t(6).householdId }],
      byId: [],
      waiting: [],
      cancelled: 0,
      erased: 0,
      seats: [{ taken: 2, waiting: 1 }],
    });
    // Writing a row of another household is refused by the policy's check.
    await expect(
      withTenant(h.database, t(6), (trx) =>
        trx
          .insertInto('appointment_waitlist')
          .values({ organisation_id: org.id, slot_id: slot as string, household_id: t(9).householdId, reason: 'documents' })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    // The tenant's slot list counts the other household's seat: the slot is full.
    expect((await tenantSlots(h.deps, t(6))).find((x) => x.id === slot)).toMatchObject({ seatsLeft: 0 });
    // A staff (no household) transaction sees every household; the tenant's other household's booking is untouched.
    const all = await h.database.withOrg({ organisationId: org.id }, (trx) =>
      trx
        .selectFrom('appointment_bookings')
        .select(['household_id', 'status'])
        .where('slot_id', '=', slot as string)
        .orderBy('created_at')
        .execute(),
    );
    expect(all).toEqual([
      { household_id: t(6).householdId, status: 'booked' },
      { household_id: t(7).householdId, status: 'booked' },
    ]);

    // The system's step for another household lifts the narrowing, then the transaction is narrowed again.
    const counts = await withTenant(h.database, t(6), async (trx) => {
      const count = async () =>
        (
          await trx
            .selectFrom('appointment_bookings')
            .select('id')
            .where('slot_id', '=', slot as string)
            .execute()
        ).length;
      return { during: await outsideHousehold(trx, count), after: await count() };
    });
    expect(counts).toEqual({ during: 2, after: 1 });
    // And the hand-off itself, from the tenant's transaction: tenant 6 cancels, household 8 (waiting) gets the seat.
    expect(await cancelAppointment(h.deps, t(6), mine.id)).toEqual({ givenToWaitingList: 1 });
    expect((await activeBookings(slot as string)).sort()).toEqual([t(7).householdId, t(8).householdId].sort());
  });
});

describe('reminders', () => {
  it('reminds each booking once, the day before from 9:00 Paris time', async () => {
    const day = inDays(11);
    const [slotId] = await openSlot(managerA1, { date: day, start: '08:30', end: '09:00', capacity: 4 });
    await bookAppointment(h.deps, t(10), { slotId: slotId as string, reason: 'documents' });
    await bookAppointment(h.deps, t(11), { slotId: slotId as string, reason: 'documents' });
    const c = await bookAppointment(h.deps, t(12), { slotId: slotId as string, reason: 'documents' });
    await cancelAppointment(h.deps, t(12), c.id);
    const eve = addDays(day, -1);
    const reminded = async () =>
      (await q('select count(*)::int as n from appointment_bookings where slot_id = $1 and reminded_at is not null', [slotId]))[0].n as number;
    const at = (local: string) => runMaintenance(h.database, [appointmentReminders(h.jobs)], new Date(parisLocalToIso(local) as string));
    await at(`${addDays(eve, -1)}T18:00`);
    await at(`${eve}T08:00`);
    expect(await reminded()).toBe(0);
    await at(`${eve}T10:00`);
    expect(await reminded()).toBe(2);
    await at(`${eve}T15:00`);
    const sent = (await messagesOf('appointment_reminder')).filter((m) => ['+33612346101', '+33612346201', '+33612346301'].includes(m.recipient));
    expect(sent.map((m) => m.recipient).sort()).toEqual(['+33612346101', '+33612346201']);
    expect(sent[0].body).toContain('Rappel : rendez-vous demain');
    expect(sent[0].body).toContain('8 h 30');
  });
});

describe('staff calendar', () => {
  it('shows the week with seats and bookings, marks « absent », prints the day, closes a slot (bookings cancelled and told); the timeline shows it', async () => {
    // Households no other test books (the race of « bookings » may seat any of t(0)…t(19)), so the
    // timeline below holds this test's appointment only.
    const day = inDays(12);
    const [slotId, second] = await openSlot(managerA1, { date: day, repeatUntil: addDays(day, 7), start: '11:00', end: '11:30', capacity: 2 });
    const b = await bookAppointment(h.deps, t(22), { slotId: slotId as string, reason: 'rent_payment' });
    await bookAppointment(h.deps, t(23), { slotId: second as string, reason: 'documents' });

    const week = await api(staffA1, 'GET', `/api/appointments/week?agencyId=${org.agencyIds[0]}&from=${day}`);
    expect(week.statusCode, week.body).toBe(200);
    const slot = week.json().find((s: { id: string }) => s.id === slotId);
    expect(slot).toMatchObject({ capacity: 2, taken: 1, waiting: 0, status: 'open' });
    expect(slot.bookings).toEqual([
      expect.objectContaining({ id: b.id, householdId: t(22).householdId, householdRef: 'BA1-23', reason: 'rent_payment', status: 'booked' }),
    ]);
    expect(week.json().some((s: { id: string }) => s.id === second)).toBe(false);
    const read = await q(`select details from audit_events where organisation_id = $1 and action = 'appointment.calendar_read' order by at desc limit 1`, [
      org.id,
    ]);
    const shown = week.json().flatMap((s: { bookings: { householdId: string }[] }) => s.bookings.map((x) => x.householdId));
    expect(read[0].details.householdIds).toContain(t(22).householdId);
    expect([...read[0].details.householdIds].sort()).toEqual([...new Set(shown)].sort());
    // Another agency's manager does not see this agency's calendar.
    expect((await api(managerA2, 'GET', `/api/appointments/week?agencyId=${org.agencyIds[0]}&from=${day}`)).statusCode).toBe(403);

    // Too early to mark; then the day comes.
    const early = await api(staffA1, 'POST', `/api/appointments/bookings/${b.id}/mark`, { outcome: 'no_show' });
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toBe('Ce rendez-vous n’a pas encore eu lieu.');
    await q(`update appointment_slots set starts_at = now() - interval '1 hour', ends_at = now() - interval '30 minutes' where id = $1`, [slotId]);
    expect((await api(staffA1, 'POST', `/api/appointments/bookings/${b.id}/mark`, { outcome: 'no_show' })).statusCode).toBe(200);
    expect((await q('select status, marked_by is not null as marked from appointment_bookings where id = $1', [b.id]))[0]).toEqual({
      status: 'no_show',
      marked: true,
    });

    const pdf = await api(staffA1, 'GET', `/api/appointments/day.pdf?agencyId=${org.agencyIds[0]}&day=${addDays(day, 7)}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const lines = dayListLines({
      agency: 'A1',
      day: addDays(day, 7),
      slots: (await api(staffA1, 'GET', `/api/appointments/week?agencyId=${org.agencyIds[0]}&from=${addDays(day, 7)}`)).json().slice(0, 1),
    });
    expect(lines[1]).toContain('1 rendez-vous');
    expect(lines).toContain('11 h 00 – 11 h 30 : 1/2 places prises');
    expect(lines.some((l) => l.includes('(BA1-24) — Attestation ou document'))).toBe(true);

    // The household file shows the appointment on its timeline.
    const file = await api(managerA1, 'GET', `/api/households/${t(22).householdId}`);
    expect(file.statusCode, file.body).toBe(200);
    const events = (file.json().timeline ?? []).filter((e: { type: string }) => e.type === 'appointment');
    expect(events).toEqual([expect.objectContaining({ kind: 'appointment.no_show', label: expect.stringContaining('Rendez-vous à l’agence ') })]);
    expect(events[0].label).toContain('absent');

    // Closing the second slot cancels its booking and tells the household.
    expect((await api(staffA1, 'POST', `/api/appointments/slots/${second}/close`)).statusCode).toBe(403);
    const closed = await api(managerA1, 'POST', `/api/appointments/slots/${second}/close`);
    expect(closed.json()).toEqual({ cancelled: 1 });
    expect(await activeBookings(second as string)).toEqual([]);
    expect((await messagesOf('appointment_closed_by_agency')).at(-1)?.recipient).toBe('+33612347401');
    expect((await tenantSlots(h.deps, t(17))).some((s) => s.id === second)).toBe(false);
  });
});
