import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Role } from '../contracts/roles.ts';
import { can } from '../server/platform/auth/abilities.ts';
import { navigation } from '../web/app/navigation.ts';
import { launchBrowser, signInDemo } from './browser.ts';

// No cut-off labels (issue 11, point 9): on every main page, at laptop and phone sizes, no button,
// badge, menu link, table header, label or tab has text wider than its box, and the page itself
// does not scroll sideways. A screenshot of each page is kept in /tmp/first-<size>-<role>-<page>.png
// for a person to look at.

const base = () => inject('baseUrl');
const sizes = {
  laptop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
} as const;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Elements showing a label whose text is wider than their box (clipped, ellipsed or spilling out),
 * described as « tag.class « text » (content width > box width) ». Elements meant to scroll
 * (overflow auto or scroll) are left out, and so are the ones inside them beyond their visible part.
 */
async function cutOffLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = [
      'button',
      'button span',
      'a',
      'a span',
      'th',
      'label',
      '[role="tab"]',
      '[role="radio"]',
      '.mantine-Badge-root',
      '.mantine-Badge-label',
      '.mantine-NavLink-label',
      '.mantine-Stepper-stepLabel',
      '.mantine-Stepper-stepDescription',
      '.mantine-SegmentedControl-label',
      '.mantine-Chip-label',
      '.mantine-Tabs-tabLabel',
      '.mantine-InputWrapper-label',
      '.mantine-Input-input[readonly]',
    ].join(',');
    const meantToScroll = (el: Element) => {
      const style = getComputedStyle(el);
      return ['auto', 'scroll'].includes(style.overflowX);
    };
    const found: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      if (!el.getClientRects().length || el.clientWidth === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'inline') continue;
      if (meantToScroll(el)) continue;
      // Visually hidden text (for screen readers) is 1 pixel wide by design.
      if (el.clientWidth <= 1 || style.clip === 'rect(0px, 0px, 0px, 0px)' || style.clipPath === 'inset(50%)') continue;
      if (!(el.textContent ?? '').trim()) continue;
      if (el.scrollWidth > el.clientWidth + 1) {
        const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60);
        const cls = [...el.classList].find((c) => c.startsWith('mantine-')) ?? '';
        found.push(`${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''} « ${text} » (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    const page = document.documentElement;
    if (page.scrollWidth > window.innerWidth) found.push(`the page scrolls sideways (${page.scrollWidth} > ${window.innerWidth})`);
    return found;
  });
}

/** Open a page, wait until it has drawn its data, and list its cut-off labels; keep a screenshot. */
async function check(page: Page, size: string, who: string, path: string, found: string[]) {
  await page.goto(`${base()}${path}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
  await page.locator('h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => document.fonts.ready);
  const slug = path.replace(/^\//, '').replace(/[^a-z0-9]+/gi, '-') || 'accueil';
  await page.screenshot({ path: `/tmp/first-${size}-${who}-${slug}.png`, fullPage: true });
  for (const problem of await cutOffLabels(page)) found.push(`${path}: ${problem}`);
}

const accounts: [Role, string, string[]][] = [
  // The admin's menu holds every main page; beyond it, a household file, a campaign and its form.
  ['org_admin', 'admin@demo.lien.fr', ['/campagnes/nouvelle']],
  // The field roles' own pages.
  ['volunteer', 'benevole@demo.lien.fr', []],
  ['caretaker', 'gardien@demo.lien.fr', []],
];

describe.each(Object.entries(sizes))('no cut-off labels at %s size', (size, options) => {
  it('the sign-in page', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ locale: 'fr-FR', ...options });
    const page = await context.newPage();
    const found: string[] = [];
    await check(page, size, 'signed-out', '/connexion', found);
    expect(found).toEqual([]);
    await context.close();
  });

  for (const [role, email, more] of accounts) {
    it(`every page of the ${role}'s menu`, { timeout: 600_000 }, async () => {
      const context = await browser.newContext({ locale: 'fr-FR', ...options });
      context.setDefaultTimeout(40_000);
      const page = await context.newPage();
      await signInDemo(page, email);
      const found: string[] = [];
      const paths = navigation.filter((entry) => !entry.ability || can(role, entry.ability)).map((entry) => entry.to);
      for (const path of [...paths, ...more]) await check(page, size, role, path, found);
      if (role === 'org_admin') {
        // A household file and a campaign's dashboard, from their lists.
        await page.goto(`${base()}/menages/liste`, { waitUntil: 'domcontentloaded' });
        const household = page.locator('main a[href^="/menages/"]:not([href$="/liste"])').first();
        await household.waitFor();
        await check(page, size, role, (await household.getAttribute('href')) as string, found);
        await page.goto(`${base()}/campagnes`, { waitUntil: 'domcontentloaded' });
        const campaign = page.locator('main a[href^="/campagnes/"]:not([href$="/nouvelle"])').first();
        await campaign.waitFor();
        await check(page, size, role, (await campaign.getAttribute('href')) as string, found);
      }
      expect(found).toEqual([]);
      await context.close();
    });
  }
});

describe('the menu on a short laptop screen', () => {
  it('scrolls on its own: the administrator reaches its last entry and opens it', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 600 } });
    const page = await context.newPage();
    await signInDemo(page, 'admin@demo.lien.fr');
    const entries = navigation.filter((entry) => !entry.ability || can('org_admin', entry.ability));
    const last = entries.at(-1) as (typeof entries)[number];
    const menu = page.getByRole('navigation', { name: 'Menu principal' });
    const link = menu.getByRole('link', { name: last.label, exact: true });
    await link.waitFor();
    // Taller than the screen: the entry starts below the fold, the menu (not the page) scrolls to it.
    expect(await link.evaluate((a) => a.getBoundingClientRect().top > window.innerHeight)).toBe(true);
    await link.scrollIntoViewIfNeeded();
    expect(await link.evaluate((a) => a.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
    await link.click();
    await page.waitForURL(`**${last.to}`);
    await context.close();
  });
});
