// fontkit (pdfkit's font engine, a direct dependency so the fonts are parsed once per process)
// ships no types: only what document.ts uses. pdfkit accepts the parsed font in place of the bytes.
declare module 'fontkit' {
  export type Font = { readonly postscriptName: string; hasGlyphForCodePoint(codePoint: number): boolean };
  export function create(buffer: Uint8Array): Font;
}
