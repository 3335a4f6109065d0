/** The day's list of an agency to print (A4 PDF): each slot's time, then its households (reference, holder, reason) with a box for « venu ». */

import { appointmentReasonLabels, type CalendarSlot } from '../../../contracts/appointments.ts';
import { frenchDay } from '../../../contracts/paris-time.ts';
import { plural } from '../../../contracts/plural.ts';
import { checklistPdf } from '../../platform/pdf/checklist.ts';

const hour = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
const hm = (iso: string) => hour.format(new Date(iso)).replace(':', ' h ');

export type DayList = { agency: string; day: string; slots: CalendarSlot[] };

/** The list's lines, as printed (the test reads them back from the PDF's text). */
export function dayListLines(l: DayList): string[] {
  const booked = l.slots.reduce((n, s) => n + s.bookings.length, 0);
  const lines = [`Rendez-vous de l’agence ${l.agency}`, `Le ${frenchDay(l.day)} — ${plural(booked, 'rendez-vous', 'rendez-vous')}`];
  for (const s of l.slots) {
    lines.push(
      `${hm(s.startsAt)} – ${hm(s.endsAt)} : ${s.taken}/${s.capacity} ${s.capacity > 1 ? 'places prises' : 'place prise'}${s.status === 'closed' ? ' (fermé)' : ''}`,
    );
    for (const b of s.bookings) lines.push(`☐ ${b.holder || 'Ménage'} (${b.householdRef}) — ${appointmentReasonLabels[b.reason]}`);
  }
  return lines;
}

export function dayListPdf(l: DayList): Promise<Buffer> {
  const [title, subtitle, ...lines] = dayListLines(l);
  return checklistPdf(title ?? '', subtitle ?? '', lines);
}
