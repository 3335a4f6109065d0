import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/modules/demo/index.ts';
import { currentTotp } from '../server/platform/auth/totp.ts';
import { enterDemoCode, expectAccessible, launchBrowser, recordUrls } from './browser.ts';

let browser: Browser;
let adminContext: BrowserContext;
let admin: Page;
const urls: string[] = [];
const base = () => inject('baseUrl');
const inviteeEmail = `nouvelle.${Date.now()}@demo.lien.fr`;
const inviteePassword = 'une phrase de passe pour Inès';

/** Enrol the second factor on « Sécurité » (first sign-in), note the recovery codes, go on. */
async function enrolSecondFactor(page: Page) {
  await page.waitForURL('**/compte/securite');
  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent())?.trim() as string;
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  expect(await page.getByRole('img', { name: 'QR code de la double authentification' }).isVisible()).toBe(true);
  await page.getByLabel('Code').fill(currentTotp(secret));
  await page.getByRole('button', { name: 'Activer' }).click();
  await page.getByTestId('recovery-code').first().waitFor();
  const codes = await page.getByTestId('recovery-code').allTextContents();
  expect(codes).toHaveLength(10);
  expect(await page.getByText('Ils ne seront plus jamais affichés.', { exact: false }).isVisible()).toBe(true);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'J’ai mis mes codes en lieu sûr' }).click();
  await page.waitForURL(`${base()}/`);
  return codes;
}

beforeAll(async () => {
  browser = await launchBrowser();
  adminContext = await browser.newContext({ locale: 'fr-FR' });
  adminContext.setDefaultTimeout(15_000);
  admin = await adminContext.newPage();
  recordUrls(admin, urls);
});
afterAll(async () => {
  await browser?.close();
});

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${base()}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel(/^Mot de passe/).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

describe('foundation journeys in a real browser', () => {
  it('the sign-in page is in French, accessible, and refuses a wrong password', async () => {
    await admin.goto(base());
    await admin.waitForURL('**/connexion');
    expect(await admin.locator('html').getAttribute('lang')).toBe('fr');
    await expectAccessible(admin);
    await signIn(admin, 'admin@demo.lien.fr', 'pas le bon mot de passe');
    await expect.poll(() => admin.getByRole('alert').textContent()).toContain('Adresse e-mail ou mot de passe incorrect');
  });

  it('the demo org admin gives the code shown by the demo on the second-factor page, then lands in the application', async () => {
    await signIn(admin, 'admin@demo.lien.fr', DEMO_PASSWORD);
    await admin.waitForURL('**/connexion/code');
    // Another test may just have used this 30-second step's code: the hint then waits for the next one.
    await expect.poll(() => admin.getByTestId('demo-code-hint').textContent(), { timeout: 40_000 }).toMatch(/Démonstration : code actuel \d{6}/);
    await expectAccessible(admin);
    await enterDemoCode(admin);
    await admin.waitForURL(`${base()}/`);
    await expect.poll(() => admin.getByRole('heading', { level: 1 }).textContent()).toBe('Bonjour Amélie');
    const menu = await admin.getByRole('navigation', { name: 'Menu principal' }).textContent();
    expect(menu).toContain('Utilisateurs');
    expect(menu).toContain("Journal d'audit");
    await expectAccessible(admin);
  });

  it('an admin invites a user, who follows the e-mailed link, chooses a password, enrols the second factor and signs in', async () => {
    const email = inviteeEmail;
    await admin.getByRole('link', { name: 'Utilisateurs' }).click();
    await admin.waitForURL('**/admin/utilisateurs');
    await admin.getByRole('button', { name: 'Inviter un utilisateur' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('Adresse e-mail').fill(email);
    await dialog.getByLabel('Prénom').fill('Inès');
    await dialog.getByLabel(/^Nom/).fill('Diallo');
    await dialog.getByRole('button', { name: 'Envoyer l’invitation' }).click();
    await expect.poll(() => admin.getByRole('table', { name: 'Utilisateurs' }).textContent()).toContain(email);
    await dialog.waitFor({ state: 'detached' });
    await expectAccessible(admin);
    // The invitee lost the e-mail: the admin sends a fresh link from the row (the first one stops working).
    await admin.getByRole('row').filter({ hasText: email }).getByRole('button', { name: 'Renvoyer l’invitation' }).click();
    await expect.poll(() => admin.getByText(`Invitation renvoyée à ${email}`).count()).toBe(1);

    // The admin sees the invitation in the outbox, its link masked (issue 9)…
    await admin.getByRole('link', { name: "Boîte d'envoi" }).click();
    await expect.poll(() => admin.getByRole('main').textContent()).toContain(`E-mail à ${email}`);
    expect(await admin.getByRole('main').textContent()).toContain('[lien personnel masqué]');
    expect(await admin.locator('a[href*="#"]').count()).toBe(0);
    // …and the invitee gets it from the development mailbox (files under the data folder).
    // Files are named by message id (UUIDv7, so in the order they were written).
    const linksOf = async () => {
      const links: string[] = [];
      for (const name of (await readdir(inject('mailDir')).catch(() => [] as string[])).sort()) {
        const text = await readFile(path.join(inject('mailDir'), name), 'utf8');
        if (text.includes(`À : ${email}`)) links.push(/http:\/\/\S+\/invitation#[A-Za-z0-9_-]{43}/.exec(text)?.[0] ?? '');
      }
      return links;
    };
    await expect.poll(async () => (await linksOf()).length, { timeout: 15_000 }).toBe(2);
    const [first, href] = (await linksOf()) as [string, string];
    expect(href).toMatch(/^http:\/\/localhost:\d+\/invitation#[A-Za-z0-9_-]{43}$/);
    expect(href).not.toBe(first);

    const context = await browser.newContext({ locale: 'fr-FR' });
    const invitee = await context.newPage();
    recordUrls(invitee, urls);
    await invitee.goto(href);
    // The strength shows as the user types, with the server's rule (AA-06).
    await invitee.getByLabel(/^Mot de passe/).fill('Soleil2026!!');
    // The dictionaries load with the page's first keystrokes: give them time on a busy machine.
    await expect.poll(() => invitee.locator('#password-strength').textContent(), { timeout: 20_000 }).toContain('trop facile à deviner');
    await invitee.getByLabel(/^Mot de passe/).fill(inviteePassword);
    await expect.poll(() => invitee.locator('#password-strength').textContent()).toContain('Force : solide');
    await invitee.getByLabel('Confirmez le mot de passe').fill(inviteePassword);
    await invitee.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => invitee.getByRole('status').textContent()).toContain('Votre mot de passe est enregistré');
    await signIn(invitee, email, inviteePassword);
    // Every account enrols a second factor at its first sign-in (no demo code: a real enrolment).
    await enrolSecondFactor(invitee);
    await expect.poll(() => invitee.getByRole('heading', { level: 1 }).textContent()).toBe('Bonjour Inès');
    // A staff user sees no administration entry, and the page itself refuses them.
    const menu = await invitee.getByRole('navigation', { name: 'Menu principal' }).textContent();
    expect(menu).not.toContain('Utilisateurs');
    await invitee.goto(`${base()}/admin/utilisateurs`);
    await expect.poll(() => invitee.getByText('Votre rôle ne donne pas accès à cette page.').isVisible()).toBe(true);
    await context.close();
  });

  it('the admin resets the invitee’s second factor (confirmation first); the invitee enrols again at the next sign-in', async () => {
    await admin.getByRole('link', { name: 'Utilisateurs' }).click();
    const row = admin.getByRole('row').filter({ hasText: inviteeEmail });
    await row.getByRole('button', { name: 'Réinitialiser la double authentification' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Réinitialiser la double authentification' });
    await expect.poll(() => dialog.textContent()).toContain('ses sessions ouvertes seront fermées');
    await expectAccessible(admin);
    await dialog.getByRole('button', { name: 'Réinitialiser', exact: true }).click();
    await expect.poll(() => row.getByRole('button', { name: 'Réinitialiser la double authentification' }).count()).toBe(0);

    const context = await browser.newContext({ locale: 'fr-FR' });
    const invitee = await context.newPage();
    await signIn(invitee, inviteeEmail, inviteePassword);
    await enrolSecondFactor(invitee);
    await context.close();
  });

  it('the audit trail shows the invitation', async () => {
    await admin.getByRole('link', { name: "Journal d'audit" }).click();
    await expect.poll(() => admin.getByRole('table', { name: 'Journal d’audit' }).textContent()).toContain('Utilisateur invité');
  });

  it('sign-out ends the session and returns to the sign-in page', async () => {
    await admin.getByRole('button', { name: 'Se déconnecter' }).click();
    await admin.waitForURL('**/connexion');
    const me = await admin.evaluate(() => fetch('/api/auth/me').then((r) => r.status));
    expect(me).toBe(401);
  });

  it('no page or API call carried personal data in its URL (DP-13)', () => {
    expect(urls.length).toBeGreaterThan(10);
    const leaking = urls.filter((u) => {
      const query = new URL(u).search;
      return /@|%40|(\+33|0)[1-9](\d{2}){4}/.test(query);
    });
    expect(leaking).toEqual([]);
  });
});
