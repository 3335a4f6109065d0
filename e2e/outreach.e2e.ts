// An outreach event on a phone (issue 17): a manager plans an afternoon at the foot of a demo
// residence, then, on the day, notes a contact with a household and its « Technique » topic: the
// household's technical case is opened (origin « outreach »), and the summary counts it.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectAccessible, launchBrowser, ownerQuery, signInDemo } from './browser.ts';

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR' };

let browser: Browser;
let context: BrowserContext;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

/** Through the phone's menu (burger), as a person would. */
async function openMenuEntry(page: Page, label: string) {
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: label, exact: true }).click();
}

describe('an outreach event on a phone', () => {
  it('from planning to a case opened, and the summary', { timeout: 300_000 }, async () => {
    // A household of the manager's agencies with no open technical case.
    const [household] = await ownerQuery<{ id: string; erp_ref: string; residence: string; city: string }>(
      `select h.id, h.erp_ref, r.name as residence, r.city from households h join housing_units u on u.id = h.unit_id join residences r on r.id = u.residence_id
       join organisations o on o.id = h.organisation_id
       where o.is_demo and h.status = 'active' and h.erp_ref ~ '^[A-Z0-9-]+$'
         and not exists (select 1 from cases c where c.household_id = h.id and c.type = 'technical' and c.status <> 'closed')
         and (not exists (select 1 from user_agencies ua join users us on us.id = ua.user_id where us.email = 'responsable@demo.lien.fr')
              or exists (select 1 from user_agencies ua join users us on us.id = ua.user_id where us.email = 'responsable@demo.lien.fr' and ua.agency_id = r.agency_id))
       order by h.erp_ref limit 1`,
    );
    expect(household).toBeDefined();
    context = await browser.newContext(phone);
    context.setDefaultTimeout(40_000);
    const page = await context.newPage();
    await signInDemo(page, 'responsable@demo.lien.fr');
    await openMenuEntry(page, 'Au pied des immeubles');
    await page.getByRole('heading', { level: 1, name: 'Au pied des immeubles' }).waitFor();

    await page.getByRole('combobox', { name: 'Résidence' }).click();
    await page.getByRole('option', { name: `${household!.residence} — ${household!.city}` }).click();
    await page.getByLabel('Le', { exact: true }).fill('2026-12-04');
    await page.getByRole('button', { name: 'Prévoir l’après-midi' }).click();
    await page.getByText('Après-midi prévu.').first().waitFor();
    await page
      .getByRole('button', { name: `Ouvrir ${household!.residence}, le 04/12/2026` })
      .first()
      .click();

    // On the day: the household, the topic, « Noter le contact ».
    await page.getByRole('textbox', { name: 'Ménage (facultatif)' }).fill(household!.erp_ref);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('button', { name: `Choisir le ménage ${household!.erp_ref}` }).click();
    await page.getByRole('checkbox', { name: 'Technique' }).check();
    await page.getByRole('button', { name: 'Noter le contact' }).click();
    await page.getByText('Contact noté : 1 dossier ouvert ou complété.').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectAccessible(page);

    const opened = await ownerQuery<{ origin: string }>(`select origin from cases where household_id = $1 and type = 'technical' and status <> 'closed'`, [
      household!.id,
    ]);
    expect(opened.map((c) => c.origin)).toEqual(['outreach']);
    await eventually(() => page.getByText('1 contact (dont 1 avec le ménage) · 1 dossier ouvert ou complété').count()).toBe(1);
  });
});
