/** A household's appointments on its timeline (issue 16): the agency, the day, the reason and what became of it. */
import { appointmentReasonLabels, type BookingStatus, bookingStatusLabels } from '../../../contracts/appointments.ts';
import type { TimelineEvent } from '../../../contracts/households.ts';
import type { SessionContext } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { appointmentsOfHousehold } from './appointments.repository.ts';
import { frenchAppointmentTime } from './notify.ts';

const waitingLabels: Record<string, string> = {
  waiting: 'en liste d’attente',
  booked: 'place obtenue par la liste d’attente',
  left: 'sorti de la liste d’attente',
};

export async function appointmentTimeline(trx: Tx, _s: SessionContext, householdId: string): Promise<TimelineEvent[]> {
  return (await appointmentsOfHousehold(trx, householdId))
    .filter((a) => !(a.kind === 'waiting' && a.status === 'booked'))
    .map((a) => ({
      at: a.starts_at.toISOString(),
      kind: a.kind === 'booking' ? `appointment.${a.status}` : `appointment.waiting_${a.status}`,
      type: 'appointment' as const,
      label: `Rendez-vous à l’agence ${a.agency} le ${frenchAppointmentTime(a.starts_at)} (${appointmentReasonLabels[a.reason]}) : ${
        a.kind === 'booking' ? bookingStatusLabels[a.status as BookingStatus].toLowerCase() : waitingLabels[a.status]
      }`,
    }));
}
