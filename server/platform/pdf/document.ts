/**
 * Every PDF Lien makes starts here: a pdfkit document whose fonts are DejaVu Sans,
 * embedded (subset to the glyphs used), registered under three neutral names and `regular`
 * selected. pdfkit's standard fonts (Helvetica…) only know WinAnsi, so a letter to « Nguyễn Thị
 * Hằng », « Łukasz Wójcik » or « Ayşe Şahin » printed a wrong or missing letter in the tenant's
 * own name; DejaVu Sans covers Latin Extended (Vietnamese, Polish, Turkish…), Greek and Cyrillic.
 * The font files are read and parsed (fontkit) once per process, on the first PDF, then shared by
 * every document: parsing the three fonts for each document took longer than drawing a short one.
 * Each document still gets its own subset of the glyphs it shows.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';

/** The names a PDF's code selects fonts by (`doc.font('bold')`); nothing else is registered. */
export type PdfFont = 'regular' | 'bold' | 'italic';

const require = createRequire(import.meta.url);

const files: Record<PdfFont, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
};

let loaded: Record<PdfFont, fontkit.Font> | undefined;

/** The three fonts, read from `dejavu-fonts-ttf` and parsed the first time a PDF is made. */
export function pdfFonts(): Record<PdfFont, fontkit.Font> {
  if (!loaded) {
    const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    const parse = (name: PdfFont) => fontkit.create(readFileSync(path.join(dir, files[name])));
    loaded = { regular: parse('regular'), bold: parse('bold'), italic: parse('italic') };
  }
  return loaded;
}

export type PdfOptions = Omit<PDFKit.PDFDocumentOptions, 'font'>;

/** A new PDF document with the product's fonts registered and `regular` selected. */
export function newPdf(options: PdfOptions = {}): PDFKit.PDFDocument {
  // No default font (not even pdfkit's Helvetica), no page yet: the fonts are registered first.
  const doc = new PDFDocument({ ...options, font: '', autoFirstPage: false });
  const parsed = pdfFonts();
  // pdfkit takes a parsed fontkit font where its types only say bytes or a path.
  for (const name of Object.keys(files) as PdfFont[]) doc.registerFont(name, parsed[name] as unknown as PDFKit.Mixins.PDFFontSource);
  doc.font('regular' satisfies PdfFont);
  if (options.autoFirstPage !== false) doc.addPage();
  return doc;
}
