import { once } from 'node:events';
import { pipeline, type Readable, Transform } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { parse } from 'csv-parse';
import { type Delimiter, detectDelimiter, detectEncoding, type Encoding, hasUtf8Bom } from './dialect.ts';
import { inspectXlsx, XlsxRefused } from './xlsx-guard.ts';

/**
 * Limits. Uploads through the web are capped at `maxUploadBytes`; a server-side file (CLI) may
 * be larger (a 500,000-household export is about 190 MB) but stays streamed in bounded memory.
 */
export const IMPORT_LIMITS = {
  maxUploadBytes: 50 * 1024 * 1024,
  maxFileBytes: 1024 * 1024 * 1024,
  maxXlsxBytes: 50 * 1024 * 1024,
  maxLines: 1_200_000,
  maxColumns: 200,
  xlsxTimeoutMs: 120_000,
};

/** How the file was read. */
export type Dialect = { format: 'csv' | 'xlsx'; encoding: Encoding | null; delimiter: Delimiter | null };

/** A file that cannot be read at all, with a French reason. */
export class UnreadableExport extends Error {}
/** A file over the size limit (HTTP 413). */
export class ExportTooLarge extends UnreadableExport {}

/** Rows of an export: the header line, then data lines with their line numbers (1-based, header = 1); blank lines are skipped. */
export type ExportRows = {
  dialect: Dialect;
  headers: string[];
  rows: AsyncIterable<{ line: number; cells: string[] }>;
  /** The same data lines by batches (read either `rows` or `batches`, once): the import's reading loop takes one step per batch. */
  batches: AsyncIterable<{ line: number; cells: string[] }[]>;
};

async function peek(source: Readable, bytes: number): Promise<{ head: Buffer; ended: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const chunk = source.read() as Buffer | null;
    if (chunk) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= bytes) return { head: Buffer.concat(chunks), ended: false };
      continue;
    }
    if (source.readableEnded) return { head: Buffer.concat(chunks), ended: true };
    const result = await Promise.race([once(source, 'readable').then(() => 'readable'), once(source, 'end').then(() => 'end')]);
    if (result === 'end') return { head: Buffer.concat(chunks), ended: true };
  }
}

function limitSize(max: number) {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) return done(new ExportTooLarge(`Le fichier dépasse la taille maximale de ${Math.round(max / 1024 / 1024)} Mo.`));
      done(null, chunk);
    },
  });
}

/** Decoded text, as strings (a character cut between two chunks waits for the next one). */
function decoder(encoding: Encoding) {
  const d = new TextDecoder(encoding);
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, done) {
      const text = d.decode(chunk, { stream: true });
      done(null, text || undefined);
    },
    flush(done) {
      done(null, d.decode() || undefined);
    },
  });
}

const csvOptions = {
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: false,
  trim: true,
  info: true,
  max_record_size: 1024 * 1024,
} as const;

/** A record the fast path leaves to csv-parse: a quote, a line break inside it, or a very long line. */
const needsFullParser = /["\r\n]/;
const FAST_MAX_CHARS = 300_000;

/**
 * CSV records with their line numbers, read from decoded text. Plain records (no quote, no line
 * break inside, not huge) — nearly every line of an ERP export — are split here, as csv-parse
 * with the options above reads them: fields trimmed of the same white space, one line each,
 * a last line of white space only dropped. From the first record that is not plain to the end
 * of the file, csv-parse reads the rest, with the line break already detected and the line
 * numbers carried on. `fast: false` leaves the whole file to csv-parse (tests compare both).
 */
export async function* csvRecords(text: AsyncIterable<string>, delimiter: Delimiter, fast = true): AsyncGenerator<{ line: number; cells: string[] }> {
  for await (const batch of csvRecordBatches(text, delimiter, fast)) yield* batch;
}

/** Rows of a file, by batches (the records of one decoded chunk): one step of the reading loop per batch, not per line. */
type RowBatch = { line: number; cells: string[] }[];

/** csvRecords by batches: the plain records of each decoded chunk together, a record read by csv-parse alone. */
async function* csvRecordBatches(text: AsyncIterable<string>, delimiter: Delimiter, fast = true): AsyncGenerator<RowBatch> {
  const chunks = text[Symbol.asyncIterator]();
  let pending = '';
  let lines = 0;
  let newline: '\r\n' | '\n' | '\r' | null = null;
  let ended = false;
  const split = (record: string) => {
    const cells = record.split(delimiter);
    for (let i = 0; i < cells.length; i++) cells[i] = (cells[i] as string).trim();
    return cells;
  };
  try {
    while (fast) {
      if (newline === null) {
        // The first line break tells the file's, as csv-parse finds it (unless inside quotes: csv-parse then reads it all).
        const at = pending.search(/[\r\n]/);
        if (at >= 0 && pending.lastIndexOf('"', at) >= 0) break;
        if (at >= 0 && (pending[at] === '\n' || at + 1 < pending.length || ended))
          newline = pending[at] === '\n' ? '\n' : pending[at + 1] === '\n' ? '\r\n' : '\r';
      }
      let start = 0;
      if (newline !== null) {
        const batch: RowBatch = [];
        for (;;) {
          const end = pending.indexOf(newline, start);
          if (end < 0) break;
          const record = pending.slice(start, end);
          if (record.length > FAST_MAX_CHARS || needsFullParser.test(record)) break;
          batch.push({ line: ++lines, cells: split(record) });
          start = end + newline.length;
        }
        if (batch.length) yield batch;
      }
      pending = start ? pending.slice(start) : pending;
      // What is left is a record not ended yet; the full parser takes over if it cannot be plain.
      if (pending.length > FAST_MAX_CHARS || pending.includes('"') || (newline !== null && pending.indexOf(newline) >= 0)) break;
      if (newline === '\r\n' ? /\n|\r(?=.)/s.test(pending) : newline !== null && (newline === '\n' ? pending.includes('\r') : pending.includes('\n'))) break;
      if (ended) {
        // The last line, without a line break after it: dropped when it is only white space.
        if (pending.includes(delimiter) || pending.trim() !== '') yield [{ line: ++lines, cells: split(pending) }];
        return;
      }
      const next = await chunks.next();
      if (next.done) ended = true;
      else pending += next.value;
    }
    const parser = parse({ delimiter, ...csvOptions, ...(newline ? { record_delimiter: newline } : {}) });
    const offset = lines;
    // Feed the parser what is left, then the rest of the text; an error of the source stops it.
    void (async () => {
      if (pending && !parser.write(pending)) await once(parser, 'drain');
      if (!ended) {
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
          if (!parser.write(next.value)) await once(parser, 'drain');
        }
      }
      parser.end();
    })().catch((error: Error) => parser.destroy(error));
    try {
      for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        yield [{ line: record.info.lines + offset, cells: record.record }];
      }
    } catch (error) {
      const e = error as { code?: string; lines?: number };
      if (e.code?.startsWith('CSV_') && typeof e.lines === 'number') e.lines += offset;
      throw error;
    }
  } finally {
    await chunks.return?.();
  }
}

/** A parser's error as the French reason the user reads (other errors pass through). */
function unreadableCsv(error: unknown): unknown {
  if (error instanceof UnreadableExport) return error;
  const e = error as { code?: string; lines?: number };
  if (e.code?.startsWith('CSV_'))
    return new UnreadableExport(
      `Le fichier CSV est mal formé vers la ligne ${e.lines ?? '?'} (guillemet non fermé ou ligne trop longue). Rien n’a été importé.`,
    );
  return error;
}

function csvRows(source: Readable, head: Buffer, encoding: Encoding, delimiter: Delimiter, maxBytes: number) {
  const limited = limitSize(maxBytes);
  limited.write(hasUtf8Bom(head) ? head.subarray(3) : head);
  const text = decoder(encoding);
  // pipeline() carries an error of any stage (size limit, decoding) to the text we read.
  pipeline(source, limited, text, () => {});
  // Read as is (no generator around it: one hop less per batch); readExport words its errors.
  return csvRecordBatches(text, delimiter);
}

async function* xlsxRows(buffer: Buffer): AsyncGenerator<string[]> {
  await inspectXlsx(buffer);
  const worker = new Worker(new URL('./xlsx-worker.ts', import.meta.url), { workerData: { buffer }, resourceLimits: { maxOldGenerationSizeMb: 384 } });
  const queue: string[][][] = [];
  let done = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const timer = setTimeout(() => {
    failure = new UnreadableExport('La lecture du fichier XLSX a pris trop de temps : il est refusé. Enregistrez-le en CSV et réessayez.');
    void worker.terminate();
  }, IMPORT_LIMITS.xlsxTimeoutMs);
  worker.on('message', (m: { rows: string[][]; done?: boolean; refused?: string }) => {
    queue.push(m.rows);
    if (m.refused) failure = new UnreadableExport(m.refused);
    if (m.done) done = true;
    wake?.();
  });
  worker.on('error', (e) => {
    failure =
      e instanceof Error && /memory/i.test(e.message)
        ? new UnreadableExport('Ce fichier XLSX demande trop de mémoire : il est refusé.')
        : new UnreadableExport(`Ce fichier XLSX est illisible : ${e.message}`);
    wake?.();
  });
  worker.on('exit', () => {
    done = true;
    wake?.();
  });
  try {
    for (;;) {
      const rows = queue.shift();
      if (rows) {
        yield* rows;
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      await new Promise<void>((r) => {
        wake = r;
      });
      wake = null;
    }
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

async function collect(source: Readable, head: Buffer): Promise<Buffer> {
  const chunks = [head];
  let size = head.length;
  for await (const chunk of source) {
    size += (chunk as Buffer).length;
    if (size > IMPORT_LIMITS.maxXlsxBytes)
      throw new ExportTooLarge(`Un fichier XLSX ne peut pas dépasser ${Math.round(IMPORT_LIMITS.maxXlsxBytes / 1024 / 1024)} Mo : enregistrez-le en CSV.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Decided from the first bytes, before reading the rest: a NUL byte, or more than 1 % of control
 * characters other than tab, line feed, carriage return (never in a text export, in any encoding).
 */
function looksBinary(sample: Buffer): boolean {
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) control++;
  }
  return control > sample.length / 100;
}

/**
 * Open an ERP export (CSV in UTF-8 or Windows-1252 with `;`, `,` or tab, with or without BOM;
 * or XLSX), detected from its content. Streams CSV rows with bounded memory.
 */
export async function readExport(source: Readable, maxBytes: number = IMPORT_LIMITS.maxFileBytes): Promise<ExportRows> {
  source.pause();
  const { head, ended } = await peek(source, 64 * 1024);
  if (head.length === 0) throw new UnreadableExport('Le fichier est vide.');
  let batches: AsyncIterable<RowBatch>;
  let dialect: Dialect;
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    const buffer = await collect(source, head);
    dialect = { format: 'xlsx', encoding: null, delimiter: null };
    batches = (async function* () {
      let line = 0;
      try {
        for await (const cells of xlsxRows(buffer)) yield [{ line: ++line, cells }];
      } catch (error) {
        if (error instanceof XlsxRefused) throw new UnreadableExport(error.message);
        throw error;
      }
    })();
  } else {
    if (looksBinary(head.subarray(0, 4096))) throw new UnreadableExport("Ce fichier n'est ni un CSV ni un XLSX (contenu binaire).");
    const encoding = detectEncoding(head, ended);
    const text = new TextDecoder(encoding).decode(hasUtf8Bom(head) ? head.subarray(3, 8192) : head.subarray(0, 8192));
    const delimiter = detectDelimiter(text);
    dialect = { format: 'csv', encoding, delimiter };
    batches = csvRows(source, head, encoding, delimiter, maxBytes);
  }
  const iterator = batches[Symbol.asyncIterator]();
  // The batch being read for the header and first line, and where in it.
  let batch: RowBatch = [];
  let at = 0;
  const read = async (): Promise<{ line: number; cells: string[] } | null> => {
    while (at >= batch.length) {
      let next: IteratorResult<RowBatch>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw unreadableCsv(error);
      }
      if (next.done) return null;
      batch = next.value;
      at = 0;
    }
    return batch[at++] as { line: number; cells: string[] };
  };
  const blank = (cells: string[]) => cells.every((c) => c.trim() === '');
  let first = await read();
  while (first && blank(first.cells)) first = await read();
  if (!first) throw new UnreadableExport("Le fichier ne contient aucune ligne d'en-tête.");
  const headers = first.cells.map((h) => h.trim());
  if (headers.length > IMPORT_LIMITS.maxColumns)
    throw new UnreadableExport(`Le fichier a ${headers.length} colonnes : au plus ${IMPORT_LIMITS.maxColumns} sont acceptées.`);
  // A header and no line is refused now, not reported later as a finished import of nothing.
  let firstLine = await read();
  while (firstLine && blank(firstLine.cells)) firstLine = await read();
  if (!firstLine) throw new UnreadableExport('Le fichier ne contient aucune ligne.');
  // The lines from the first one on, batch by batch; the lines before one past the limit are given, then the refusal.
  async function* rest(): AsyncGenerator<RowBatch> {
    let lines = batch.slice(at - 1);
    try {
      for (;;) {
        const last = lines[lines.length - 1];
        if (last && last.line > IMPORT_LIMITS.maxLines + 1) {
          const over = lines.findIndex((r) => r.line > IMPORT_LIMITS.maxLines + 1);
          if (over > 0) yield lines.slice(0, over);
          throw new UnreadableExport(`Le fichier dépasse ${IMPORT_LIMITS.maxLines.toLocaleString('fr-FR')} lignes : découpez-le en plusieurs fichiers.`);
        }
        const kept = lines.filter((r) => !blank(r.cells));
        if (kept.length) yield kept;
        let next: IteratorResult<RowBatch>;
        try {
          next = await iterator.next();
        } catch (error) {
          throw unreadableCsv(error);
        }
        if (next.done) return;
        lines = next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  return {
    dialect,
    headers,
    batches: { [Symbol.asyncIterator]: rest },
    rows: {
      [Symbol.asyncIterator]: async function* () {
        for await (const lines of rest()) yield* lines;
      },
    },
  };
}
