// Deliveries on a phone (issue 17): a manager assigns a meal to the demo caretaker from the
// « Livraisons » page, the caretaker opens « Mes livraisons » on their phone, sees only the first
// name, the door and a phone, taps « Livré »; the manager's list then says « Livré ».
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function onPhone(email: string): Promise<Page> {
  const context = await browser.newContext(phone);
  context.setDefaultTimeout(40_000);
  contexts.push(context);
  const page = await context.newPage();
  await signInDemo(page, email);
  return page;
}

/** Through the phone's menu (burger), as a person would. */
async function openMenuEntry(page: Page, label: string) {
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: label, exact: true }).click();
}

describe('a delivery on a phone', () => {
  it('from assignment to « livré », the deliverer seeing only the first name, the door and a phone', { timeout: 300_000 }, async () => {
    const [caretaker] = await ownerQuery<{ name: string }>(`select first_name || ' ' || last_name as name from users where email = 'gardien@demo.lien.fr'`);
    const [household] = await ownerQuery<{ erp_ref: string; first_name: string; last_name: string; mobile: string | null }>(
      `select h.erp_ref, p.first_name, p.last_name,
         (select c.value from contact_points c where c.person_id = p.id and c.kind = 'mobile' and c.ended_at is null limit 1) as mobile
       from households h join persons p on p.household_id = h.id and p.household_role = 'holder'
       join organisations o on o.id = h.organisation_id
       where o.is_demo and h.status = 'active' and h.erp_ref ~ '^[A-Z0-9-]+$'
         and not exists (select 1 from deliveries d where d.household_id = h.id)
       order by h.erp_ref limit 1`,
    );
    expect(caretaker && household).toBeTruthy();

    // The manager assigns the delivery, on a phone too.
    const manager = await onPhone('responsable@demo.lien.fr');
    await openMenuEntry(manager, 'Livraisons');
    await manager.getByRole('heading', { level: 1, name: 'Livraisons' }).waitFor();
    await manager.getByLabel('Ménage', { exact: true }).fill(household!.erp_ref);
    await manager.getByRole('button', { name: 'Rechercher' }).click();
    await manager.getByRole('button', { name: `Choisir le ménage ${household!.erp_ref}` }).click();
    await manager.getByLabel('Le', { exact: true }).fill('2026-12-03');
    await manager.getByLabel('Détail (facultatif)').fill('2 repas chauds');
    await manager.getByRole('combobox', { name: 'Confiée à' }).click();
    await manager.getByRole('option', { name: `${caretaker!.name} (gardien·ne)` }).click();
    await manager.getByRole('button', { name: 'Confier la livraison' }).click();
    await manager.getByText('Livraison confiée.').waitFor();
    const row = manager.getByRole('row').filter({ hasText: household!.erp_ref });
    await eventually(() => row.filter({ hasText: 'À livrer' }).count()).toBe(1);

    // The caretaker's phone: the card, and nothing more of the household.
    const deliverer = await onPhone('gardien@demo.lien.fr');
    await openMenuEntry(deliverer, 'Mes livraisons');
    await deliverer.getByRole('heading', { level: 1, name: 'Mes livraisons' }).waitFor();
    const card = deliverer.getByLabel(`Livraison pour ${household!.first_name}`).filter({ hasText: '2 repas chauds' });
    await card.waitFor();
    const text = (await card.textContent()) ?? '';
    expect(text).toContain(`Repas pour ${household!.first_name}`);
    expect(text).not.toContain(household!.last_name);
    if (household!.mobile) expect(await card.getByRole('link', { name: /^Appeler / }).getAttribute('href')).toBe(`tel:${household!.mobile}`);
    expect(await deliverer.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectAccessible(deliverer);
    await card.getByRole('button', { name: 'Livré' }).click();
    await deliverer.getByText('Livraison enregistrée : livré.').waitFor();
    await eventually(() => card.getByText('Livré', { exact: true }).count()).toBe(1);

    // Back on the manager's list.
    await manager.reload();
    await eventually(() => manager.getByRole('row').filter({ hasText: household!.erp_ref }).filter({ hasText: 'Livré' }).count()).toBe(1);
    const [stored] = await ownerQuery<{ status: string }>(
      `select d.status from deliveries d join households h on h.id = d.household_id where h.erp_ref = $1 and d.detail = '2 repas chauds'`,
      [household!.erp_ref],
    );
    expect(stored?.status).toBe('done');
  });
});
