import { AxeBuilder } from '@axe-core/playwright';
import pg from 'pg';
import type { APIRequestContext, Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from './machine.ts';

export { launchBrowser };

import { afterAll, beforeAll, expect, inject } from 'vitest';
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

/** Sign in as a demo account (password, then the code the demo shows), and land on the home page. */
export async function signInDemo(page: Page, email: string) {
  await page.goto(`${inject('baseUrl')}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await enterDemoCode(page);
  await page.waitForURL(`${inject('baseUrl')}/`);
}

/**
 * On the second-factor page of the demo organisation, read « Démonstration : code actuel … »
 * and type it, as a person trying the demo would. A code works once: when another sign-in to
 * the same account used it meanwhile, the hint shows the next one within seconds.
 */
export async function enterDemoCode(page: Page) {
  await page.waitForURL('**/connexion/code');
  for (let attempt = 0; ; attempt++) {
    await typeDemoCode(page.locator('body'), page.getByLabel('Code'));
    await page.getByRole('button', { name: 'Valider' }).click();
    const outcome = await Promise.race([
      page.waitForURL((url) => !url.pathname.startsWith('/connexion/code')).then(() => 'signed in'),
      page
        .getByRole('alert')
        .filter({ hasText: 'Code incorrect' })
        .waitFor()
        .then(() => 'refused'),
    ]);
    if (outcome === 'signed in') return;
    if (attempt >= 6) throw new Error('the demo code was refused several times');
    await page.waitForTimeout(5_500);
  }
}

/** Fill a code field with the demo code shown in `scope` (the page, or a re-authentication dialog). */
export async function typeDemoCode(scope: Locator, field: Locator) {
  const code = (await scope.getByTestId('demo-code').textContent({ timeout: 45_000 }))?.trim() ?? '';
  expect(code).toMatch(/^\d{6}$/);
  await field.fill(code);
}

/**
 * A sensitive download after more than 5 minutes (TRUST AA-09): age the demo account's sign-in,
 * click `trigger`, confirm the password and the code in « Confirmez votre identité », return the download.
 */
export async function downloadAfterReauthentication(page: Page, email: string, trigger: Locator) {
  await ownerQuery(
    `update sessions set authenticated_at = now() - interval '10 minutes' where ended_at is null and user_id = (select id from users where email = $1)`,
    [email],
  );
  await trigger.click();
  const dialog = page.getByRole('dialog', { name: 'Confirmez votre identité' });
  await dialog.waitFor();
  await dialog.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
  // Every account has a second factor; the demo shows the code in the dialog.
  await typeDemoCode(dialog, dialog.getByLabel(/^Code de l’application/));
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Confirmer' }).click();
  return download;
}

/**
 * Sign a demo account in through the API of a browser context (cookies kept by the context):
 * password, then the code the demo organisation's helper gives.
 */
export async function signInDemoApi(request: APIRequestContext, email: string) {
  const base = inject('baseUrl');
  expect((await request.post(`${base}/api/auth/sign-in`, { data: { email, password: DEMO_PASSWORD } })).status()).toBe(200);
  for (let attempt = 0; attempt < 8; attempt++) {
    const { code } = (await (await request.get(`${base}/api/auth/demo-code`)).json()) as { code: string | null };
    if (code && (await request.post(`${base}/api/auth/second-factor`, { data: { code } })).status() === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
  throw new Error(`no demo code accepted for ${email}`);
}

/** A browser and one French page in it, with room for a busy machine; close the browser after. */
export async function openPage() {
  const browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'fr-FR' });
  context.setDefaultTimeout(15_000);
  return { browser, page: await context.newPage() };
}

/**
 * One French page for the tests of a file: opened before them (`openPage`), its browser closed
 * after. Call it at the top of the file; the tests read `ui.page`.
 */
export function pageForFile(): { readonly page: Page } {
  let opened: { browser: Browser; page: Page } | null = null;
  beforeAll(async () => {
    opened = await openPage();
  });
  afterAll(async () => {
    await opened?.browser.close();
  });
  return {
    get page() {
      if (!opened) throw new Error('the page opens before the tests (beforeAll)');
      return opened.page;
    },
  };
}

/** Every URL the page requested, to check that none carries personal data (DP-13). */
export function recordUrls(page: Page, into: string[]) {
  page.on('request', (request) => into.push(request.url()));
}

/** No serious or critical accessibility violation on the current page. */
export async function expectAccessible(page: Page) {
  // No hover or transition state in the way of the contrast check: a notification's text failed
  // it once in CI (privacy.e2e.ts), most likely caught in its fade (notifications close by
  // themselves after a few seconds). Transitions and animations end at once while the check runs.
  await page.mouse.move(0, 0);
  const still = await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
  await page.waitForTimeout(300);
  const result = await new AxeBuilder({ page }).analyze();
  await still.evaluate((element) => (element as Element).remove());
  const serious = result.violations
    .filter((v: { impact?: string | null }) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: { id: string; help: string; nodes: { html: string }[] }) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.html).join(' | ')}`);
  expect(serious).toEqual([]);
}
