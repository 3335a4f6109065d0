/** The partner's printable list of a distribution (A4 PDF): the name to call out, how many people, a box to tick. */
import PDFDocument from 'pdfkit';
import { frenchDay } from '../../../contracts/paris-time.ts';
import { plural } from '../../../contracts/plural.ts';
import { distributionKindLabels, type PartnerList } from '../../../contracts/solidarity.ts';

export function partnerListLines(l: PartnerList): string[] {
  return [
    `${distributionKindLabels[l.kind]} — ${l.partner}`,
    `Le ${frenchDay(l.heldOn)}, ${l.place} — ${plural(l.lines.length, 'ménage invité', 'ménages invités')}`,
    ...l.lines.map((x) => `☐ ${x.name} — ${plural(x.persons, 'personne', 'personnes')}`),
  ];
}

export function partnerListPdf(l: PartnerList): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: 'Liste de distribution', Author: 'Lien' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const [title, subtitle, ...lines] = partnerListLines(l);
  doc
    .font('Helvetica-Bold')
    .fontSize(14)
    .text(title ?? '');
  doc
    .font('Helvetica')
    .fontSize(10.5)
    .text(subtitle ?? '');
  doc.moveDown();
  // The box is drawn, not a glyph: Helvetica has no « ☐ ».
  for (const line of lines) {
    const y = doc.y;
    doc.rect(doc.page.margins.left, y + 1, 9, 9).stroke();
    doc.text(line.slice(2), doc.page.margins.left + 16, y);
    doc.moveDown(0.4);
  }
  doc.end();
  return done;
}
