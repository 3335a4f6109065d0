/**
 * The day-before reminder (issue 16): from 9:00 Paris time, every booking whose slot is tomorrow
 * (Paris day) gets one SMS or e-mail through the outbox; `reminded_at` makes it once. A booking
 * made after that hour for tomorrow is reminded at the next pass.
 */

import { parisLocalToIso } from '../../../contracts/paris-time.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import type { MaintenanceTask } from '../../platform/jobs/maintenance.ts';
import { parisToday } from '../../platform/time.ts';
import { bookingsToRemind, markReminded } from './appointments.repository.ts';
import { addDays } from './appointments.service.ts';
import { notifyHousehold } from './notify.ts';

const REMIND_FROM_HOUR = 9;
const BATCH = 500;

const midnight = (day: string) => new Date(parisLocalToIso(`${day}T00:00`) as string);

export function appointmentReminders(jobs: Jobs): MaintenanceTask {
  return {
    name: 'appointment_reminders',
    run: async (trx, now, organisationId) => {
      // The Paris date of `now` minus 9 hours: today from 9:00, yesterday before.
      const today = parisToday(new Date(now.getTime() - REMIND_FROM_HOUR * 3_600_000));
      const tomorrow = addDays(today, 1);
      const from = new Date(Math.max(now.getTime(), midnight(tomorrow).getTime()));
      const due = await bookingsToRemind(trx, from, midnight(addDays(tomorrow, 1)), BATCH);
      for (const b of due) {
        await notifyHousehold(trx, jobs, organisationId, {
          householdId: b.household_id,
          notice: 'reminder',
          key: b.id,
          startsAt: b.starts_at,
          agency: b.agency,
          address: b.address,
          reason: b.reason,
        });
      }
      await markReminded(
        trx,
        due.map((b) => b.id),
        now,
      );
      return due.length;
    },
  };
}
