import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pdfPages, pdfText } from '../../test/pdf-text.ts';
import { type Letter, writeLetters } from './letters.ts';

async function lettersPdf(letters: Letter[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  async function* source() {
    yield* letters;
  }
  await writeLetters(out, source(), 'Courriers');
  return Buffer.concat(chunks);
}

const letter = (name: string, body: string): Letter => ({
  address: [name, '12 rue de la Paix', '75002 Paris'],
  body,
  sender: ['Agence Nord', '01 23 45 67 89'],
  dated: 'Le 30 novembre 2026',
});

describe('letters to tenants whose names are not in WinAnsi', () => {
  it('print every letter of the name, in the address window and in the body', async () => {
    const names = ['Nguyễn Thị Hằng', 'Łukasz Wójcik', 'Ayşe Şahin', 'Mehmet Ağaoğlu', 'Αθηνά Παπαδοπούλου', 'Наталья Ковалёва'];
    const pdf = await lettersPdf(names.map((n) => letter(n, `Bonjour ${n}, votre loyer de novembre n’est pas réglé — 250,00 €.`)));
    const pages = pdfPages(pdf);
    expect(pages).toHaveLength(names.length);
    names.forEach((name, i) => {
      const runs = pages[i] ?? [];
      // The first line of the address block is the name, exactly.
      expect(runs.find((r) => Math.abs(r.y - (46 * 72) / 25.4) < 12 && r.x > 290)?.text).toBe(name);
      expect(runs.map((r) => r.text).join(' ')).toContain(`Bonjour ${name}, votre loyer de novembre n’est pas réglé — 250,00 €.`);
    });
    expect(pdfText(pdf)).toContain('Agence Nord');
  });

  it('fits an address line of the postal norm’s 38 characters, in capitals, in the window without cutting it', async () => {
    const line = 'RESIDENCE LES JARDINS DE LA BIEVRE BAT';
    expect(line).toHaveLength(38);
    const pdf = await lettersPdf([{ ...letter('Mme Ayşe ŞAHIN', 'Bonjour.'), address: ['Mme Ayşe ŞAHIN', line, '12 RUE DE LA PAIX', '75002 PARIS'] }]);
    const runs = pdfPages(pdf)[0] ?? [];
    expect(
      runs.map((r) => r.text),
      JSON.stringify(runs.map((r) => r.text)),
    ).toContain(line);
    expect(runs.some((r) => r.text.includes('…'))).toBe(false);
  });
});
