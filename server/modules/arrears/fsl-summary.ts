/** The pre-filled FSL summary as an A4 PDF, for the social worker to check (issue 14). */
import PDFDocument from 'pdfkit';

/** The summary's lines (from `fslSummary`) printed one paragraph each; headings end with « : ». */
export function fslSummaryPdf(lines: string[], organisation: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: 'Résumé pour une demande FSL', Author: organisation } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const [title, ...rest] = lines;
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .text(title ?? '');
  doc.moveDown().font('Helvetica').fontSize(10.5);
  for (const p of rest) {
    const heading = p.endsWith(' :');
    doc.font(heading ? 'Helvetica-Bold' : 'Helvetica').text(p, { indent: p.startsWith('•') ? 10 : 0 });
    doc.moveDown(heading ? 0.2 : 0.4);
  }
  doc.end();
  return done;
}
