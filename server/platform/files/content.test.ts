// TRUST IN-08: a file's type is read from its content, and photos lose their metadata.
import { describe, expect, it } from 'vitest';
import { detectType, MalformedFile, withoutMetadata } from './content.ts';

const segment = (marker: number, payload: string) => {
  const body = Buffer.from(payload, 'latin1');
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
};
/** A JPEG's structure: JFIF, EXIF with a GPS position and an owner's name, a comment, then the image data. */
const jpegWithExif = () =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, 'JFIF\0\x01\x02'),
    segment(0xe1, 'Exif\0\0GPS 48.7872N 2.3925E Owner Mme Lefevre'),
    segment(0xfe, 'Appartement 12, escalier B'),
    segment(0xdb, 'quantisation'),
    Buffer.from([0xff, 0xda, 0, 4, 1, 2]),
    Buffer.from('pixels', 'latin1'),
    Buffer.from([0xff, 0xd9]),
  ]);

const pngChunk = (type: string, data: string) => {
  const body = Buffer.from(data, 'latin1');
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body, Buffer.alloc(4)]);
};
const png = () =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', '0123456789abc'),
    pngChunk('tEXt', 'Author\0Mme Lefevre'),
    pngChunk('eXIf', 'GPS 48.78N'),
    pngChunk('IDAT', 'pixels'),
    pngChunk('IEND', ''),
  ]);

describe('the type of a file is read from its content (IN-08)', () => {
  it('recognises JPEG, PNG, WebP and PDF, whatever their name', () => {
    expect(detectType(jpegWithExif())).toBe('image/jpeg');
    expect(detectType(png())).toBe('image/png');
    expect(detectType(Buffer.from('RIFF\x10\0\0\0WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(detectType(Buffer.from('%PDF-1.7\n%âãÏÓ\n'))).toBe('application/pdf');
  });

  it('refuses anything else: a program, a text, an HTML page, a ZIP, a PDF header not at the start', () => {
    expect(detectType(Buffer.from('MZ\x90\0', 'latin1'))).toBeNull();
    expect(detectType(Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR'))).toBeNull();
    expect(detectType(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
    expect(detectType(Buffer.from('PK\x03\x04', 'latin1'))).toBeNull();
    expect(detectType(Buffer.from('<html>%PDF-1.7'))).toBeNull();
  });
});

describe('photos lose their metadata (IN-08)', () => {
  it('a JPEG keeps JFIF, tables and image data, and loses EXIF and comments', () => {
    const clean = withoutMetadata(jpegWithExif(), 'image/jpeg');
    const text = clean.toString('latin1');
    expect(text).not.toContain('GPS');
    expect(text).not.toContain('Lefevre');
    expect(text).not.toContain('escalier');
    expect(text).toContain('JFIF');
    expect(text).toContain('quantisation');
    expect(text.endsWith('pixels\xff\xd9')).toBe(true);
    expect(detectType(clean)).toBe('image/jpeg');
  });

  it('a PNG loses its text and EXIF chunks and keeps the others', () => {
    const clean = withoutMetadata(png(), 'image/png').toString('latin1');
    expect(clean).not.toContain('Lefevre');
    expect(clean).not.toContain('GPS');
    expect(clean).toContain('IHDR');
    expect(clean).toContain('IDAT');
    expect(clean).toContain('IEND');
  });

  it('a WebP loses its EXIF chunk, and its header says so', () => {
    const chunk = (type: string, data: Buffer) => {
      const head = Buffer.alloc(8);
      head.write(type, 0, 'latin1');
      head.writeUInt32LE(data.length, 4);
      return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
    };
    const body = Buffer.concat([
      chunk('VP8X', Buffer.from([0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0])),
      chunk('VP8 ', Buffer.from('pixels')),
      chunk('EXIF', Buffer.from('GPS 48.78N')),
    ]);
    const riff = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP'), body]);
    riff.writeUInt32LE(riff.length - 8, 4);
    const clean = withoutMetadata(riff, 'image/webp');
    expect(clean.toString('latin1')).not.toContain('GPS');
    expect(clean.readUInt32LE(4)).toBe(clean.length - 8);
    expect((clean[20] as number) & 0x08).toBe(0);
    expect(clean.toString('latin1')).toContain('pixels');
  });

  it('a broken JPEG is refused rather than kept half-cleaned', () => {
    const broken = jpegWithExif().subarray(0, 12);
    expect(() => withoutMetadata(broken, 'image/jpeg')).toThrow(MalformedFile);
  });
});
