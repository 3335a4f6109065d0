import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Role } from '../contracts/roles.ts';
import { DEMO_PASSWORD } from '../server/modules/demo/index.ts';
import { can } from '../server/platform/auth/abilities.ts';
import { navigation } from '../web/app/navigation.ts';
import { enterDemoCode, expectAccessible, launchBrowser } from './browser.ts';

// RGAA and axe on every page a role reaches from its menu, at laptop size: one h1, a document
// title naming the page, one menu entry highlighted, French plurals, no serious or critical
// axe violation, and no request refused (403) behind the page's back.

const base = () => inject('baseUrl');
const demoAccounts: [Role, string][] = [
  ['org_admin', 'admin@demo.lien.fr'],
  ['manager', 'responsable@demo.lien.fr'],
  ['staff', 'conseiller@demo.lien.fr'],
  ['social_worker', 'cesf@demo.lien.fr'],
  ['caretaker', 'gardien@demo.lien.fr'],
  ['volunteer', 'benevole@demo.lien.fr'],
  ['partner', 'partenaire@demo.lien.fr'],
  ['federation_analyst', 'analyste@demo.lien.fr'],
  ['arrears_officer', 'recouvrement@demo.lien.fr'],
];

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function newPage() {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(40_000);
  const page = await context.newPage();
  const refused: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 403) refused.push(`${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  return { page, refused };
}

/**
 * The page's structure once loaded: one h1, a title naming it (« … — Lien »), no « (s) », axe
 * clean. `heading` names the page's own h1 when it loads its data first (a loader has none): any
 * h1 could still be the previous page's under a loaded machine.
 */
async function expectWellFormed(page: Page, where: string, heading?: RegExp) {
  await (heading ? page.getByRole('heading', { level: 1, name: heading }) : page.locator('h1').first()).waitFor();
  await page.waitForLoadState('networkidle');
  await expect.poll(() => page.locator('h1').count(), { message: `${where}: exactly one h1`, timeout: 20_000 }).toBe(1);
  const title = await page.title();
  expect(title, `${where}: a document title naming the page`).toMatch(/^.+ — Lien$/);
  expect(await page.locator('body').textContent(), `${where}: French plurals`).not.toMatch(/\w\(s\)/);
  await expectAccessible(page);
  return title;
}

describe('signed out', () => {
  it('the sign-in, second-factor and password pages are well formed and accessible', { timeout: 300_000 }, async () => {
    const { page } = await newPage();
    await page.goto(`${base()}/connexion`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    expect(await expectWellFormed(page, 'connexion')).toBe('Connexion — Lien');
    await page.goto(`${base()}/mot-de-passe-oublie`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    expect(await expectWellFormed(page, 'mot de passe oublié')).toBe('Mot de passe oublié — Lien');
    await page.goto(`${base()}/reinitialiser`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    await expectWellFormed(page, 'réinitialiser');
    await page.goto(`${base()}/invitation`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    await expectWellFormed(page, 'invitation');
    await page.goto(`${base()}/connexion`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    await page.getByLabel('Adresse e-mail').fill('admin@demo.lien.fr');
    await page.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL('**/connexion/code');
    await page.getByRole('heading', { level: 1, name: 'Double authentification' }).waitFor();
    expect(await expectWellFormed(page, 'code')).toBe('Double authentification — Lien');
    await page.context().close();
  });
});

describe.each(demoAccounts)('%s: every page of the menu', (role, email) => {
  it('has one h1, a title naming it, one highlighted menu entry, no 403 and no serious axe violation', { timeout: 400_000 }, async () => {
    const { page, refused } = await newPage();
    await page.goto(`${base()}/connexion`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await enterDemoCode(page);
    await page.waitForURL(`${base()}/`);
    const menu = page.getByRole('navigation', { name: 'Menu principal' });
    const entries = navigation.filter((entry) => !entry.ability || can(role, entry.ability));
    await menu.getByRole('link').first().waitFor();
    expect(await menu.getByRole('link').count()).toBe(entries.length);
    const titles = new Set<string>();
    for (const entry of entries) {
      await menu.getByRole('link', { name: entry.label, exact: true }).click();
      await page.waitForURL((url) => url.pathname === entry.to);
      // The menu and the page render together: once the entry is highlighted, the page is the new one.
      await menu.locator('a[aria-current="page"]', { hasText: entry.label }).waitFor();
      titles.add(await expectWellFormed(page, `${role} ${entry.to}`));
      const current = menu.locator('[aria-current="page"]');
      expect(await current.count(), `${role} ${entry.to}: one menu entry highlighted`).toBe(1);
      expect(await current.textContent()).toBe(entry.label);
      expect(await menu.locator('a[data-active]').count(), `${role} ${entry.to}: one menu entry styled active`).toBe(1);
    }
    // Every page names itself: no two menu pages share a title.
    expect(titles.size).toBe(entries.length);
    expect(refused, `${role}: requests refused while browsing the menu`).toEqual([]);
    await page.context().close();
  });
});

describe('pages below the menu', () => {
  it('a household file and a campaign dashboard keep the parent entry highlighted, and are accessible', { timeout: 300_000 }, async () => {
    const { page, refused } = await newPage();
    await page.goto(`${base()}/connexion`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    await page.getByLabel('Adresse e-mail').fill('responsable@demo.lien.fr');
    await page.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await enterDemoCode(page);
    await page.waitForURL(`${base()}/`);
    const menu = page.getByRole('navigation', { name: 'Menu principal' });
    await menu.getByRole('link', { name: 'Ménages', exact: true }).click();
    await page.waitForURL('**/menages/liste');
    await page.waitForLoadState('networkidle');
    await page.locator('main a[href^="/menages/"]').first().click();
    await page.waitForURL(/\/menages\/[0-9a-f-]{36}$/);
    expect(await expectWellFormed(page, 'fiche ménage', /^Ménage /)).toBe('Fiche du ménage — Lien');
    expect(await menu.locator('[aria-current="page"]').textContent()).toBe('Rechercher un ménage');
    await menu.getByRole('link', { name: 'Campagnes d’appels', exact: true }).click();
    await page.waitForURL('**/campagnes');
    await page.waitForLoadState('networkidle');
    const campaign = page.locator('main a[href^="/campagnes/"]:not([href$="/nouvelle"])').first();
    if (await campaign.count()) {
      await campaign.click();
      await page.waitForURL(/\/campagnes\/[0-9a-f-]{36}$/);
      expect(await expectWellFormed(page, 'tableau de bord', /^(?!Campagnes d’appels$)/)).toMatch(/^Campagne « .+ » — Lien$/);
      expect(await menu.locator('[aria-current="page"]').textContent()).toBe('Campagnes d’appels');
    }
    await page.goto(`${base()}/campagnes/nouvelle`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    expect(await expectWellFormed(page, 'nouvelle campagne')).toBe('Nouvelle campagne — Lien');
    expect(refused).toEqual([]);
    await page.context().close();
  });
});
