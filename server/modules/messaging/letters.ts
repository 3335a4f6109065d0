/**
 * The letters of a send (issue 15): one A4 PDF, one page per household with neither a mobile nor
 * an e-mail, ready to print, fold in three and post in a French DL window envelope (ADR 0017).
 *
 * The envelope: DL, 220 × 110 mm, window 100 × 45 mm on the right, 20 mm from the right edge
 * and 15 mm from the bottom edge. An A4 sheet (210 × 297 mm) folded in three gives a 210 × 99 mm
 * panel — its top third faces the window — that slides 10 mm sideways and 11 mm up and down in
 * the envelope. With the sheet centred and resting on the bottom, the window shows, on the page,
 * x 95–195 mm and y 39–84 mm from the top-left corner. The address block sits at x 105 mm,
 * y 46 mm, at most 6 lines of 80 mm (La Poste: 6 lines of 38 characters at most), so it stays
 * inside the window wherever the sheet moves by 5 mm.
 *
 * The PDF is streamed: the letters come from an async iterable (read from the database page by
 * page) and each page goes to the output as soon as it is drawn (pdfkit without buffered pages),
 * so memory stays flat for 10,000 households.
 */
import type { Writable } from 'node:stream';
import { newPdf } from '../../platform/pdf/document.ts';

/** Millimetres to PDF points. */
export const mm = (v: number) => (v * 72) / 25.4;

/** Where the address block is printed on the page, and the window it must stay in (mm, from the top-left corner). */
export const addressBlock = { x: 105, y: 46, width: 80, maxLines: 6, fontSize: 10 } as const;
export const windowOnPage = { left: 95, right: 195, top: 39, bottom: 84 } as const;

export type Letter = {
  /** Name, street, postal code and city, as printed in the window. */
  address: string[];
  body: string;
  /** The sender's block, top left (agency and its phone). */
  sender: string[];
  /** « Le 30 novembre 2026 ». */
  dated: string;
};

/** Write the letters as one PDF to `out`; resolves with the number of pages once it is flushed. */
export async function writeLetters(out: Writable, letters: AsyncIterable<Letter>, title: string): Promise<number> {
  const doc = newPdf({ size: 'A4', margin: mm(20), autoFirstPage: false, bufferPages: false, info: { Title: title } });
  const finished = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('close', resolve);
    out.on('error', reject);
    doc.on('error', reject);
  });
  doc.pipe(out);
  let pages = 0;
  for await (const letter of letters) {
    doc.addPage();
    pages++;
    doc.font('regular').fontSize(9);
    letter.sender.forEach((line, i) => {
      doc.text(line, mm(20), mm(20) + i * 12, { lineBreak: false });
    });
    // The address block: one line at a time at fixed positions, never wrapped out of the window.
    doc.font('condensed').fontSize(addressBlock.fontSize);
    letter.address.slice(0, addressBlock.maxLines).forEach((line, i) => {
      doc.text(line, mm(addressBlock.x), mm(addressBlock.y) + i * (addressBlock.fontSize + 2), {
        width: mm(addressBlock.width),
        lineBreak: false,
        ellipsis: true,
        height: addressBlock.fontSize + 2,
      });
    });
    doc.fontSize(10).text(letter.dated, mm(105), mm(95), { lineBreak: false });
    doc.fontSize(10.5).text(letter.body, mm(20), mm(110), { width: mm(170), align: 'left' });
  }
  doc.end();
  await finished;
  return pages;
}
