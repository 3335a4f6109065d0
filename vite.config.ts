import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { precompressDir } from './scripts/precompress.ts';

/** After the bundle is written: `.br` and `.gz` next to each asset, served as they are by the server. */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'lien-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      precompressDir(outDir);
    },
  };
}

export default defineConfig({
  root: 'web',
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // Two pages: the staff app, and the tenant portal (React alone, its own light bundle, issue 16).
    rollupOptions: { input: { main: path.resolve(import.meta.dirname, 'web/index.html'), portal: path.resolve(import.meta.dirname, 'web/portal.html') } },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
