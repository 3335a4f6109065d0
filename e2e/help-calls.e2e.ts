// A call for help by SMS (issue 17): a manager writes « Pouvez-vous livrer des courses samedi ? »
// to the volunteers who deliver, sees the dry run and sends it; the volunteer answers « Oui » with
// their availability on the personal link, on a phone; the manager's page counts the « oui » and
// shows the name and the phone to call back.
import { createHash } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, expectAccessible, launchBrowser, ownerQuery, signInDemo } from './browser.ts';

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR' };

let browser: Browser;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

describe('a call for help by SMS', () => {
  it('from the question to a « oui » on a phone, counted on the staff page', { timeout: 300_000 }, async () => {
    const laptop = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    contexts.push(laptop);
    laptop.setDefaultTimeout(40_000);
    const page = await laptop.newPage();
    await signInDemo(page, 'responsable@demo.lien.fr');
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Appels à l’aide', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Appels à l’aide' }).waitFor();
    // The demo's call for help is there with its answers.
    await page.getByRole('link', { name: /Savez-vous coudre des masques/ }).waitFor();

    const question = `Pouvez-vous livrer des courses samedi ? (${Date.now()})`;
    await page.getByLabel('Question (un SMS)').fill(question);
    await page.getByRole('combobox', { name: 'Savoir-faire cherché' }).click();
    await page.getByRole('option', { name: 'Livraisons (repas, courses, médicaments)' }).click();
    await page.getByRole('button', { name: 'Simuler : qui recevra le SMS' }).click();
    // Paul delivers and has a mobile; Léa does not deliver.
    await page.getByText('1 personne recevra le SMS.').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Envoyer l’appel à l’aide' }).click();
    await page.getByText('Appel à l’aide envoyé : 1 SMS.').first().waitFor();

    // The SMS's link is sealed in the outbox: the test gives the recipient a link it knows.
    const [call] = await ownerQuery<{ id: string }>('select id from help_calls where question = $1', [question]);
    expect(call).toBeDefined();
    const token = 'e2eHelpToken';
    await ownerQuery('update help_call_recipients set token_hash = $1 where call_id = $2', [createHash('sha256').update(token).digest(), call!.id]);

    const onPhone = await browser.newContext(phone);
    contexts.push(onPhone);
    onPhone.setDefaultTimeout(40_000);
    const tenant = await onPhone.newPage();
    await tenant.goto(`${inject('baseUrl')}/aide/${token}`);
    await tenant.getByRole('heading', { level: 1, name: 'Appel à l’aide' }).waitFor();
    await tenant.getByText(question).waitFor();
    await tenant.getByLabel('Vos disponibilités (si oui, facultatif)').fill('Samedi matin, avec ma voiture');
    await tenant.getByRole('button', { name: 'Oui', exact: true }).click();
    await tenant.getByText('Merci ! Votre « oui » est enregistré').waitFor();
    expect(await tenant.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectAccessible(tenant);

    // The manager's page: the counts and the « oui » to call back.
    await page.goto(`${inject('baseUrl')}/appels-a-l-aide/${call!.id}`);
    await page.getByRole('heading', { level: 1, name: 'Appel à l’aide' }).waitFor();
    await eventually(() => page.getByText('1 SMS envoyé · 1 oui · 0 non · 0 sans réponse').count()).toBe(1);
    const row = page.getByTestId('help-yes').getByRole('row').filter({ hasText: 'Paul Girard' });
    await row.getByText('Samedi matin, avec ma voiture').waitFor();
    await row.getByRole('link', { name: '06 12 00 00 01' }).waitFor();
    await expectAccessible(page);
  });
});
