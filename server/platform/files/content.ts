/**
 * What a stored file may be (TRUST IN-08): its type is read from its first bytes, never from its
 * name or the browser's word, and only photos (JPEG, PNG, WebP) and PDF documents are kept.
 * Photos lose their metadata (EXIF: place and time of the shot, camera, often the tenant's name)
 * before they are written; their pixels are left untouched.
 */

export const acceptedTypes = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type AcceptedType = (typeof acceptedTypes)[number];

/** The extension given to a downloaded file of this type. */
export const extensionOf: Record<AcceptedType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' };

const startsWith = (bytes: Buffer, signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The type of these bytes, or null when they are none of the accepted types. */
export function detectType(bytes: Buffer): AcceptedType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf';
  return null;
}

/** A file whose structure is broken: refused rather than kept half-cleaned. */
export class MalformedFile extends Error {}

/** The bytes to store: photos without their metadata, PDF as they came. */
export function withoutMetadata(bytes: Buffer, type: AcceptedType): Buffer {
  switch (type) {
    case 'image/jpeg':
      return jpegWithoutMetadata(bytes);
    case 'image/png':
      return pngWithoutMetadata(bytes);
    case 'image/webp':
      return webpWithoutMetadata(bytes);
    default:
      return bytes;
  }
}

// JPEG: the segments before the image data; APP1 (EXIF, XMP), APP13 (IPTC) and comments go,
// APP0 (JFIF) and APP2 (colour profile) stay. From the start-of-scan marker on, bytes are copied.
function jpegWithoutMetadata(bytes: Buffer): Buffer {
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  let at = 2;
  for (;;) {
    if (at + 4 > bytes.length || bytes[at] !== 0xff) throw new MalformedFile('Image JPEG illisible.');
    const marker = bytes[at + 1] as number;
    if (marker === 0xda || marker === 0xd9) {
      kept.push(bytes.subarray(at));
      return Buffer.concat(kept);
    }
    const length = bytes.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) throw new MalformedFile('Image JPEG illisible.');
    const dropped = marker === 0xe1 || marker === 0xed || marker === 0xfe || (marker >= 0xe3 && marker <= 0xef);
    if (!dropped) kept.push(bytes.subarray(at, end));
    at = end;
  }
}

// PNG: text, time and EXIF chunks go; every other chunk is copied as it is (with its CRC).
const pngDropped = new Set(['eXIf', 'tEXt', 'iTXt', 'zTXt', 'tIME']);
function pngWithoutMetadata(bytes: Buffer): Buffer {
  const kept: Buffer[] = [bytes.subarray(0, 8)];
  let at = 8;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new MalformedFile('Image PNG illisible.');
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const end = at + 12 + length;
    if (end > bytes.length) throw new MalformedFile('Image PNG illisible.');
    if (!pngDropped.has(type)) kept.push(bytes.subarray(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  return Buffer.concat(kept);
}

// WebP: the EXIF and XMP chunks go, and the extended header's flags say so.
function webpWithoutMetadata(bytes: Buffer): Buffer {
  const kept: Buffer[] = [];
  let at = 12;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) throw new MalformedFile('Image WebP illisible.');
    const type = bytes.toString('latin1', at, at + 4);
    const length = bytes.readUInt32LE(at + 4);
    const end = at + 8 + length + (length % 2);
    if (at + 8 + length > bytes.length) throw new MalformedFile('Image WebP illisible.');
    if (type === 'VP8X') {
      const chunk = Buffer.from(bytes.subarray(at, Math.min(end, bytes.length)));
      chunk[8] = (chunk[8] as number) & ~0x0c; // no EXIF (0x08), no XMP (0x04)
      kept.push(chunk);
    } else if (type !== 'EXIF' && type !== 'XMP ') kept.push(bytes.subarray(at, Math.min(end, bytes.length)));
    at = end;
  }
  const body = Buffer.concat(kept);
  const header = Buffer.from(bytes.subarray(0, 12));
  header.writeUInt32LE(body.length + 4, 4);
  return Buffer.concat([header, body]);
}
