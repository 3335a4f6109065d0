// Runs in a worker thread with a memory cap: parses the first worksheet of an XLSX file with
// ExcelJS's streaming parts and posts its rows, as strings, in batches.
//
// The zip is not read by ExcelJS (its unzipper trusts the sizes each part declares, and writes
// worksheets met before the shared strings to temporary files): parts are found through the
// central directory and inflated by `openXlsx`, which counts the bytes actually inflated and
// stops at the limits. They are fed to ExcelJS in the order it needs, so nothing touches disk.
import type { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import { openXlsx, XlsxRefused } from './xlsx-guard.ts';

const pad = (n: number) => String(n).padStart(2, '0');

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return `${pad(value.getUTCDate())}/${pad(value.getUTCMonth() + 1)}/${value.getUTCFullYear()}`;
  if (typeof value === 'object') {
    const v = value as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return String(v.text);
    if (v.result !== undefined) return cellText(v.result);
    return '';
  }
  return String(value);
}

/** The parts of ExcelJS's streaming reader that parse one part each (exceljs 4.4). */
type ReaderParts = {
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { rId: string }[] };
  _parseRels: (stream: Readable) => Promise<void>;
  _parseWorkbook: (stream: Readable) => Promise<void>;
  _parseStyles: (stream: Readable) => Promise<void>;
  _parseSharedStrings: (stream: Readable) => AsyncIterable<unknown>;
  _parseWorksheet: (stream: Readable, sheetNo: string) => Iterable<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
};

const port = parentPort;
if (!port) throw new Error('xlsx-worker must run in a worker thread');

/** The first worksheet in the workbook's order, else the lowest-numbered one. */
function firstSheet(reader: ReaderParts, names: string[]): { name: string; sheetNo: string } | null {
  const sheets = names.filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
  const rId = reader.model?.sheets?.[0]?.rId;
  const target = reader.workbookRels?.find((r) => r.Id === rId)?.Target?.replace(/^\/?(xl\/)?/, 'xl/');
  const name = target && sheets.includes(target) ? target : sheets.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]))[0];
  if (!name) return null;
  return { name, sheetNo: /sheet(\d+)\.xml$/.exec(name)?.[1] as string };
}

async function readRows() {
  const archive = await openXlsx(Buffer.from(workerData.buffer as Uint8Array));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(undefined as unknown as Readable, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  }) as unknown as ReaderParts;
  const part = async (name: string, parse: (s: Readable) => Promise<void>) => {
    const stream = await archive.open(name);
    if (stream) await parse(stream);
  };
  await part('xl/_rels/workbook.xml.rels', (s) => reader._parseRels(s));
  await part('xl/workbook.xml', (s) => reader._parseWorkbook(s));
  await part('xl/styles.xml', (s) => reader._parseStyles(s));
  await part('xl/sharedStrings.xml', async (s) => {
    for await (const _ of reader._parseSharedStrings(s));
  });
  const sheet = firstSheet(reader, archive.names);
  const stream = sheet && (await archive.open(sheet.name));
  let batch: string[][] = [];
  if (sheet && stream) {
    for (const { eventType, value: worksheet } of reader._parseWorksheet(stream, sheet.sheetNo)) {
      if (eventType !== 'worksheet') continue;
      for await (const row of worksheet) {
        const raw = row.values as unknown[];
        const values = Array.from({ length: Math.max(0, raw.length - 1) }, (_, i) => cellText(raw[i + 1]));
        // Keep the row position: empty rows in between are reported as empty lines.
        batch.push(values);
        if (batch.length >= 1000) {
          port?.postMessage({ rows: batch });
          batch = [];
        }
      }
    }
  }
  port?.postMessage({ rows: batch, done: true });
}

try {
  await readRows();
} catch (error) {
  if (!(error instanceof XlsxRefused)) throw error;
  port.postMessage({ rows: [], refused: error.message });
}
