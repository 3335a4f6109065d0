import { type Readable, Transform } from 'node:stream';
import yauzl from 'yauzl';

/**
 * Limits on an XLSX file's zip: checked first on the sizes its directory declares, then again on
 * the bytes actually inflated (a file can lie about its sizes).
 */
export const XLSX_LIMITS = { maxEntries: 2_000, maxTotalUncompressed: 200 * 1024 * 1024, maxRatio: 200 };

/** A refused XLSX file, with a French reason. */
export class XlsxRefused extends Error {}

const damaged = () => new XlsxRefused('Ce fichier XLSX est illisible (archive endommagée).');
const bomb = () => new XlsxRefused('Ce fichier XLSX se décompresse en un volume anormal (bombe de décompression probable) : il est refusé.');
const lying = () =>
  new XlsxRefused('Ce fichier XLSX annonce des tailles fausses pour son contenu (fichier trafiqué ou endommagé) : il est refusé. Rien n’a été importé.');

/**
 * Read the zip central directory only (no inflation) and refuse what could explode: too many
 * entries, a declared uncompressed size too large, or an abnormal compression ratio.
 */
export function inspectXlsx(buffer: Buffer): Promise<{ entries: number; uncompressed: number }> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(damaged());
      if (zip.entryCount > XLSX_LIMITS.maxEntries) {
        zip.close();
        return reject(new XlsxRefused(`Ce fichier XLSX contient ${zip.entryCount} éléments internes : il est refusé par précaution.`));
      }
      let total = 0;
      let entries = 0;
      zip.on('entry', (entry: yauzl.Entry) => {
        entries++;
        total += entry.uncompressedSize;
        const ratio = entry.compressedSize > 0 ? entry.uncompressedSize / entry.compressedSize : entry.uncompressedSize > 0 ? Infinity : 1;
        if (total > XLSX_LIMITS.maxTotalUncompressed || (entry.uncompressedSize > 1024 * 1024 && ratio > XLSX_LIMITS.maxRatio)) {
          zip.close();
          return reject(bomb());
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve({ entries, uncompressed: total }));
      zip.on('error', () => reject(damaged()));
      zip.readEntry();
    });
  });
}

/** An XLSX zip opened from its central directory, whose entries are inflated under a byte budget. */
export type XlsxArchive = {
  names: string[];
  /** The entry's inflated bytes, or null when the archive has no such entry. */
  open: (name: string) => Promise<Readable | null>;
};

/**
 * Open an XLSX zip for reading without trusting it: entries are found through the central
 * directory (yauzl), and every byte inflated is counted, per entry against the size the entry
 * declares and over all entries against `maxTotalUncompressed`. The stream fails with a French
 * `XlsxRefused` as soon as either is passed, so a lying file costs at most the limits, in memory
 * and time; nothing is ever written to disk.
 */
export function openXlsx(buffer: Buffer, maxTotal = XLSX_LIMITS.maxTotalUncompressed): Promise<XlsxArchive> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(damaged());
      if (zip.entryCount > XLSX_LIMITS.maxEntries) return reject(bomb());
      const entries = new Map<string, yauzl.Entry>();
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('error', () => reject(damaged()));
      let inflated = 0;
      const open = (name: string) =>
        new Promise<Readable | null>((resolveEntry, rejectEntry) => {
          const entry = entries.get(name);
          if (!entry) return resolveEntry(null);
          zip.openReadStream(entry, (openError, raw) => {
            if (openError || !raw) return rejectEntry(damaged());
            let seen = 0;
            const counted = new Transform({
              transform(chunk: Buffer, _encoding, done) {
                seen += chunk.length;
                inflated += chunk.length;
                if (seen > entry.uncompressedSize) return done(lying());
                if (inflated > maxTotal) return done(bomb());
                done(null, chunk);
              },
            });
            // yauzl's own check (validateEntrySizes) and ours both end as a French refusal.
            raw.on('error', (e: Error) => counted.destroy(/too many bytes|too few bytes/i.test(e.message) ? lying() : damaged()));
            counted.on('close', () => {
              raw.unpipe(counted);
              raw.destroy();
            });
            raw.pipe(counted);
            resolveEntry(counted);
          });
        });
      zip.on('end', () => resolve({ names: [...entries.keys()], open }));
      zip.readEntry();
    });
  });
}
