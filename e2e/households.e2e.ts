import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/modules/demo/index.ts';
import { enterDemoCode, eventually, expectAccessible, launchBrowser, openPage, ownerQuery, recordUrls, signInDemo, typeDemoCode } from './browser.ts';

let browser: Browser;
let page: Page;
const urls: string[] = [];
const base = () => inject('baseUrl');
let searched = '';

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'fr-FR' });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  recordUrls(page, urls);
});
afterAll(async () => {
  await browser?.close();
});

describe('finding and reading a household in a real browser', () => {
  it('a manager searches without accents, opens the file, records « ne pas appeler »', async () => {
    await page.goto(`${base()}/connexion`);
    // A demo tenant with an accent in the name, with a mobile phone.
    const db = new pg.Client({ connectionString: inject('e2eOwnerUrl') });
    await db.connect();
    const { rows } = await db.query(`select p.first_name, p.last_name, c.value from persons p join contact_points c on c.person_id = p.id and c.kind = 'mobile'
      order by (p.first_name || p.last_name) ~ '[éèêëïîôç]' desc, p.last_name limit 1`);
    await db.end();
    const person = rows[0] as { first_name: string; last_name: string; value: string };
    const plain = `${person.first_name} ${person.last_name}`
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase();
    await page.getByLabel('Adresse e-mail').fill('responsable@demo.lien.fr');
    await page.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await enterDemoCode(page);
    await page.waitForURL(`${base()}/`);
    await page.getByRole('link', { name: 'Rechercher un ménage' }).click();
    await page.getByLabel('Nom, téléphone, adresse ou référence').fill(plain);
    searched = person.last_name.toLowerCase();
    await page.getByRole('button', { name: 'Rechercher' }).click();
    const hit = page.getByRole('link', { name: new RegExp(`${person.first_name} ${person.last_name}`) }).first();
    await hit.waitFor();
    await expectAccessible(page);
    await hit.click();
    await page.waitForURL(/\/menages\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole('table', { name: 'Occupants' }).textContent()).toContain(person.first_name);
    expect(await page.getByRole('link', { name: person.value }).first().getAttribute('href')).toBe(`tel:${person.value}`);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Ne pas appeler' }).click();
    await expect.poll(() => page.getByText('Ne pas appeler', { exact: true }).first().isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Opposition enregistrée', { exact: false }).first().isVisible()).toBe(true);
    // The preferred channel, corrected by staff.
    await page.getByRole('button', { name: `Préférences de contact de ${person.first_name} ${person.last_name}` }).click();
    const prefs = page.getByRole('dialog', { name: 'Préférences de contact' });
    await prefs.getByRole('combobox', { name: 'Canal préféré' }).click();
    await page.getByRole('option', { name: 'SMS' }).click();
    await prefs.getByRole('textbox', { name: 'Langue parlée' }).fill('portugais');
    await prefs.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => page.getByText('Préférence : SMS · langue portugais').isVisible()).toBe(true);
  });

  it('lists households with filters; the search terms never appeared in a URL', async () => {
    await page.getByRole('link', { name: 'Ménages', exact: true }).click();
    await page.waitForURL('**/menages/liste');
    await expect.poll(() => page.getByText(/ménage\(s\)/).textContent()).toMatch(/\d/);
    await page.getByLabel('Âge minimum').fill('70');
    await expect.poll(async () => (await page.getByRole('table', { name: 'Ménages' }).locator('tbody tr').count()) > 0).toBe(true);
    expect(urls.filter((u) => u.toLowerCase().includes(searched))).toEqual([]);
  });

  it('an export after more than 5 minutes asks to confirm the password and the code, then downloads', async () => {
    const db = new pg.Client({ connectionString: inject('e2eOwnerUrl') });
    await db.connect();
    await db.query(
      `update sessions set authenticated_at = now() - interval '10 minutes' where ended_at is null and user_id = (select id from users where email = 'responsable@demo.lien.fr')`,
    );
    await db.end();
    await page.getByRole('button', { name: 'Exporter en CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirmez votre identité' });
    await dialog.waitFor();
    await dialog.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
    // Every account has a second factor; the demo shows the code in the dialog.
    await typeDemoCode(dialog, dialog.getByLabel(/^Code de l’application/));
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    expect((await download).suggestedFilename()).toBe('menages.csv');
  });
});

describe('a caretaker’s « Ménages »', () => {
  it('lists the households of their residence, offers no balance or age, and asks the server for nothing it refuses', async () => {
    // The demo caretaker keeps residences of Agence Sud: the ones with present households are what they list.
    const kept = await ownerQuery<{ name: string }>(
      `select r.name from residences r join users u on u.id = r.caretaker_id join organisations o on o.id = r.organisation_id
       where o.slug = 'demo' and u.email = 'gardien@demo.lien.fr'
         and exists (select 1 from housing_units u join households h on h.unit_id = u.id where u.residence_id = r.id and h.status = 'active')`,
    );
    if (kept.length === 0) throw new Error('the demo caretaker keeps no residence with households');
    const { browser: own, page: phone } = await openPage();
    try {
      const refused: string[] = [];
      phone.on('response', (r) => {
        if (r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
      });
      await signInDemo(phone, 'gardien@demo.lien.fr');
      await phone.goto(`${base()}/menages/liste`);
      await eventually(async () => phone.getByRole('table', { name: 'Ménages' }).locator('tbody tr').count()).toBeGreaterThan(0);
      const residences = await phone.getByRole('table', { name: 'Ménages' }).locator('tbody tr td:nth-child(3)').allTextContents();
      expect(residences.filter((name) => !kept.some((r) => r.name === name))).toEqual([]);
      expect(await phone.getByLabel('Âge minimum').count()).toBe(0);
      await phone.getByRole('combobox', { name: 'Tri' }).click();
      expect(await phone.getByRole('option').allTextContents()).toEqual(['Nom', 'Résidence']);
      expect(await phone.getByRole('button', { name: 'Exporter en CSV' }).count()).toBe(0);
      expect(refused).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
