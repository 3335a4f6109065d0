/**
 * The text a PDF written by pdfkit shows, for tests: one extractor shared by every test that reads
 * a PDF. It walks the page tree in order, inflates each page's content stream and decodes every
 * string of a `TJ`/`Tj` with the font selected by the last `Tf`:
 * - an embedded font (Type0, Identity-H: 2-byte glyph ids) through its ToUnicode CMap
 *   (`bfchar` and `bfrange`, both forms), which is what a reader's copy-paste or search uses;
 * - a standard font (no ToUnicode) as WinAnsi bytes.
 * It knows only what pdfkit writes (direct stream lengths, hex strings), and says so when it meets
 * anything else rather than guessing.
 */
import { inflateSync } from 'node:zlib';

export type TextRun = {
  /** Points from the left edge. */
  x: number;
  /** Points from the top edge (pdfkit flips the page and places each run with `1 0 0 1 x y Tm`). */
  y: number;
  text: string;
};

type PdfObject = { dict: string; stream?: Buffer };

/** WinAnsi's bytes 0x80–0x9f (they differ from Latin-1; the others read as Latin-1; the 5 unused keep their byte). */
const winAnsi80 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const raw = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\s*/g;
  let at = 0;
  for (;;) {
    header.lastIndex = at;
    const m = header.exec(raw);
    if (!m) break;
    const start = m.index + m[0].length;
    const end = raw.indexOf('endobj', start);
    const streamAt = raw.indexOf('stream\n', start);
    if (streamAt !== -1 && streamAt < end) {
      const dict = raw.slice(start, streamAt);
      const length = /\/Length (\d+)(?! \d+ R)/.exec(dict);
      if (!length) throw new Error(`pdf-text: object ${m[1]} has no direct /Length`);
      const dataStart = streamAt + 'stream\n'.length;
      const data = pdf.subarray(dataStart, dataStart + Number(length[1]));
      objects.set(Number(m[1]), { dict, stream: dict.includes('/FlateDecode') ? inflateSync(data) : data });
      at = raw.indexOf('endobj', dataStart + data.length) + 'endobj'.length;
    } else {
      objects.set(Number(m[1]), { dict: raw.slice(start, end) });
      at = end + 'endobj'.length;
    }
  }
  return objects;
}

const ref = (dict: string, key: string): number | undefined => {
  const m = new RegExp(`/${key} (\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : undefined;
};

/** UTF-16BE hex (code units possibly separated by spaces) to a string. */
const utf16 = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex').swap16().toString('utf16le');

/** A ToUnicode CMap's code → text (bfchar lines and bfrange lines, array or incrementing form). */
export function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const e of (block[1] as string).matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g))
      map.set(Number.parseInt(e[1] as string, 16), utf16(e[2] as string));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const e of (block[1] as string).matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F\s]+>)/g)) {
      const from = Number.parseInt(e[1] as string, 16);
      const to = Number.parseInt(e[2] as string, 16);
      const target = e[3] as string;
      if (target.startsWith('[')) {
        const items = [...target.matchAll(/<([0-9a-fA-F\s]*)>/g)].map((t) => utf16(t[1] as string));
        items.forEach((text, i) => {
          if (from + i <= to) map.set(from + i, text);
        });
      } else {
        // <from> <to> <first>: the last code unit increments along the range.
        const units = Buffer.from(target.slice(1, -1).replace(/\s+/g, ''), 'hex');
        for (let code = from; code <= to; code++) {
          const b = Buffer.from(units);
          b.writeUInt16BE(b.readUInt16BE(b.length - 2) + (code - from), b.length - 2);
          map.set(code, b.swap16().toString('utf16le'));
        }
      }
    }
  return map;
}

type FontDecoder = (hex: string) => string;

function fontDecoder(objects: Map<number, PdfObject>, fontId: number): FontDecoder {
  const font = objects.get(fontId);
  if (!font) throw new Error(`pdf-text: font object ${fontId} missing`);
  const toUnicode = ref(font.dict, 'ToUnicode');
  if (toUnicode === undefined) {
    return (hex) => [...Buffer.from(hex, 'hex')].map((b) => (b >= 0x80 && b < 0xa0 ? winAnsi80[b - 0x80] : String.fromCharCode(b))).join('');
  }
  const cmap = objects.get(toUnicode)?.stream;
  if (!cmap) throw new Error(`pdf-text: ToUnicode ${toUnicode} missing`);
  const map = parseToUnicode(cmap.toString('latin1'));
  return (hex) => {
    let text = '';
    for (let i = 0; i + 4 <= hex.length; i += 4) {
      const code = Number.parseInt(hex.slice(i, i + 4), 16);
      const t = map.get(code);
      if (t === undefined) throw new Error(`pdf-text: glyph ${code} of font ${fontId} has no Unicode`);
      text += t;
    }
    return text;
  };
}

/** The page objects in reading order (the page tree walked from the catalog's /Pages). */
function pageIds(objects: Map<number, PdfObject>): number[] {
  const catalog = [...objects.values()].find((o) => /\/Type \/Catalog/.test(o.dict));
  const root = catalog && ref(catalog.dict, 'Pages');
  if (root === undefined) throw new Error('pdf-text: no page tree');
  const walk = (id: number): number[] => {
    const node = objects.get(id);
    if (!node) return [];
    if (/\/Type \/Pages/.test(node.dict)) {
      const kids = /\/Kids \[([^\]]*)\]/.exec(node.dict)?.[1] ?? '';
      return [...kids.matchAll(/(\d+) 0 R/g)].flatMap((k) => walk(Number(k[1])));
    }
    return [id];
  };
  return walk(root);
}

/** The font resources of a page: name (F1…) → font object. */
function pageFonts(objects: Map<number, PdfObject>, page: PdfObject): Map<string, number> {
  const resourcesId = ref(page.dict, 'Resources');
  const resources = resourcesId === undefined ? page.dict : (objects.get(resourcesId)?.dict ?? '');
  const fontDict = /\/Font <<([\s\S]*?)>>/.exec(resources)?.[1] ?? '';
  return new Map([...fontDict.matchAll(/\/([\w.+-]+) (\d+) 0 R/g)].map((f) => [f[1] as string, Number(f[2])]));
}

/** The text runs of each page: position and text, in the order they are drawn. */
export function pdfPages(pdf: Buffer): TextRun[][] {
  const objects = readObjects(pdf);
  const decoders = new Map<number, FontDecoder>();
  return pageIds(objects).map((id) => {
    const page = objects.get(id) as PdfObject;
    const fonts = pageFonts(objects, page);
    const mediaBox = /\/MediaBox \[([\d.\s]+)\]/.exec(page.dict)?.[1]?.trim().split(/\s+/).map(Number) ?? [0, 0, 0, 0];
    const height = mediaBox[3] ?? 0;
    const contentIds = /\/Contents (\d+) 0 R/.exec(page.dict);
    const content = contentIds ? (objects.get(Number(contentIds[1]))?.stream?.toString('latin1') ?? '') : '';
    const runs: TextRun[] = [];
    let decode: FontDecoder | undefined;
    let x = 0;
    let y = 0;
    for (const op of content.matchAll(/\/([\w.+-]+) [\d.]+ Tf|1 0 0 1 ([\d.-]+) ([\d.-]+) Tm|\[((?:[^\]])*)\] TJ|<([0-9a-fA-F]*)> Tj/g)) {
      if (op[1] !== undefined) {
        const fontId = fonts.get(op[1]);
        if (fontId === undefined) throw new Error(`pdf-text: font ${op[1]} not in the page's resources`);
        decode = decoders.get(fontId) ?? fontDecoder(objects, fontId);
        decoders.set(fontId, decode);
      } else if (op[2] !== undefined) {
        x = Number(op[2]);
        y = height - Number(op[3]);
      } else {
        if (!decode) throw new Error('pdf-text: text shown before any font is selected');
        const strings = op[4] !== undefined ? [...op[4].matchAll(/<([0-9a-fA-F]*)>/g)].map((s) => s[1] as string) : [op[5] as string];
        runs.push({ x, y, text: strings.map((s) => (decode as FontDecoder)(s)).join('') });
      }
    }
    return runs;
  });
}

/** All the text of a PDF, its runs separated by spaces. */
export function pdfText(pdf: Buffer): string {
  return pdfPages(pdf)
    .flatMap((runs) => runs.map((r) => r.text))
    .join(' ');
}
