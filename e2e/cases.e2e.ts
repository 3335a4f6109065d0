import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CallScript } from '../contracts/campaigns.ts';
import { eventually, expectAccessible, launchBrowser, ownerQuery, signInDemo, signInDemoApi } from './browser.ts';

const base = () => inject('baseUrl');
const allHours = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' };
const campaignName = `Veille dossiers e2e ${Date.now()}`;

let browser: Browser;
let page: Page;
let campaignId = '';
let calledHousehold = '';

beforeAll(async () => {
  browser = await launchBrowser();
  // The manager prepares a campaign of Agence Nord whose caller is the social worker (CESF), through the API.
  const api = await browser.newContext();
  await signInDemoApi(api.request, 'responsable@demo.lien.fr');
  const get = async <T>(path: string) => (await (await api.request.get(`${base()}${path}`)).json()) as T;
  const candidates = await get<{ id: string; name: string; role: string }[]>('/api/campaigns/caller-candidates');
  const cesf = candidates.find((c) => c.role === 'social_worker')?.id;
  expect(cesf).toBeDefined();
  const nord = (await get<{ id: string; code: string }[]>('/api/agencies')).find((a) => a.code === 'NORD')?.id;
  const script = await get<CallScript>('/api/campaigns/script-template');
  const created = await api.request.post(`${base()}/api/campaigns`, {
    data: { name: campaignName, segment: { agencyId: nord, status: 'active', fragilityMatch: 'all' }, script, callWindows: allHours, callerIds: [cesf] },
  });
  expect(created.status()).toBe(201);
  campaignId = ((await created.json()) as { id: string }).id;
  expect((await api.request.post(`${base()}/api/campaigns/${campaignId}/launch`)).status()).toBe(200);
  await api.close();
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1366, height: 768 } });
  context.setDefaultTimeout(20_000);
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

describe('from a need heard on a call to the closed case', () => {
  it('the social worker hears a need, finds its case on the board, adds a task, closes it; the need shows as taken care of', async () => {
    await signInDemo(page, 'cesf@demo.lien.fr');
    // The call: groceries needed.
    await page.goto(`${base()}/appels`);
    await page.getByRole('button', { name: campaignName }).click();
    await page.getByRole('button', { name: 'Appeler le suivant' }).click();
    await page
      .getByRole('group', { name: /Avez-vous besoin d’aide pour faire vos courses/ })
      .getByRole('button', { name: 'Oui' })
      .click();
    await page.getByRole('group', { name: 'Issue de l’appel' }).getByRole('button', { name: 'Joint·e' }).click();
    await page.getByRole('button', { name: 'Enregistrer l’appel', exact: true }).click();
    await page.getByText('Appel enregistré').waitFor();
    const [called] = await ownerQuery<{ household_id: string; erp_ref: string }>(
      `select a.household_id, h.erp_ref from call_attempts a join households h on h.id = a.household_id where a.campaign_id = $1`,
      [campaignId],
    );
    expect(called).toBeDefined();
    calledHousehold = called!.household_id;
    const [kase] = await ownerQuery<{ id: string; status: string }>(
      `select id, status from cases where household_id = $1 and type = 'food' and status = 'open'`,
      [called!.household_id],
    );
    expect(kase?.status).toBe('open');

    // The board: the case is there, its page shows the need heard.
    await page.getByRole('link', { name: 'Dossiers', exact: true }).click();
    await page.waitForURL('**/dossiers');
    const link = page.getByRole('link', { name: new RegExp(`^Alimentation et vie quotidienne — ${called!.erp_ref}`) });
    await link.waitFor();
    await expectAccessible(page);
    await link.click();
    await page.waitForURL(`**/dossiers/${kase!.id}`);
    await page.getByText('Aide aux courses', { exact: false }).first().waitFor();

    // A task with a due date, then the case closed with its outcome.
    await page.getByLabel('Nouvelle tâche').fill('Inscrire le ménage à l’épicerie solidaire');
    await page.getByLabel('Échéance', { exact: true }).fill('2030-01-15');
    // With a due date, the e-mail reminder is offered, checked.
    expect(await page.getByLabel('Rappel par e-mail le jour de l’échéance').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Ajouter la tâche' }).click();
    await page.getByText('échéance 15/01/2030').waitFor();
    const [saved] = await ownerQuery<{ remind: boolean }>(
      `select remind from case_tasks where title = 'Inscrire le ménage à l’épicerie solidaire' order by created_at desc limit 1`,
    );
    expect(saved?.remind).toBe(true);
    await expectAccessible(page);
    await page.getByRole('combobox', { name: 'Issue', exact: true }).click();
    await page.getByRole('option', { name: 'Résolu' }).click();
    await page.getByLabel('Ce qui a été fait').fill('Livraisons de courses organisées avec l’épicerie solidaire.');
    await page.getByRole('button', { name: 'Clore le dossier' }).click();
    await page.getByText(/^Clos le .* : Résolu$/).waitFor();
    await eventually(async () => (await ownerQuery<{ status: string }>('select status from cases where id = $1', [kase!.id]))[0]?.status).toBe('closed');
    // Closing the case closes every need it holds (earlier browser files may have raised needs of the same type for this household: they joined it).
    const needs = await ownerQuery<{ status: string }>('select status from followups where case_id = $1', [kase!.id]);
    expect(needs.length).toBeGreaterThan(0);
    expect(needs.filter((n) => n.status !== 'closed')).toEqual([]);

    // The caller (here the same person) sees on the home page that the need was taken care of.
    await page.goto(`${base()}/`);
    const card = page.locator('li', { hasText: 'Aide aux courses' }).first();
    await card.waitFor();
    expect(await card.textContent()).toContain('Pris en charge');
    // A call, a board, a case and the home page, each checked: longer than the default minute on a loaded machine.
  }, 180_000);

  it('the household page shows the call and the case in one history, filtered by type', async () => {
    // Same social worker, same household: its « Historique » lists the call, the case opened and closed, the task.
    await page.goto(`${base()}/menages/${calledHousehold}`);
    const history = page.locator('.mantine-Card-root', { has: page.getByRole('heading', { name: 'Historique' }) });
    await history.getByText(/Dossier clos : Alimentation et vie quotidienne — Résolu/).waitFor();
    await history.getByText(/Tâche : Inscrire le ménage à l’épicerie solidaire, échéance 15\/01\/2030/).waitFor();
    const call = history.getByText(/Appel de campagne : Joint·e/);
    await call.first().waitFor();
    await expectAccessible(page);
    // Only the cases: the call leaves the list, the case stays.
    const filter = history.getByRole('group', { name: 'Types d’événements affichés' });
    await filter.getByText('Appels', { exact: true }).click();
    await eventually(async () => call.count()).toBe(0);
    await history.getByText(/Dossier clos : Alimentation/).waitFor();
    // An event of a case leads to it.
    await history.getByRole('link', { name: 'voir le dossier' }).first().click();
    await page.waitForURL('**/dossiers/*');
  }, 120_000);

  it('a case opened from the household file leads to its page; a second of the same type is refused in French', async () => {
    await page.goto(`${base()}/menages/${calledHousehold}`);
    const type = page.getByRole('combobox', { name: 'Type de dossier', exact: true });
    await type.click();
    await page.getByRole('option', { name: 'Technique' }).click();
    await page.getByRole('button', { name: 'Ouvrir un dossier' }).click();
    await page.waitForURL('**/dossiers/*');
    const caseId = page.url().split('/').pop();
    const [opened] = await ownerQuery<{ household_id: string; type: string; origin: string; status: string }>(
      'select household_id, type, origin, status from cases where id = $1',
      [caseId],
    );
    expect(opened).toEqual({ household_id: calledHousehold, type: 'technical', origin: 'staff', status: 'open' });
    // The same again: the household already has an open technical case.
    await page.goBack();
    await page.getByRole('combobox', { name: 'Type de dossier', exact: true }).click();
    await page.getByRole('option', { name: 'Technique' }).click();
    await page.getByRole('button', { name: 'Ouvrir un dossier' }).click();
    await page.getByText(/déjà un dossier ouvert de ce type/).waitFor();
    const [{ n }] = (await ownerQuery<{ n: number }>(
      `select count(*)::int as n from cases where household_id = $1 and type = 'technical' and status <> 'closed'`,
      [calledHousehold],
    )) as [{ n: number }];
    expect(n).toBe(1);
  }, 120_000);
});
