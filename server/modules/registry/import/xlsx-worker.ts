// Runs in a worker thread with a memory cap: parses the first worksheet of an XLSX file with
// ExcelJS's streaming reader and posts its rows, as strings, in batches.
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import ExcelJS from 'exceljs';

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

const port = parentPort;
if (!port) throw new Error('xlsx-worker must run in a worker thread');
const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(workerData.buffer as Uint8Array)]), {
  worksheets: 'emit',
  sharedStrings: 'cache',
  hyperlinks: 'ignore',
  styles: 'cache',
  entries: 'ignore',
});
let batch: string[][] = [];
let sheets = 0;
for await (const worksheet of reader) {
  if (sheets++ > 0) break;
  for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
    const raw = row.values as unknown[];
    const values = Array.from({ length: Math.max(0, raw.length - 1) }, (_, i) => cellText(raw[i + 1]));
    // Keep the row position: empty rows in between are reported as empty lines.
    batch.push(values);
    if (batch.length >= 1000) {
      port.postMessage({ rows: batch });
      batch = [];
    }
  }
}
port.postMessage({ rows: batch, done: true });
