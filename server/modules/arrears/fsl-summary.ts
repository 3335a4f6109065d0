/** The pre-filled FSL summary as an A4 PDF, for the social worker to check (issue 14). */
import { newPdf } from '../../platform/pdf/document.ts';

/** The summary's lines (from `fslSummary`) printed one paragraph each; headings end with « : ». */
export function fslSummaryPdf(lines: string[], organisation: string): Promise<Buffer> {
  const doc = newPdf({ size: 'A4', margin: 56, info: { Title: 'Résumé pour une demande FSL', Author: organisation } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const [title, ...rest] = lines;
  doc
    .font('bold')
    .fontSize(12)
    .text(title ?? '');
  doc.moveDown().font('regular').fontSize(10.5);
  for (const p of rest) {
    const heading = p.endsWith(' :');
    doc.font(heading ? 'bold' : 'regular').text(p, { indent: p.startsWith('•') ? 10 : 0 });
    doc.moveDown(heading ? 0.2 : 0.4);
  }
  doc.end();
  return done;
}
