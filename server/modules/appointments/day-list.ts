/** The day's list of an agency to print (A4 PDF): each slot's time, then its households (reference, holder, reason) with a box for « venu ». */
import PDFDocument from 'pdfkit';
import { appointmentReasonLabels, type CalendarSlot } from '../../../contracts/appointments.ts';
import { frenchDay } from '../../../contracts/paris-time.ts';
import { plural } from '../../../contracts/plural.ts';

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
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: 'Rendez-vous du jour', Author: 'Lien' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const [title, subtitle, ...lines] = dayListLines(l);
  doc
    .font('Helvetica-Bold')
    .fontSize(14)
    .text(title ?? '');
  doc
    .font('Helvetica')
    .fontSize(10.5)
    .text(subtitle ?? '');
  doc.moveDown();
  for (const line of lines) {
    if (line.startsWith('☐ ')) {
      // The box is drawn, not a glyph: Helvetica has no « ☐ ».
      const y = doc.y;
      doc.rect(doc.page.margins.left + 12, y + 1, 9, 9).stroke();
      doc.text(line.slice(2), doc.page.margins.left + 28, y);
      doc.moveDown(0.3);
    } else {
      doc.moveDown(0.4).font('Helvetica-Bold').text(line, doc.page.margins.left).font('Helvetica');
    }
  }
  doc.end();
  return done;
}
