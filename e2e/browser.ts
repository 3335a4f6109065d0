import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium, headless, with the flags a closed network and root need. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Every URL the page requested, to check that none carries personal data (DP-13). */
export function recordUrls(page: Page, into: string[]) {
  page.on('request', (request) => into.push(request.url()));
}

/** No serious or critical accessibility violation on the current page. */
export async function expectAccessible(page: Page) {
  // No hover or transition state in the way of the contrast check.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations
    .filter((v: { impact?: string | null }) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: { id: string; help: string; nodes: { html: string }[] }) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.html).join(' | ')}`);
  expect(serious).toEqual([]);
}
