/**
 * The PDF report of the period (issue 18), in French, for the board or the prefecture: the period,
 * the scope and the segment, then each table with a bar chart drawn here (pdfkit rectangles: no
 * chart library on the server) and its figures. Counts only: no person is named.
 */
import { frenchDay } from '../../../contracts/paris-time.ts';
import type { Dashboard, ReportRow, ReportTable } from '../../../contracts/reporting.ts';
import { newPdf } from '../../platform/pdf/document.ts';

const BLUE = '#1c5fa8';
const ORANGE = '#d9730d';
/** Numbers grouped the French way, with a plain space (the PDF's standard fonts have no narrow no-break space). */
export const frenchNumber = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

/** The rows a chart shows: the weekly series whole, otherwise the detail lines (not the totals with « dont »). */
const charted = (t: ReportTable): ReportRow[] => t.rows.filter((r) => !r.label.startsWith('dont'));

function bars(doc: PDFKit.PDFDocument, t: ReportTable, compare: boolean) {
  const rows = charted(t);
  if (!rows.length) return;
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const labelWidth = 190;
  const barArea = width - labelWidth - 60;
  const max = Math.max(1, ...rows.map((r) => Math.max(r.value, r.segment ?? 0)));
  const rowHeight = compare ? 16 : 12;
  if (doc.y + rows.length * rowHeight + 20 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  let y = doc.y + 4;
  doc.fontSize(8).font('regular');
  for (const r of rows) {
    doc.fillColor('#333333').text(r.label, left, y, { width: labelWidth - 8, height: rowHeight, ellipsis: true, lineBreak: false });
    const w = (r.value / max) * barArea;
    doc.rect(left + labelWidth, y, Math.max(w, 0.5), 7).fill(BLUE);
    doc.fillColor('#333333').text(frenchNumber(r.value), left + labelWidth + w + 4, y, { lineBreak: false });
    if (compare && r.segment !== null) {
      const ws = (r.segment / max) * barArea;
      doc.rect(left + labelWidth, y + 8, Math.max(ws, 0.5), 6).fill(ORANGE);
      doc.fillColor('#333333').text(frenchNumber(r.segment), left + labelWidth + ws + 4, y + 7, { lineBreak: false });
    }
    y += rowHeight;
  }
  doc.fillColor('black');
  doc.x = left;
  doc.y = y + 6;
}

/** The weekly series as columns (a two-year period has 105 weeks), the first day of every few weeks under them. */
function columns(doc: PDFKit.PDFDocument, t: ReportTable, compare: boolean) {
  const left = doc.page.margins.left + 30;
  const width = doc.page.width - left - doc.page.margins.right;
  const height = 110;
  if (doc.y + height + 40 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const top = doc.y + 8;
  const max = Math.max(1, ...t.rows.map((r) => Math.max(r.value, r.segment ?? 0)));
  const step = width / t.rows.length;
  const bar = Math.max(1, step * (compare ? 0.4 : 0.7));
  doc.fontSize(7).font('regular').fillColor('#555555');
  doc.text(frenchNumber(max), doc.page.margins.left, top - 3, { width: 26, align: 'right', lineBreak: false });
  doc.text('0', doc.page.margins.left, top + height - 6, { width: 26, align: 'right', lineBreak: false });
  doc
    .moveTo(left, top + height)
    .lineTo(left + width, top + height)
    .strokeColor('#999999')
    .lineWidth(0.5)
    .stroke();
  const every = Math.ceil(t.rows.length / 8);
  t.rows.forEach((r, i) => {
    const x = left + i * step;
    const h = (r.value / max) * height;
    if (h > 0) doc.rect(x, top + height - h, bar, h).fill(BLUE);
    if (compare && r.segment) {
      const hs = (r.segment / max) * height;
      doc.rect(x + bar, top + height - hs, bar, hs).fill(ORANGE);
    }
    if (i % every === 0) doc.fillColor('#555555').text(frenchDay(r.key).slice(0, 5), x, top + height + 3, { lineBreak: false });
  });
  doc.fillColor('black');
  doc.x = doc.page.margins.left;
  doc.y = top + height + 16;
}

function figures(doc: PDFKit.PDFDocument, t: ReportTable, segmentLabel: string | null) {
  const left = doc.page.margins.left;
  const compare = segmentLabel !== null && t.rows.some((r) => r.segment !== null);
  doc.fontSize(9);
  for (const r of t.rows) {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 14) doc.addPage();
    const y = doc.y;
    doc.font(r.label.startsWith('dont') ? 'italic' : 'regular').text(r.label, left + 4, y, { width: 300, lineBreak: false, ellipsis: true });
    doc.font('regular').text(frenchNumber(r.value), left + 310, y, { width: 70, align: 'right', lineBreak: false });
    if (compare) doc.text(frenchNumber(r.segment ?? 0), left + 390, y, { width: 80, align: 'right', lineBreak: false });
    doc.x = left;
    doc.y = y + 12;
  }
}

export function dashboardPdf(d: Dashboard, organisation: string, generatedAt: string): Promise<Buffer> {
  const title = `Bilan d’activité du ${frenchDay(d.from)} au ${frenchDay(d.to)}`;
  const doc = newPdf({ size: 'A4', margin: 50, info: { Title: title, Author: organisation } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.font('bold').fontSize(16).text(title);
  doc.moveDown(0.3).font('regular').fontSize(10).text(`${organisation} — ${d.scopeLabel}`);
  if (d.segmentLabel) {
    doc.text('Comparaison : ', { continued: true }).fillColor(BLUE).text('ensemble des ménages', { continued: true }).fillColor('black');
    doc.text(' et ', { continued: true }).fillColor(ORANGE).text(d.segmentLabel.toLowerCase()).fillColor('black');
  }
  doc.fontSize(8).fillColor('#555555').text(`Édité le ${generatedAt} par Lien. Chiffres agrégés : aucun locataire n’est nommé.`).fillColor('black');
  for (const n of d.notes) doc.text(n);
  for (const t of d.tables) {
    if (doc.y > doc.page.height - 160) doc.addPage();
    doc.moveDown(0.8).font('bold').fontSize(12).text(t.title, doc.page.margins.left);
    doc.moveDown(0.2);
    if (!t.rows.length) {
      doc.font('regular').fontSize(9).text('Aucune donnée dans la période.');
      continue;
    }
    const compare = d.segmentLabel !== null && t.rows.some((r) => r.segment !== null);
    if (t.id === 'households_reached') {
      columns(doc, t, compare);
      const total = t.rows.reduce((n, r) => n + r.value, 0);
      doc
        .font('regular')
        .fontSize(9)
        .text(`Total des ménages joints semaine par semaine : ${frenchNumber(total)} (un ménage joint deux semaines compte deux fois).`);
    } else {
      bars(doc, t, compare);
      figures(doc, t, d.segmentLabel);
    }
  }
  doc.end();
  return done;
}
