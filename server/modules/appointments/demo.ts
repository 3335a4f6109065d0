/**
 * The demo landlord's agency calendar (issue 16), so « Rendez-vous » can be tried at once: the
 * Tuesday and Thursday mornings of the next four weeks (from the day after tomorrow), slots of
 * 30 minutes from 9:30 with three seats, and a few bookings of the agency's households.
 */

import { appointmentReasons } from '../../../contracts/appointment-words.ts';
import { parisLocalToIso } from '../../../contracts/paris-time.ts';
import type { Tx } from '../../platform/db/database.ts';
import { parisToday } from '../../platform/time.ts';
import { segmentHouseholdIds } from '../registry/index.ts';
import { insertBooking, insertSlots } from './appointments.repository.ts';
import { addDays } from './appointments.service.ts';

export async function seedDemoAppointments(trx: Tx, p: { agencyId: string; managerId: string; now: Date }) {
  const first = addDays(parisToday(p.now), 2);
  const days = Array.from({ length: 28 }, (_, i) => addDays(first, i)).filter((d) => [2, 4].includes(new Date(`${d}T12:00:00Z`).getUTCDay()));
  const times = ['09:30', '10:00', '10:30', '11:00', '11:30'];
  const at = (day: string, time: string) => new Date(parisLocalToIso(`${day}T${time}`) as string);
  const ids = await insertSlots(
    trx,
    days.flatMap((day) =>
      times.map((time) => {
        const startsAt = at(day, time);
        return {
          agencyId: p.agencyId,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 30 * 60_000),
          capacity: 3,
          reasons: appointmentReasons,
          address: '2 place de la Mairie (accueil du rez-de-chaussée)',
          seriesId: null,
          createdBy: p.managerId,
        };
      }),
    ),
  );
  // The last households of the agency (the first ones are left for the browser tests), 1 to 3 per slot on the first morning.
  const households = (await segmentHouseholdIds(trx, { status: 'active', agencyId: p.agencyId, fragilityMatch: 'all' }, null)).sort().slice(-6).reverse();
  const seats = [3, 1, 2];
  let h = 0;
  for (const [i, n] of seats.entries()) {
    for (let k = 0; k < n && h < households.length; k++, h++)
      await insertBooking(trx, {
        slotId: ids[i] as string,
        householdId: households[h] as string,
        personId: null,
        reason: appointmentReasons[(h * 2) % appointmentReasons.length] as (typeof appointmentReasons)[number],
        viaWaitingList: false,
      });
  }
  return ids.length;
}
