/**
 * What a tenant receives about an appointment, through the outbox: an SMS when the household has
 * a current mobile and no « pas de SMS » objection, else an e-mail, else nothing (the agency sees
 * the booking in its calendar). French text with the day, the time and the agency's address.
 */
import { type AppointmentReason, appointmentReasonLabels } from '../../../contracts/appointments.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { messageRecipients } from '../registry/index.ts';

const dayFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });

/** « mardi 8 décembre 2026 à 14 h 30 » (Paris time). */
export function frenchAppointmentTime(at: Date): string {
  const day = dayFormat.format(at).replace(/^(\S+) 1 /, '$1 1er ');
  return `${day} à ${timeFormat.format(at).replace(':', ' h ')}`;
}

/** « agence Vitry Nord, 3 place de la Mairie » (no « agence Agence 1 » when the name says it). */
export const agencyPlace = (agency: string, address: string) => `${/^agence\b/i.test(agency) ? agency : `agence ${agency}`}, ${address}`;

export type AppointmentNotice = 'confirmed' | 'waitlist_booked' | 'reminder' | 'cancelled' | 'moved' | 'closed_by_agency';

const subjects: Record<AppointmentNotice, string> = {
  confirmed: 'Votre rendez-vous à l’agence est confirmé',
  waitlist_booked: 'Une place s’est libérée : votre rendez-vous est réservé',
  reminder: 'Rappel : votre rendez-vous à l’agence demain',
  cancelled: 'Votre rendez-vous à l’agence est annulé',
  moved: 'Votre rendez-vous à l’agence est déplacé',
  closed_by_agency: 'L’agence a annulé votre rendez-vous',
};

function text(notice: AppointmentNotice, when: string, place: string, reason: AppointmentReason) {
  const motive = appointmentReasonLabels[reason];
  switch (notice) {
    case 'confirmed':
      return `Votre rendez-vous est confirmé le ${when}, ${place} (motif : ${motive}). Pour l’annuler ou le déplacer : votre espace locataire.`;
    case 'waitlist_booked':
      return `Une place s’est libérée : votre rendez-vous est réservé le ${when}, ${place} (motif : ${motive}). Si vous ne pouvez pas venir, annulez-le dans votre espace locataire.`;
    case 'reminder':
      return `Rappel : rendez-vous demain, ${when}, ${place} (motif : ${motive}). Empêché·e ? Annulez dans votre espace locataire.`;
    case 'cancelled':
      return `Votre rendez-vous du ${when} (${place}) est annulé.`;
    case 'moved':
      return `Votre rendez-vous est déplacé au ${when}, ${place} (motif : ${motive}).`;
    case 'closed_by_agency':
      return `L’agence a dû annuler votre rendez-vous du ${when} (${place}). Vous pouvez en prendre un autre dans votre espace locataire.`;
  }
}

/** Puts the notice in the outbox in the caller's transaction; returns the channel used, or null when the household has no way to be reached. */
export async function notifyHousehold(
  trx: Tx,
  jobs: Jobs,
  organisationId: string,
  n: { householdId: string; notice: AppointmentNotice; key: string; startsAt: Date; agency: string; address: string; reason: AppointmentReason },
): Promise<'sms' | 'email' | null> {
  const [r] = await messageRecipients(trx, { householdIds: [n.householdId] }, null);
  if (!r || r.restricted) return null;
  const when = frenchAppointmentTime(n.startsAt);
  const place = agencyPlace(n.agency, n.address);
  const body = text(n.notice, when, place, n.reason);
  const channel = r.mobile && !r.no_sms ? 'sms' : r.email ? 'email' : null;
  if (!channel) return null;
  await enqueueMessage(trx, jobs, organisationId, {
    channel,
    recipient: (channel === 'sms' ? r.mobile : r.email) as string,
    subject: channel === 'email' ? subjects[n.notice] : null,
    body: channel === 'email' ? `Bonjour,\n\n${body}\n\nVotre bailleur` : body,
    purpose: `appointment_${n.notice}`,
    idempotencyKey: `appointment:${n.notice}:${n.key}`,
    smsType: 'transactional',
  });
  return channel;
}
