import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, expectAccessible, launchBrowser, ownerQuery, recordUrls, signInDemo } from './browser.ts';

// Issue 11, point 3: the search finds a residence or a street as staff type them, and keeps the
// query and its results when the user comes back from a household file.
let browser: Browser;
const base = () => inject('baseUrl');

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function newPage(viewport: { width: number; height: number }) {
  const context = await browser.newContext({ locale: 'fr-FR', viewport });
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

/** Search, open the first household, come back by « ← Recherche » then by the browser: same query, same results. */
async function searchOpenAndComeBack(page: Page, query: string, expectedResidence: string) {
  const urls: string[] = [];
  recordUrls(page, urls);
  let searches = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/api/households/search')) searches++;
  });
  const box = page.getByLabel('Nom, téléphone, adresse ou référence');
  await box.fill(query);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  const hits = page.getByRole('link', { name: /^Ménage / });
  await hits.first().waitFor();
  const status = page.getByRole('status').filter({ hasText: /ménages? trouvés?/ });
  await eventually(() => status.textContent()).toMatch(/^\d+ ménages? trouvés?$/);
  const found = await status.textContent();
  const names = await hits.allTextContents();
  expect(names.length).toBeGreaterThan(1);
  for (const text of names) expect(text).toContain(expectedResidence);
  await expectAccessible(page);
  expect(searches).toBe(1);

  // « ← Recherche » from the household file.
  await hits.first().click();
  await page.waitForURL(/\/menages\/[0-9a-f-]{36}$/);
  await page.getByRole('link', { name: '← Recherche' }).click();
  await page.waitForURL(`${base()}/menages`);
  await eventually(() => box.inputValue()).toBe(query);
  await eventually(() => status.textContent()).toBe(found);
  expect(await hits.allTextContents()).toEqual(names);

  // The browser's back button.
  await hits.nth(1).click();
  await page.waitForURL(/\/menages\/[0-9a-f-]{36}$/);
  await page.goBack();
  await page.waitForURL(`${base()}/menages`);
  await eventually(() => box.inputValue()).toBe(query);
  await eventually(() => status.textContent()).toBe(found);
  expect(await hits.allTextContents()).toEqual(names);
  // Shown again from memory, not searched again; the words never in a URL (DP-13).
  expect(searches).toBe(1);
  const plain = query.toLowerCase().split(' ').at(-1) as string;
  expect(urls.filter((u) => decodeURIComponent(u).toLowerCase().includes(plain))).toEqual([]);
}

describe('search by residence or street, and back to the results', () => {
  it('on a laptop: a staff member of agency Nord searches « Les Tilleuls »', async () => {
    const [tilleuls] = await ownerQuery<{ n: number }>(
      `select count(*)::int as n from households h join housing_units u on u.id = h.unit_id join residences r on r.id = u.residence_id
       join organisations o on o.id = r.organisation_id where o.slug = 'demo' and r.name = 'Les Tilleuls'`,
    );
    expect(tilleuls?.n).toBeGreaterThan(1);
    const page = await newPage({ width: 1280, height: 800 });
    await signInDemo(page, 'conseiller@demo.lien.fr');
    await page.getByRole('link', { name: 'Rechercher un ménage' }).click();
    await page.waitForURL(`${base()}/menages`);
    await searchOpenAndComeBack(page, 'Les Tilleuls', 'Les Tilleuls');
  });
  it('on a phone: the manager searches a street without its number nor its accent', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await signInDemo(page, 'responsable@demo.lien.fr');
    await page.goto(`${base()}/menages`);
    await searchOpenAndComeBack(page, 'rue Jean Jaures', '12 rue Jean Jaurès');
  });
});
