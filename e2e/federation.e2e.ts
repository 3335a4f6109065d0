// Issue 18, TRUST DP-14: the federation analyst opens « Fédération », recomputes the members'
// aggregates (a job whose progress shows), and reads one indicator by month, member, department
// and QPV, as charts with their tables; small cells read « < 11 ».
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, launchBrowser, ownerQuery, signInDemo } from './browser.ts';

const base = () => inject('baseUrl');
let browser: Browser;
let page: Page;

/** A second member of the demo's federation: 40 households in Toulouse, each with a case opened today, sharing everything. */
async function secondMember() {
  const [org] = await ownerQuery<{ id: string }>(`insert into organisations (slug, name) values ('habitat-sud-e2e', 'Habitat Sud') returning id`);
  const id = org?.id as string;
  await ownerQuery(
    `with a as (insert into agencies (organisation_id, code, name) values ($1, 'TLS', 'Agence Toulouse') returning id),
       r as (insert into residences (organisation_id, agency_id, erp_code, name, postal_code, qpv) select $1, a.id, 'MIR', 'Le Mirail', '31100', true from a returning id, agency_id),
       u as (insert into housing_units (organisation_id, residence_id, erp_ref) select $1, r.id, 'MIR-' || g from r, generate_series(1, 40) g returning id, erp_ref),
       h as (insert into households (organisation_id, unit_id, erp_ref) select $1, u.id, u.erp_ref from u returning id)
     insert into cases (organisation_id, household_id, agency_id, type, origin) select $1, h.id, (select agency_id from r), 'isolation', 'call' from h`,
    [id],
  );
  await ownerQuery(
    `insert into federation_members (organisation_id, member_id, member_name, federation_name)
     select o.id, $1, 'Habitat Sud', o.name from organisations o where o.slug = 'demo-federation'`,
    [id],
  );
  await ownerQuery(
    `insert into federation_agreements (organisation_id, federation_id, federation_name, indicators)
     select $1, o.id, o.name, '{cases_opened,households_reached,needs_found}' from organisations o where o.slug = 'demo-federation'`,
    [id],
  );
}

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1366, height: 900 } });
  context.setDefaultTimeout(30_000);
  page = await context.newPage();
  await secondMember();
});
afterAll(async () => {
  await browser?.close();
});

describe('the federation analyst’s space', () => {
  it('recomputes the members’ figures and reads an indicator by member, department and QPV, with charts', async () => {
    await signInDemo(page, 'analyste@demo.lien.fr');
    await page.getByRole('link', { name: 'Fédération', exact: true }).click();
    await page.waitForURL(`${base()}/federation`);
    await page.getByRole('heading', { level: 1, name: 'Fédération — Fédération Démo des bailleurs' }).waitFor();
    await page.getByRole('button', { name: 'Recalculer les chiffres des membres' }).click();
    await page
      .getByTestId('refresh-status')
      .getByText(/Chiffres recalculés le .* \(2 membres\)/)
      .waitFor();

    await page.getByRole('combobox', { name: 'Indicateur', exact: true }).click();
    await page.getByRole('option', { name: 'Dossiers ouverts' }).click();
    // Habitat Sud's 40 cases; Habitat Démo's few cases this month are under 11: counted apart, never shown.
    await expect.poll(() => page.getByTestId('federation-total').textContent()).toMatch(/^40( \(\+ \d+ cellules? < 11\))?$/);
    const byMember = page.getByRole('table', { name: 'Par membre' });
    await byMember.getByRole('row', { name: /Habitat Sud 40/ }).waitFor();
    await page.getByRole('table', { name: 'Par département' }).getByRole('row', { name: /31 40/ }).waitFor();
    await page
      .getByRole('table', { name: 'En quartier prioritaire ou non' })
      .getByRole('row', { name: /En QPV 40/ })
      .waitFor();
    // The four charts are drawn (over time, member, department, QPV).
    await expect.poll(() => page.locator('[role="img"] svg.recharts-surface').count()).toBeGreaterThanOrEqual(4);
    await expect(page.getByRole('link', { name: 'Télécharger le rapport (PDF)' }).getAttribute('href')).resolves.toMatch(
      /^\/api\/federation\/report\?from=\d{4}-\d{2}&to=\d{4}-\d{2}$/,
    );
    await expectAccessible(page);
  });

  it('downloads the periodic report as a PDF', async () => {
    const href = (await page.getByRole('link', { name: 'Télécharger le rapport (PDF)' }).getAttribute('href')) as string;
    const res = await page.request.get(`${base()}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    expect((await res.body()).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('a member landlord’s sharing', () => {
  it('the landlord’s administrator previews exactly what would leave, « < 11 » included, and saves its choice', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(30_000);
    const admin = await context.newPage();
    await signInDemo(admin, 'admin@demo.lien.fr');
    await admin.getByRole('link', { name: 'Fédération', exact: true }).click();
    await admin.getByRole('heading', { level: 1, name: 'Partage avec les fédérations' }).waitFor();
    const card = admin.locator('.mantine-Card-root', { has: admin.getByRole('heading', { name: 'Fédération Démo des bailleurs' }) });
    // The demo shares everything: keep « Dossiers ouverts » only, preview, save.
    for (const name of ['Appels passés', 'Ménages joints', 'Ménages avec un besoin repéré', 'Dossiers clos', 'Ménages en impayé', 'Plans de paiement signés'])
      await card.getByRole('checkbox', { name }).uncheck();
    await card.getByRole('button', { name: 'Voir exactement ce qui sortirait' }).click();
    const preview = card.getByRole('table', { name: 'Aperçu des chiffres partagés' });
    await preview.waitFor();
    // The demo's few cases: every cell of this month touches fewer than 11 households.
    await expect(preview.getByRole('cell', { name: 'Dossiers ouverts' }).count()).resolves.toBeGreaterThan(0);
    await expect(preview.getByRole('cell', { name: '< 11' }).count()).resolves.toBeGreaterThan(0);
    await expect(preview.getByRole('cell', { name: 'Appels passés' }).count()).resolves.toBe(0);
    await expectAccessible(admin);
    await card.getByRole('button', { name: 'Enregistrer le partage' }).click();
    await admin.getByText('Partage enregistré.').waitFor();
    const [agreement] = await ownerQuery<{ indicators: string[] }>(
      `select a.indicators from federation_agreements a join organisations o on o.id = a.organisation_id where o.slug = 'demo'`,
    );
    expect(agreement?.indicators).toEqual(['cases_opened']);
    // What it no longer shares left at once.
    const left = await ownerQuery<{ n: number }>(
      `select count(*)::int as n from federation_aggregates a join organisations o on o.id = a.organisation_id where o.slug = 'demo' and a.indicator_id <> 'cases_opened'`,
    );
    expect(left).toEqual([{ n: 0 }]);
    await context.close();
  });
});

describe('the federation’s administrator', () => {
  it('sees each member and what it shares, and adds a landlord by its identifier', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(30_000);
    const admin = await context.newPage();
    await signInDemo(admin, 'federation@demo.lien.fr');
    await admin.getByRole('link', { name: 'Fédération', exact: true }).click();
    const members = admin.getByRole('table', { name: 'Membres de la fédération' });
    await members.getByRole('row', { name: /Habitat Sud Partage depuis le/ }).waitFor();
    await members.getByRole('row', { name: /Habitat Démo Partage depuis le .* Dossiers ouverts/ }).waitFor();
    await expectAccessible(admin);
    // A landlord that exists: listed, « pas encore de réponse » until its administrator chooses.
    await ownerQuery(`insert into organisations (slug, name) values ('office-nord-e2e', 'Office Nord')`);
    await admin.getByLabel('Identifiant du bailleur').fill('office-nord-e2e');
    await admin.getByRole('button', { name: 'Ajouter' }).click();
    await members.getByRole('row', { name: /Office Nord Pas encore de réponse/ }).waitFor();
    // An unknown identifier: a French message, nothing added.
    await admin.getByLabel('Identifiant du bailleur').fill('personne-ici');
    await admin.getByRole('button', { name: 'Ajouter' }).click();
    await admin.getByText('Bailleur introuvable.').waitFor();
    await context.close();
  });
});
