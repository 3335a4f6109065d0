/**
 * Every PDF Lien makes starts here: a pdfkit document whose fonts are DejaVu Sans,
 * embedded (subset to the glyphs used), registered under neutral names and `regular`
 * selected. pdfkit's standard fonts (Helvetica…) only know WinAnsi, so a letter to « Nguyễn Thị
 * Hằng », « Łukasz Wójcik » or « Ayşe Şahin » printed a wrong or missing letter in the tenant's
 * own name; DejaVu Sans covers Latin Extended (Vietnamese, Polish, Turkish…), Greek and Cyrillic.
 * The font files are read once per process; each document parses the fonts it uses (a parsed
 * font is never shared, see `parsedFont`) and embeds its own subset of the glyphs it shows.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';

/** The names a PDF's code selects fonts by (`doc.font('bold')`); nothing else is registered. */
export type PdfFont = 'regular' | 'bold' | 'italic' | 'condensed';

const require = createRequire(import.meta.url);

const files: Record<PdfFont, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  // A letter's address window: the postal norm's 38 characters a line fit its 80 mm at 10 pt.
  condensed: 'DejaVuSansCondensed.ttf',
};

let bytes: Record<PdfFont, Buffer> | undefined;

/** The font files, read from `dejavu-fonts-ttf` the first time a PDF is made, then kept. */
function fontBytes(): Record<PdfFont, Buffer> {
  if (!bytes) {
    const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    bytes = Object.fromEntries((Object.keys(files) as PdfFont[]).map((name) => [name, readFileSync(path.join(dir, files[name]))])) as Record<PdfFont, Buffer>;
  }
  return bytes;
}

/**
 * One font, parsed for one use. Never share a parsed font between documents: fontkit remembers,
 * per glyph, the characters it was first laid out for, and pdfkit writes those into each
 * document's text layer (copy, search, screen readers). DejaVu draws Latin « A » and Greek « Α »
 * with one glyph, so a shared font that had laid out a Greek name carried « Α » into every later
 * document's « A » (a letters test caught it).
 */
export function parsedFont(name: PdfFont): fontkit.Font {
  return fontkit.create(fontBytes()[name]);
}

export type PdfOptions = Omit<PDFKit.PDFDocumentOptions, 'font'>;

/** A new PDF document with the product's fonts registered and `regular` selected. */
export function newPdf(options: PdfOptions = {}): PDFKit.PDFDocument {
  // No default font (not even pdfkit's Helvetica), no page yet: the fonts are registered first.
  const doc = new PDFDocument({ ...options, font: '', autoFirstPage: false });
  // The files' bytes: pdfkit parses a font for this document the first time it is selected.
  for (const name of Object.keys(files) as PdfFont[]) doc.registerFont(name, fontBytes()[name]);
  doc.font('regular' satisfies PdfFont);
  if (options.autoFirstPage !== false) doc.addPage();
  return doc;
}
