// Build step (run by Vite after every `vite build`, see vite.config.ts; or `node scripts/precompress.ts [dir]`):
// write `file.br` and `file.gz` next to each text asset of the built web app, once, at the best
// compression levels, so the server sends them as they are (@fastify/static `preCompressed`)
// instead of 1.4 MB of plain JavaScript to a phone.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const compressible = /\.(js|mjs|css|html|svg|json|txt|map|webmanifest)$/;
/** Below this, the headers cost more than what compression saves: the plain file is served. */
const minimumBytes = 1024;

/** Compress every text file under `dir` (recursively); returns the number of files compressed. */
export function precompressDir(dir: string): number {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      count += precompressDir(full);
      continue;
    }
    if (!compressible.test(entry.name) || statSync(full).size < minimumBytes) continue;
    const plain = readFileSync(full);
    const brotli = brotliCompressSync(plain, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: plain.length },
    });
    const gzip = gzipSync(plain, { level: constants.Z_BEST_COMPRESSION });
    // A variant that is not smaller is not written: the server then falls back to the plain file.
    if (brotli.length < plain.length) writeFileSync(`${full}.br`, brotli);
    if (gzip.length < plain.length) writeFileSync(`${full}.gz`, gzip);
    count++;
  }
  return count;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../web/dist'));
  console.log(`${precompressDir(dir)} fichiers compressés (brotli et gzip) dans ${dir}`);
}
