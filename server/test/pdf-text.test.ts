import { describe, expect, it } from 'vitest';
import { parseToUnicode, pdfPages, pdfText } from './pdf-text.ts';

describe('pdf-text, the tests’ PDF text extractor', () => {
  it('reads bfchar lines and both bfrange forms of a ToUnicode CMap (surrogate pairs and ligatures included)', () => {
    const cmap = `begincmap
2 beginbfchar
<0003> <0020>
<0010> <d83d de00>
endbfchar
2 beginbfrange
<0004> <0006> [<0041> <1ec5> <0066 0069>]
<0020> <0022> <00e9>
endbfrange
endcmap`;
    const map = parseToUnicode(cmap);
    expect(Object.fromEntries(map)).toEqual({ 3: ' ', 16: '😀', 4: 'A', 5: 'ễ', 6: 'fi', 32: 'é', 33: 'ê', 34: 'ë' });
  });

  it('reads a hand-written PDF whose standard font shows WinAnsi bytes, page by page with positions', () => {
    const content = 'BT\n1 0 0 1 72 700 Tm\n/F1 12 Tf\n[<4d92> 10 <e9e9>] TJ\nET\nBT\n1 0 0 1 72 680 Tm\n/F1 12 Tf\n<80> Tj\nET';
    const objects = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources 5 0 R >>',
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      '<< /Font << /F1 6 0 R >> >>',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    ];
    const pdf = Buffer.from(`%PDF-1.3\n${objects.map((o, i) => `${i + 1} 0 obj\n${o}\nendobj`).join('\n')}\n%%EOF\n`, 'latin1');
    expect(pdfPages(pdf)).toEqual([
      [
        { x: 72, y: 92, text: 'M’éé' },
        { x: 72, y: 112, text: '€' },
      ],
    ]);
    expect(pdfText(pdf)).toBe('M’éé €');
  });
});
