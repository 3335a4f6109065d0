import yauzl from 'yauzl';

/** Limits checked on the zip directory of an XLSX file before anything is inflated. */
export const XLSX_LIMITS = { maxEntries: 2_000, maxTotalUncompressed: 200 * 1024 * 1024, maxRatio: 200 };

/** A refused XLSX file, with a French reason. */
export class XlsxRefused extends Error {}

/**
 * Read the zip central directory only (no inflation) and refuse what could explode: too many
 * entries, a declared uncompressed size too large, or an abnormal compression ratio.
 */
export function inspectXlsx(buffer: Buffer): Promise<{ entries: number; uncompressed: number }> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(new XlsxRefused('Ce fichier XLSX est illisible (archive endommagée).'));
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
          return reject(new XlsxRefused('Ce fichier XLSX se décompresse en un volume anormal (bombe de décompression probable) : il est refusé.'));
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve({ entries, uncompressed: total }));
      zip.on('error', () => reject(new XlsxRefused('Ce fichier XLSX est illisible (archive endommagée).')));
      zip.readEntry();
    });
  });
}
