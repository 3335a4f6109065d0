// fontkit (pdfkit's font engine) ships no types: only what document.ts uses (the glyph coverage
// its tests check on a font parsed for them).
declare module 'fontkit' {
  export type Font = { readonly postscriptName: string; hasGlyphForCodePoint(codePoint: number): boolean };
  export function create(buffer: Uint8Array): Font;
}
