import { AxeBuilder } from '@axe-core/playwright';
import pg from 'pg';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { DEMO_PASSWORD } from '../server/modules/demo/index.ts';

/** expect.poll with room for a busy machine. */
export const eventually = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 200 });

/** A query on the test database as its owner (checks behind the page's back, RLS bypassed). */
export async function ownerQuery<T>(text: string, values: unknown[] = []): Promise<T[]> {
  const db = new pg.Client({ connectionString: inject('e2eOwnerUrl') });
  await db.connect();
  try {
    return (await db.query(text, values)).rows as T[];
  } finally {
    await db.end();
  }
}

/** Sign in as a demo account without a second factor, and land on the home page. */
export async function signInDemo(page: Page, email: string) {
  await page.goto(`${inject('baseUrl')}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${inject('baseUrl')}/`);
}

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

/** A browser and one French page in it, with room for a busy machine; close the browser after. */
export async function openPage() {
  const browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'fr-FR' });
  context.setDefaultTimeout(15_000);
  return { browser, page: await context.newPage() };
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
