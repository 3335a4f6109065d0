/**
 * A list to tick on paper (a partner's distribution list, an agency's day of appointments), as a
 * PDF: a title, a subtitle, then its lines. A line that starts with « ☐ » gets a box drawn before
 * it (a box of the same size and place whatever the font); any other line is a bold heading for
 * the boxes under it.
 */
import { newPdf } from './document.ts';

export function checklistPdf(title: string, subtitle: string, lines: readonly string[]): Promise<Buffer> {
  const doc = newPdf({ size: 'A4', margin: 48, info: { Title: title, Author: 'Lien' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.font('bold').fontSize(14).text(title);
  doc.font('regular').fontSize(10.5).text(subtitle);
  doc.moveDown();
  const indent = lines.some((l) => !l.startsWith('☐ ')) ? 12 : 0;
  for (const line of lines) {
    if (line.startsWith('☐ ')) {
      const y = doc.y;
      doc.rect(doc.page.margins.left + indent, y + 1, 9, 9).stroke();
      doc.text(line.slice(2), doc.page.margins.left + indent + 16, y);
      doc.moveDown(0.3);
    } else {
      doc.moveDown(0.4).font('bold').text(line, doc.page.margins.left).font('regular');
    }
  }
  doc.end();
  return done;
}
