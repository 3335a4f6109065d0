// Issue 14, « Arrears and payment plans »: the recovery officer opens « Impayés », sees the demo's
// households whose debt grew since 17 March 2020, and records a payment plan from a row.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, launchBrowser, ownerQuery, signInDemo } from './browser.ts';

const base = () => inject('baseUrl');
let browser: Browser;
let page: Page;
let planned = '';

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1366, height: 768 } });
  context.setDefaultTimeout(30_000);
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

describe('arrears view → payment plan', () => {
  it('the recovery officer lists the debts grown since the lockdown and records a plan from a row', async () => {
    await signInDemo(page, 'recouvrement@demo.lien.fr');
    await page.getByRole('link', { name: 'Impayés' }).click();
    await page.waitForURL(`${base()}/impayes`);
    const table = page.getByRole('table', { name: 'Impayés nouveaux ou aggravés' });
    await table.getByRole('row').nth(1).waitFor();
    // The demo: two plans, one pause among the households listed.
    await expect(table.getByText('Plan en cours').count()).resolves.toBeGreaterThanOrEqual(2);
    await expect(table.getByText(/Relances suspendues jusqu’au/).count()).resolves.toBeGreaterThanOrEqual(1);
    await expectAccessible(page);
    // A row without a plan: record one.
    const row = table
      .getByRole('row')
      .filter({ hasNotText: 'Plan en cours' })
      .filter({ has: page.getByRole('button', { name: 'Plan de paiement' }) })
      .first();
    const ref = (await row.getByRole('cell').nth(0).locator('p').last().textContent())?.trim() ?? '';
    expect(ref).not.toBe('');
    await row.getByRole('button', { name: 'Plan de paiement' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Nombre de mois').fill('6');
    await dialog.getByRole('button', { name: 'Enregistrer le plan' }).click();
    await page.getByText(`Plan enregistré pour ${ref}`).waitFor();
    await table.getByRole('row').filter({ hasText: ref }).getByText('Plan en cours').waitFor();
    const plans = await ownerQuery<{ months: number; n: number }>(
      `select p.months, (select count(*)::int from plan_instalments i where i.plan_id = p.id) as n
       from payment_plans p join households h on h.id = p.household_id where h.erp_ref = $1`,
      [ref],
    );
    expect(plans).toEqual([{ months: 6, n: 6 }]);
    planned = ref;
  });

  it('on the household file, the officer records the FSL application and its decision', async () => {
    const [household] = await ownerQuery<{ id: string }>('select id from households where erp_ref = $1', [planned]);
    await page.goto(`${base()}/menages/${household?.id}`);
    const card = page.locator('.mantine-Card-root', { has: page.getByRole('heading', { name: 'Impayés' }) });
    await card.getByLabel('Déposée le').fill('2020-05-04');
    await card.getByRole('combobox', { name: 'Décision', exact: true }).click();
    await page.getByRole('option', { name: 'Accordée' }).click();
    await card.getByLabel('Décidée le').fill('2020-06-02');
    await card.getByLabel('Montant (€)').fill('450,50');
    await card.getByRole('button', { name: 'Enregistrer la démarche' }).click();
    await card.getByText('Demande FSL déposée le 04/05/2020 — accordée le 02/06/2020').waitFor();
    const steps = await ownerQuery<{ kind: string; decision: string; amount_cents: string }>(
      `select s.kind, s.decision, s.amount_cents::text from arrears_steps s join households h on h.id = s.household_id where h.erp_ref = $1`,
      [planned],
    );
    expect(steps).toEqual([{ kind: 'fsl', decision: 'granted', amount_cents: '45050' }]);
    await expectAccessible(page);
  });
});
