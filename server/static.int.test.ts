import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../scripts/precompress.ts';
import { type App, buildApp } from './app.ts';
import { type Harness, startHarness } from './test/harness.ts';

// A tiny built web app in a temporary folder (no `vite build` needed), precompressed by the
// build step itself, served by the real application.
let h: Harness;
let app: App;
let dist: string;
const script = `export function hello(name) { return "Bonjour " + name; }\n`.repeat(200);
const hashedScript = '/assets/index-D-xbHzVN.js';

beforeAll(async () => {
  dist = await mkdtemp(path.join(os.tmpdir(), 'lien-static-'));
  await mkdir(path.join(dist, 'assets'));
  await writeFile(
    path.join(dist, 'index.html'),
    `<!doctype html><html lang="fr"><title>Lien</title><script type="module" src="${hashedScript}"></script></html>`,
  );
  await writeFile(path.join(dist, hashedScript), script);
  await writeFile(path.join(dist, 'portal.html'), '<!doctype html><html lang="fr"><title>Espace locataire</title></html>');
  await writeFile(path.join(dist, 'assets/index-Dlj-yrfy.css'), 'body { margin: 0; }\n'.repeat(100));
  await writeFile(path.join(dist, 'assets/tiny-AbCd1234.js'), 'export {};\n');
  await writeFile(path.join(dist, 'robots.txt'), 'User-agent: *\nDisallow: /\n'.repeat(60));
  precompressDir(dist);
  h = await startHarness();
  app = await buildApp(h.deps, false, { webDist: dist });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await h?.close();
  await rm(dist, { recursive: true, force: true });
});

const get = (url: string, acceptEncoding?: string) => app.inject({ method: 'GET', url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

describe('static web app: compressed, cached for good when hashed (issue 11)', () => {
  it('the build step writes a brotli and a gzip copy of each text asset, but not of tiny files', () => {
    expect(existsSync(path.join(dist, `${hashedScript}.br`))).toBe(true);
    expect(existsSync(path.join(dist, `${hashedScript}.gz`))).toBe(true);
    expect(existsSync(path.join(dist, 'assets/tiny-AbCd1234.js.br'))).toBe(false);
  });

  it('sends brotli to a browser that accepts it, and the content is the script', async () => {
    const res = await get(hashedScript, 'gzip, deflate, br, zstd');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(String(res.headers['content-type'])).toMatch(/javascript/);
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(res.rawPayload.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(script);
  });

  it('sends gzip when brotli is not accepted, and the plain file when nothing is', async () => {
    const gz = await get(hashedScript, 'gzip, deflate');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(script);
    const plain = await get(hashedScript);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
    const css = await get('/assets/index-Dlj-yrfy.css', 'br');
    expect(css.headers['content-encoding']).toBe('br');
  });

  it('caches hashed assets for a year, immutable, whatever the encoding', async () => {
    for (const encoding of ['br', 'gzip', undefined]) {
      const res = await get(hashedScript, encoding);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    expect((await get('/assets/tiny-AbCd1234.js', 'br')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('sends a script only the headers a script needs; documents keep their CSP and framing rules', async () => {
    const res = await get(hashedScript, 'br');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(String(res.headers['strict-transport-security'])).toContain('max-age=31536000');
    for (const documentOnly of ['content-security-policy', 'x-frame-options', 'referrer-policy', 'last-modified', 'accept-ranges'])
      expect(res.headers[documentOnly], documentOnly).toBeUndefined();
    for (const url of ['/', '/locataire/demo']) {
      const page = await get(url, 'br');
      expect(String(page.headers['content-security-policy']), url).toContain("script-src 'self'");
      expect(page.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(page.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });

  it('has index.html and unhashed files revalidated on every visit', async () => {
    for (const url of ['/', '/appels', '/index.html']) {
      const res = await get(url, 'br');
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('<title>Lien</title>');
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
    const robots = await get('/robots.txt', 'gzip');
    expect(robots.headers['content-encoding']).toBe('gzip');
    expect(robots.headers['cache-control']).toBe('no-cache');
  });

  it('serves the tenant portal, a page of its own, at /locataire/<slug>/… (issue 16)', async () => {
    for (const url of ['/locataire/demo', '/locataire/demo/demandes/nouvelle']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('<title>Espace locataire</title>');
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('does not offer the compressed copies as files of their own', async () => {
    const res = await get(`${hashedScript}.br`);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.rawPayload.subarray(0, 15).toString()).toBe('<!doctype html>');
  });
});
