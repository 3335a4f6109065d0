// From a need heard on a call to the partner's report closing the case (issue 14, « Partners and
// referrals »): the social worker hears the need, refers the case to the demo CCAS with the
// tenant's agreement, the CCAS's user (partenaire@demo.lien.fr) acknowledges and reports « Fait »,
// and the case shows closed with its outcome.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CallScript } from '../contracts/campaigns.ts';
import { eventually, expectAccessible, launchBrowser, ownerQuery, signInDemo, signInDemoApi } from './browser.ts';

const base = () => inject('baseUrl');
const allHours = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' };
const campaignName = `Veille orientations e2e ${Date.now()}`;

let browser: Browser;
let page: Page;
let partnerPage: Page;
let campaignId = '';

beforeAll(async () => {
  browser = await launchBrowser();
  // The manager prepares a campaign of Agence Nord whose caller is the social worker (CESF), through the API.
  const api = await browser.newContext();
  await signInDemoApi(api.request, 'responsable@demo.lien.fr');
  const get = async <T>(path: string) => (await (await api.request.get(`${base()}${path}`)).json()) as T;
  const candidates = await get<{ id: string; role: string }[]>('/api/campaigns/caller-candidates');
  const cesf = candidates.find((c) => c.role === 'social_worker')?.id;
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
  const partnerContext = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1366, height: 768 } });
  partnerContext.setDefaultTimeout(20_000);
  partnerPage = await partnerContext.newPage();
});
afterAll(async () => {
  await browser?.close();
});

describe('a referral to a partner, from the call to the partner’s report', () => {
  it('the need heard becomes a case, referred to the CCAS with the tenant’s agreement; the partner reports « fait »; the case is closed', async () => {
    await signInDemo(page, 'cesf@demo.lien.fr');
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
    const [called] = await ownerQuery<{ household_id: string }>('select household_id from call_attempts where campaign_id = $1', [campaignId]);
    const [kase] = await ownerQuery<{ id: string }>(`select id from cases where household_id = $1 and type = 'food' and status <> 'closed'`, [
      called?.household_id,
    ]);
    expect(kase).toBeDefined();

    // The case page: « Orienter vers un partenaire », the fields shown, the agreement recorded, then sent.
    await page.goto(`${base()}/dossiers/${kase!.id}`);
    await page.getByRole('button', { name: 'Orienter vers un partenaire' }).click();
    await page.getByRole('radio', { name: /^CCAS de Vitry-sur-Seine/ }).check();
    await page.getByText('Ce qui sera transmis à CCAS de Vitry-sur-Seine').waitFor();
    await page.getByText('Type de besoin : Alimentation et vie quotidienne').waitFor();
    await page.getByText('Non recueilli').first().waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Le ménage a donné son accord (par téléphone)' }).click();
    await page.getByText('Accord du ménage enregistré.').waitFor();
    await page.getByLabel('Message au partenaire (facultatif)').fill('Aide aux courses à organiser chaque semaine.');
    await page.getByRole('button', { name: 'Envoyer l’orientation' }).click();
    await page
      .getByText(/Orientation envoyée à CCAS de Vitry-sur-Seine/)
      .first()
      .waitFor();
    const [referral] = await ownerQuery<{ id: string; fields: string[] }>('select id, fields from referrals where case_id = $1 order by sent_at desc', [
      kase!.id,
    ]);
    expect(referral?.fields).toContain('message');
    await eventually(async () => (await ownerQuery<{ status: string }>('select status from cases where id = $1', [kase!.id]))[0]?.status).toBe(
      'waiting_partner',
    );

    // The CCAS's user: the inbox lists it; the referral page shows the snapshot; acknowledge, report « Fait ».
    await signInDemo(partnerPage, 'partenaire@demo.lien.fr');
    await partnerPage.getByRole('link', { name: 'Orientations reçues' }).click();
    await partnerPage.waitForURL('**/orientations');
    await partnerPage
      .getByRole('row', { name: /Alimentation et vie quotidienne/ })
      .first()
      .waitFor();
    await partnerPage.goto(`${base()}/orientations/${referral!.id}`);
    await partnerPage.getByText('Aide aux courses à organiser chaque semaine.').waitFor();
    await expectAccessible(partnerPage);
    await partnerPage.getByRole('button', { name: 'Accuser réception' }).click();
    await partnerPage.getByText('Réception confirmée.').waitFor();
    await partnerPage.getByRole('combobox', { name: 'Retour', exact: true }).click();
    await partnerPage.getByRole('option', { name: 'Fait', exact: true }).click();
    await partnerPage.getByLabel('Commentaire (facultatif)').fill('Inscription à l’épicerie solidaire faite.');
    await partnerPage.getByRole('button', { name: 'Envoyer le retour' }).click();
    await partnerPage.getByText('Retour fait : Fait').waitFor();
    // The partner never reaches the case or the household file.
    expect((await partnerPage.request.get(`${base()}/api/cases/${kase!.id}`)).status()).toBe(403);

    // Back on the case: closed, « Orienté vers un partenaire », the referral reported.
    await page.goto(`${base()}/dossiers/${kase!.id}`);
    await page.getByText(/^Clos le .* : Orienté vers un partenaire$/).waitFor();
    await page.getByText('Retour fait : Fait').waitFor();
    await eventually(async () => (await ownerQuery<{ status: string }>('select status from cases where id = $1', [kase!.id]))[0]?.status).toBe('closed');
  }, 240_000);
});
