/** Detection of the dialect of a CSV export: encoding and separator. */

export type Encoding = 'utf-8' | 'windows-1252';
export type Delimiter = ';' | ',' | '\t';

const BOM = [0xef, 0xbb, 0xbf];

export function hasUtf8Bom(sample: Uint8Array): boolean {
  return BOM.every((b, i) => sample[i] === b);
}

/**
 * UTF-8 when the sample decodes strictly (ignoring a sequence cut at its end), Windows-1252
 * otherwise: the two encodings French ERP exports come in. Latin-1 files decode identically
 * as Windows-1252 for every printable character.
 */
export function detectEncoding(sample: Uint8Array, complete: boolean): Encoding {
  if (hasUtf8Bom(sample)) return 'utf-8';
  let bytes = sample;
  if (!complete) {
    // Drop a multi-byte sequence that the sample may have cut in two.
    let end = bytes.length;
    for (let i = 1; i <= 3 && end - i >= 0; i++) {
      const b = bytes[end - i] as number;
      if ((b & 0xc0) === 0xc0) {
        end -= i;
        break;
      }
      if ((b & 0x80) === 0) break;
    }
    bytes = bytes.subarray(0, end);
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/** The separator that appears most often in the header line, outside quotes. */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as Delimiter]++;
  }
  const best = (Object.entries(counts) as [Delimiter, number][]).sort((a, b) => b[1] - a[1])[0] as [Delimiter, number];
  return best[1] > 0 ? best[0] : ';';
}
