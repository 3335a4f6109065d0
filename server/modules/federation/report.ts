/**
 * The federation's periodic report (issue 18), like the federations' newsletters: every indicator
 * across the members, each member's figures and a short text the federation wrote about it.
 * Only aggregates: a hidden cell is counted as hidden, never guessed.
 */
import { type Dashboard, figureText, SMALL_CELL_THRESHOLD } from '../../../contracts/indicators.ts';
import { plural } from '../../../contracts/plural.ts';
import { newPdf } from '../../platform/pdf/document.ts';

export type ReportContent = {
  federation: string;
  from: string;
  to: string;
  boards: Dashboard[];
  members: { id: string; name: string; text: string }[];
};

const monthName = (ym: string) => {
  const [y, m] = ym.split('-').map(Number);
  return new Date(Date.UTC(y as number, (m as number) - 1, 15)).toLocaleDateString('fr-FR', { month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
};

/** A row of small bars, one per month (shown cells only), under the line: the newsletter's sparkline. */
function monthBars(doc: PDFKit.PDFDocument, months: { period: string; value: number }[], max: number) {
  const height = 28;
  const width = Math.min(14, 460 / Math.max(1, months.length));
  const x0 = doc.page.margins.left;
  if (doc.y + height + 16 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const y0 = doc.y + 2;
  months.forEach((m, i) => {
    const h = max > 0 ? Math.max(m.value > 0 ? 1 : 0, (height * m.value) / max) : 0;
    doc.rect(x0 + i * width, y0 + height - h, width - 2, h).fill('#099268');
  });
  doc.fillColor('#555555').fontSize(7);
  const first = months[0];
  const last = months.at(-1);
  if (first && last && months.length > 1) {
    doc.text(monthName(first.period), x0, y0 + height + 2, { lineBreak: false });
    doc.text(monthName(last.period), x0 + months.length * width + 6, y0 + height + 2, { lineBreak: false });
  }
  doc.x = x0;
  doc.y = y0 + height + 14;
}

export function federationReportPdf(c: ReportContent): Promise<Buffer> {
  const title = `Les actions des membres — ${c.federation}`;
  const doc = newPdf({ size: 'A4', margin: 56, info: { Title: title, Author: c.federation } });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const period = c.from === c.to ? monthName(c.from) : `de ${monthName(c.from)} à ${monthName(c.to)}`;
  doc.font('bold').fontSize(16).text(title);
  doc
    .font('regular')
    .fontSize(10.5)
    .text(`Période : ${period}. ${plural(c.members.length, 'membre')} partageant au moins un indicateur.`);
  doc
    .fontSize(9)
    .fillColor('#555555')
    .text(
      `Chiffres agrégés calculés chez chaque bailleur ; une case touchant moins de ${SMALL_CELL_THRESHOLD} ménages n’est jamais publiée (« < ${SMALL_CELL_THRESHOLD} ») et n’entre dans aucune somme.`,
    )
    .fillColor('#000000');
  doc.moveDown();
  doc.font('bold').fontSize(13).text('Ensemble des membres');
  doc.moveDown(0.3);
  for (const b of c.boards) {
    doc.font('bold').fontSize(10.5).text(`${b.indicator.name} : `, { continued: true });
    doc.font('regular').text(`${figureText(b.total)} ${b.indicator.unit} (${plural(b.members, 'membre')})`);
    const peak = [...b.overTime].sort((x, y) => y.value - x.value)[0];
    if (peak && peak.value > 0) {
      doc
        .fontSize(9)
        .fillColor('#555555')
        .text(`Mois le plus fort : ${monthName(peak.period)} (${peak.value.toLocaleString('fr-FR')}).`);
      monthBars(doc, b.overTime, peak.value);
      doc.fillColor('#000000').fontSize(10.5);
    }
  }
  for (const m of c.members) {
    doc.moveDown();
    doc.font('bold').fontSize(13).text(m.name);
    if (m.text) doc.font('italic').fontSize(10.5).text(m.text).moveDown(0.3);
    doc.font('regular').fontSize(10.5);
    for (const b of c.boards) {
      const row = b.byMember.find((r) => r.memberId === m.id);
      if (!row) continue;
      doc.text(`• ${b.indicator.name} : ${figureText(row)} ${b.indicator.unit}`, { indent: 10 });
    }
  }
  doc.end();
  return done;
}
