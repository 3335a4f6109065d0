// Benchmark: weight and speed of the web app on a phone (issue 11). The built app (`vite build`,
// precompressed) served by the real server on an embedded PostgreSQL with the demo landlord,
// loaded in headless Chromium emulating a slow 4G phone (150 ms latency, 1.6 Mbit/s down,
// 750 kbit/s up, CPU ×4 slower, 390×844), empty cache:
//  - the sign-in page: JavaScript transferred (compressed), time to « Se connecter »;
//  - the caller's page « Appels » (benevole@demo.lien.fr): JavaScript transferred, time to
//    « Appeler le suivant »; then the same page again with the browser's cache (immutable assets).
//  - the tenant portal's sign-in page (/locataire/demo, issue 16): JavaScript transferred, time
//    to « Recevoir un code ».
// Bars: the caller's page under 150 KB of compressed JavaScript (aim 100 KB); the tenant portal
// under 100 KB.
// Options: --no-build (use the existing web/dist). Prints one JSON line; progress on stderr.
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext } from 'playwright-core';
import { freePort, launchBrowser } from '../e2e/machine.ts';

const root = path.resolve(import.meta.dirname, '..');
const phone = { latencyMs: 150, downloadKbps: 1600, uploadKbps: 750, cpuSlowdown: 4, viewport: { width: 390, height: 844 } };
const log = (message: string) => process.stderr.write(`${message}\n`);

const { values } = parseArgs({ options: { 'no-build': { type: 'boolean', default: false } } });

/** What one page load cost: compressed JavaScript (bytes on the wire, headers included) and time. */
type Load = { scriptBytes: number; scriptRequests: number; cssBytes: number; totalBytes: number; msToButton: number };

/** Load `url` in `context` as a slow 4G phone and wait for the button named `button`. */
async function measure(context: BrowserContext, url: string, button: string): Promise<Load> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: phone.latencyMs,
    downloadThroughput: (phone.downloadKbps * 1000) / 8,
    uploadThroughput: (phone.uploadKbps * 1000) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: phone.cpuSlowdown });
  const types = new Map<string, string>();
  const sizes = { scriptBytes: 0, scriptRequests: 0, cssBytes: 0, totalBytes: 0 };
  cdp.on('Network.responseReceived', (event) => types.set(event.requestId, event.type));
  cdp.on('Network.loadingFinished', (event) => {
    const type = types.get(event.requestId);
    sizes.totalBytes += event.encodedDataLength;
    if (type === 'Script') {
      sizes.scriptBytes += event.encodedDataLength;
      sizes.scriptRequests++;
    } else if (type === 'Stylesheet') sizes.cssBytes += event.encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'commit' });
  await page
    .getByRole('button', { name: button })
    .waitFor({ timeout: 120_000 })
    .catch(async (error) => {
      const shown = ((await page.locator('body').textContent()) ?? '').slice(0, 600);
      throw new Error(`« ${button} » never appeared on ${page.url()}; the page shows:\n${shown}`, { cause: error });
    });
  // Milliseconds since the navigation started, measured by the page itself.
  const msToButton = Math.round(await page.evaluate(() => performance.now()));
  await page.waitForLoadState('networkidle');
  await page.close();
  return { ...sizes, msToButton };
}

/** Sign in through the API (password, then the demo organisation's current code). */
async function signInDemo(context: BrowserContext, baseUrl: string, email: string) {
  const { DEMO_PASSWORD } = await import('../server/modules/demo/index.ts');
  const request = context.request;
  const signIn = await request.post(`${baseUrl}/api/auth/sign-in`, { data: { email, password: DEMO_PASSWORD } });
  if (signIn.status() !== 200) throw new Error(`sign-in of ${email}: ${signIn.status()}`);
  for (let attempt = 0; attempt < 8; attempt++) {
    const { code } = (await (await request.get(`${baseUrl}/api/auth/demo-code`)).json()) as { code: string | null };
    if (code && (await request.post(`${baseUrl}/api/auth/second-factor`, { data: { code } })).status() === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
  throw new Error(`no demo code accepted for ${email}`);
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const summary = (load: Load) => ({
  scriptKB: kb(load.scriptBytes),
  scriptRequests: load.scriptRequests,
  cssKB: kb(load.cssBytes),
  totalKB: kb(load.totalBytes),
  msToButton: load.msToButton,
});

async function main() {
  if (!values['no-build']) {
    log('vite build…');
    execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  }
  const { buildApp } = await import('../server/app.ts');
  const { loadConfig } = await import('../server/config.ts');
  const { seedDemoIfEmpty } = await import('../server/modules/demo/index.ts');
  const { connectDatabase } = await import('../server/platform/db/bootstrap.ts');
  const { createJobs } = await import('../server/platform/jobs/jobs.ts');
  const { createLogger } = await import('../server/platform/logger.ts');

  const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-bench-pages-'));
  await chmod(dir, 0o755);
  const pgPort = 40000 + Math.floor(Math.random() * 20000);
  log('embedded PostgreSQL and demo landlord…');
  const config = loadConfig({ LIEN_DATA_DIR: dir, LIEN_PG_PORT: String(pgPort), PORT: String(await freePort()), LOG_LEVEL: 'warn' });
  const runtime = await connectDatabase(config);
  const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('warn'));
  await jobs.start();
  const app = await buildApp({ config, database: runtime.database, jobs }, false);
  await app.listen({ port: config.PORT, host: '127.0.0.1' });
  const baseUrl = config.publicUrl;
  await seedDemoIfEmpty({ config, database: runtime.database, jobs }, { ownerUrl: runtime.ownerUrl, households: 40, seed: 3 });

  const browser = await launchBrowser();
  const newPhone = () => browser.newContext({ locale: 'fr-FR', viewport: phone.viewport, isMobile: true, hasTouch: true, deviceScaleFactor: 3 });
  try {
    log('sign-in page…');
    const signInContext = await newPhone();
    const signInPage = await measure(signInContext, `${baseUrl}/connexion`, 'Se connecter');
    await signInContext.close();

    log('caller page (benevole@demo.lien.fr)…');
    const callerContext = await newPhone();
    await signInDemo(callerContext, baseUrl, 'benevole@demo.lien.fr');
    // The confidentiality charter is accepted once, before the first call (not what is measured).
    const { version } = (await (await callerContext.request.get(`${baseUrl}/api/calls/charter`)).json()) as { version: string };
    await callerContext.request.post(`${baseUrl}/api/calls/charter`, { data: { version } });
    const callerPage = await measure(callerContext, `${baseUrl}/appels`, 'Appeler le suivant');
    const callerPageCached = await measure(callerContext, `${baseUrl}/appels`, 'Appeler le suivant');
    await callerContext.close();

    log('tenant portal (/locataire/demo)…');
    const tenantContext = await newPhone();
    const portalPage = await measure(tenantContext, `${baseUrl}/locataire/demo`, 'Recevoir un code');
    await tenantContext.close();

    console.log(
      JSON.stringify({
        benchmark: 'page-weight',
        phone,
        signInPage: summary(signInPage),
        callerPage: summary(callerPage),
        callerPageCached: summary(callerPageCached),
        portalPage: summary(portalPage),
        bar: { callerScriptKB: 150, aimKB: 100, met: callerPage.scriptBytes < 150 * 1024 },
        portalBar: { scriptKB: 100, met: portalPage.scriptBytes < 100 * 1024 },
      }),
    );
  } finally {
    await browser.close();
    await app.close();
    await jobs.stop();
    await runtime.shutdown();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
