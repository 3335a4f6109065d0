import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../../test/pdf-text.ts';
import { newPdf, parsedFont } from './document.ts';

const serverDir = path.join(import.meta.dirname, '..', '..');
const benchDir = path.join(serverDir, '..', 'bench');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

function render(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = newPdf({ size: 'A4', margin: 50 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  draw(doc);
  doc.end();
  return done;
}

describe('the PDFs of the product', () => {
  it('are all made by newPdf with its font names: no pdfkit standard font, no other PDFDocument', () => {
    const standard = /['"](Helvetica|Times-Roman|Times-Bold|Times-Italic|Courier|Symbol|ZapfDingbats)[\w-]*['"]/;
    const offenders = [...sourceFiles(serverDir), ...sourceFiles(benchDir)].flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const found: string[] = [];
      if (standard.test(text)) found.push(`${path.relative(serverDir, file)}: a pdfkit standard font`);
      if (/from 'pdfkit'/.test(text) && !file.endsWith(path.join('platform', 'pdf', 'document.ts')))
        found.push(`${path.relative(serverDir, file)}: imports pdfkit`);
      return found;
    });
    expect(offenders).toEqual([]);
  });

  it('embed DejaVu Sans (regular, bold, italic) and print names outside WinAnsi exactly', async () => {
    const pdf = await render((doc) => {
      doc.text('Nguyễn Thị Hằng');
      doc.font('bold').text('Łukasz Wójcik');
      doc.font('italic').text('Ayşe Şahin, Ağaoğlu');
      doc.font('regular').text('Αθηνά, Наталья, 250,00 € — « oui »');
    });
    const raw = pdf.toString('latin1');
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
    expect([...raw.matchAll(/\/BaseFont \/[A-Z]{6}\+([\w-]+)/g)].map((m) => m[1])).toEqual(
      expect.arrayContaining(['DejaVuSans', 'DejaVuSans-Bold', 'DejaVuSans-Oblique']),
    );
    expect(pdfText(pdf)).toBe('Nguyễn Thị Hằng Łukasz Wójcik Ayşe Şahin, Ağaoğlu Αθηνά, Наталья, 250,00 € — « oui »');
  });

  it('have a glyph, in regular, bold and italic, for every letter of names written in the Latin, Greek and Cyrillic scripts', () => {
    // Vietnamese, Polish, Turkish, Romanian, Czech, Hungarian, Nordic, German, Spanish, Albanian,
    // Icelandic, Lithuanian, transliterated Arabic, Greek, Russian (not covered: Chinese, Japanese,
    // Korean; Arabic only in regular and unshaped).
    const names =
      'Nguyễn Thị Hằng Łukasz Wójcik Ayşe Şahin Ağaoğlu Ștefan Țurcanu Dvořák Šťastný Kőrösi Ørsted Åse Ærø Straße Ñúñez Çela Þórsson Ėglė Žukauskienė Ḥusayn Ōsaka Αθηνά Наталья Ковалёва';
    const missing = (['regular', 'bold', 'italic', 'condensed'] as const).flatMap((f) => {
      const font = parsedFont(f);
      return [...names].filter((c) => c !== ' ' && !font.hasGlyphForCodePoint(c.codePointAt(0) as number)).map((c) => `${f}: ${c}`);
    });
    expect(missing).toEqual([]);
    expect(parsedFont('regular').hasGlyphForCodePoint('王'.codePointAt(0) as number)).toBe(false);
  });

  it('give each document its own parsed fonts: a Greek or Cyrillic name in one PDF leaves the next one’s text as written', async () => {
    const textOf = async (write: (doc: PDFKit.PDFDocument) => void) => {
      const doc = newPdf();
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      const done = new Promise((resolve) => doc.on('end', resolve));
      write(doc);
      doc.end();
      await done;
      return pdfText(Buffer.concat(chunks));
    };
    // DejaVu draws « A » and « Α », « H » and « Н », « S » and « Ѕ » with one glyph each.
    await textOf((doc) => doc.text('Αθηνά ΠΑΠΑΔΟΠΟΥΛΟΥ, НАТАЛЬЯ, Ѕ'));
    expect(await textOf((doc) => doc.text('PARIS, SAHIN, ATHENA'))).toContain('PARIS, SAHIN, ATHENA');
  });
});
