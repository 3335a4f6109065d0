import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, expectAccessible, launchBrowser, ownerQuery, signInDemo, signInDemoApi } from './browser.ts';

let browser: Browser;
let managerContext: BrowserContext;
let page: Page;
const base = () => inject('baseUrl');
const allHours = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' };

/** « 12 ménages seront appelés — 3 exclus (« ne pas appeler ») » → 12. */
const targetedIn = (text: string | null) => Number((text ?? '').match(/^(\d[\d\s\u202f]*) ménages? ser/)?.[1]?.replace(/\D/g, '') ?? Number.NaN);

beforeAll(async () => {
  browser = await launchBrowser();
  managerContext = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
  managerContext.setDefaultTimeout(15_000);
  page = await managerContext.newPage();
});
afterAll(async () => {
  await browser?.close();
});

describe('a manager prepares, launches and watches a call campaign', () => {
  it('creates a campaign with the ready script, a live count and a volunteer, then launches it', async () => {
    await signInDemo(page, 'responsable@demo.lien.fr');
    await page.getByRole('link', { name: 'Campagnes d’appels' }).click();
    await page.waitForURL('**/campagnes');
    await page.getByRole('link', { name: 'Nouvelle campagne' }).click();
    await page.waitForURL('**/campagnes/nouvelle');

    // The ready script is there to start from.
    await eventually(() => page.getByLabel('Titre du script').inputValue()).toBe('Veille isolement — crise sanitaire');
    expect(await page.getByLabel('Texte de la question 1', { exact: true }).inputValue()).toContain('danger');

    const name = `Veille e2e ${Date.now()}`;
    await page.getByLabel('Nom de la campagne').fill(name);
    await page.getByLabel('Objet').fill('Prendre des nouvelles des locataires âgés ou seuls.');

    // The live count follows the filters.
    const count = page.getByTestId('segment-count');
    await eventually(async () => targetedIn(await count.textContent())).toBeGreaterThan(0);
    const everyone = targetedIn(await count.textContent());
    await page.getByLabel('Âge minimum').fill('60');
    await page.getByRole('combobox', { name: 'Indicateurs de fragilité' }).fill('seul');
    await page.getByRole('option', { name: 'Vit seul·e' }).click();
    await page.keyboard.press('Escape');
    await eventually(async () => targetedIn(await count.textContent())).toBeLessThan(everyone);
    const both = targetedIn(await count.textContent());
    await page.getByRole('radio', { name: 'Au moins un critère' }).check();
    await eventually(async () => targetedIn(await count.textContent())).toBeGreaterThan(both);
    expect(await count.textContent()).toMatch(/ménages? ser(a|ont) appelés? — \d+ exclus? \(« ne pas appeler »\)/);

    // A volunteer in the pool, with the charter status shown.
    await page.getByRole('combobox', { name: 'Vivier d’appelant·es' }).fill('Girard');
    await page.getByRole('option', { name: /Paul Girard — Bénévole/ }).click();
    await page.keyboard.press('Escape');
    await eventually(() => page.getByRole('table', { name: 'Appelant·es choisi·es' }).textContent()).toContain('Paul Girard');

    // Every day, round the clock, so that the test passes at any hour.
    await page.getByRole('checkbox', { name: 'Dimanche' }).check();
    await page.getByLabel('Heure de début').fill('00:00');
    await page.getByLabel('Heure de fin').fill('24:00');
    await expectAccessible(page);

    // A wrong value is refused in French next to the form.
    await page.getByLabel('Heure de fin').fill('25:00');
    await page.getByRole('button', { name: 'Créer la campagne' }).click();
    await eventually(() => page.getByRole('alert').filter({ hasText: 'La campagne n’est pas enregistrée' }).textContent()).toContain('heure de fin');
    await page.getByLabel('Heure de fin').fill('24:00');

    const expected = targetedIn(await count.textContent());
    await page.getByRole('button', { name: 'Créer la campagne' }).click();
    await page.waitForURL(/\/campagnes\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop() as string;
    const [saved] = await ownerQuery<{ segment: Record<string, unknown>; call_windows: unknown; callers: number }>(
      `select segment, call_windows, (select count(*)::int from campaign_callers cc where cc.campaign_id = c.id) as callers from campaigns c where id = $1`,
      [id],
    );
    expect(saved?.segment).toMatchObject({ minAge: 60, indicators: ['lives_alone'], fragilityMatch: 'any' });
    expect(saved?.call_windows).toEqual(allHours);
    expect(saved?.callers).toBe(1);

    // A draft can still be edited.
    await eventually(() => page.getByText('Brouillon', { exact: true }).first().isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Modifier' }).click();
    await page.waitForURL(`**/campagnes/${id}/modifier`);
    await eventually(() => page.getByLabel('Nom de la campagne').inputValue()).toBe(name);
    await page.getByLabel('Objet').fill('Prendre des nouvelles des locataires de 60 ans et plus ou vivant seuls.');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.waitForURL(`**/campagnes/${id}`);
    await eventually(() => page.getByText('60 ans et plus ou vivant seuls').isVisible()).toBe(true);

    // Launch: the queue holds exactly the households counted before.
    await page.getByRole('button', { name: 'Lancer' }).click();
    await eventually(() => page.getByRole('status').filter({ hasText: 'Campagne lancée' }).textContent()).toContain(`${expected} ménage`);
    await eventually(() => page.getByTestId('figure-targeted').textContent()).toBe(String(expected));
    const [targets] = await ownerQuery<{ n: number }>('select count(*)::int as n from campaign_targets where campaign_id = $1', [id]);
    expect(targets?.n).toBe(expected);
    await eventually(() => page.getByText('En cours', { exact: true }).first().isVisible()).toBe(true);
    expect(await page.getByRole('table', { name: 'Avancement par agence' }).textContent()).toMatch(/\d/);
    expect(await page.getByRole('link', { name: 'Exporter (XLSX)' }).getAttribute('href')).toBe(`/api/campaigns/${id}/export`);
    await expectAccessible(page);

    // The list shows it, with its figures.
    await page.getByRole('link', { name: '← Campagnes d’appels' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name }) });
    await eventually(() => row.textContent()).toContain('En cours');
    expect(await row.textContent()).toContain(String(expected));
    await expectAccessible(page);

    // Pause, resume, then close it (confirmed) so that it leaves the volunteer's list.
    await row.getByRole('link', { name }).click();
    await page.getByRole('button', { name: 'Mettre en pause' }).click();
    await eventually(() => page.getByText('En pause', { exact: true }).first().isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Reprendre' }).click();
    await eventually(() => page.getByText('En cours', { exact: true }).first().isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Terminer', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Terminer la campagne ?' });
    await dialog.getByRole('button', { name: 'Terminer la campagne' }).click();
    await eventually(() => page.getByText('Terminée', { exact: true }).first().isVisible()).toBe(true);
    const [closed] = await ownerQuery<{ status: string }>('select status from campaigns where id = $1', [id]);
    expect(closed?.status).toBe('closed');
  });
});

describe('after a call: dashboard, follow-ups, regular watch and note review (TRUST DP-05)', () => {
  it('the manager sees the call and handles its follow-ups; the org admin keeps the flagged note', async () => {
    // The manager prepares a campaign on agency NORD with the staff user in the pool (through the API, with the page's session).
    const api = managerContext.request;
    const agencies = (await (await api.get(`${base()}/api/agencies`)).json()) as { id: string; code: string }[];
    const nord = agencies.find((a) => a.code === 'NORD')?.id as string;
    const candidates = (await (await api.get(`${base()}/api/campaigns/caller-candidates`)).json()) as { id: string; name: string }[];
    const staff = candidates.find((c) => c.name === 'Julie Fontaine')?.id as string;
    const script = await (await api.get(`${base()}/api/campaigns/script-template`)).json();
    const created = await api.post(`${base()}/api/campaigns`, {
      data: {
        name: `Notes e2e ${Date.now()}`,
        segment: { agencyId: nord, status: 'active', fragilityMatch: 'all' },
        script,
        callWindows: allHours,
        callerIds: [staff],
      },
    });
    expect(created.status()).toBe(201);
    const { id: campaignId } = (await created.json()) as { id: string };
    expect((await api.post(`${base()}/api/campaigns/${campaignId}/launch`)).status()).toBe(200);

    // The staff user calls and writes a note with a pejorative word: it is recorded, flagged for review.
    const staffContext = await browser.newContext({ locale: 'fr-FR' });
    const staffApi = staffContext.request;
    await signInDemoApi(staffApi, 'conseiller@demo.lien.fr');
    const next = (await (await staffApi.post(`${base()}/api/calls/next`, { data: { campaignId } })).json()) as {
      call: { targetId: string; householdId: string; erpRef: string } | null;
    };
    expect(next.call).not.toBeNull();
    const call = next.call as { targetId: string; householdId: string; erpRef: string };
    const note = `Voisin inquiet, le traite d’ivrogne ${Date.now()}.`;
    // The answers also raise an emergency, a need (groceries) and the regular watch.
    const outcome = await staffApi.post(`${base()}/api/calls/${call.targetId}/outcome`, {
      data: { outcome: 'reached', answers: { urgence: 'yes', courses: 'yes', rappel: 'yes' }, note },
    });
    expect(outcome.status()).toBe(200);
    const result = (await outcome.json()) as { noteFlags: string[]; urgent: boolean; needsOpened: string[]; watchEnrolled: boolean };
    expect(result).toMatchObject({ noteFlags: ['pejorative'], urgent: true, needsOpened: ['courses'], watchEnrolled: true });
    await staffContext.close();

    // The manager's dashboard shows the call, the urgent alert, and tables beside the charts.
    await page.goto(`${base()}/campagnes/${campaignId}`);
    await eventually(() => page.getByTestId('figure-attempts').textContent()).toBe('1');
    const urgentAlert = page.getByRole('alert').filter({ hasText: 'urgence à traiter' });
    await eventually(() => urgentAlert.textContent()).toContain(`Ménage ${call.erpRef}`);
    expect(await page.getByRole('table', { name: 'Issues des appels' }).textContent()).toContain('Joint·e1');
    expect(await page.getByRole('table', { name: 'Besoins repérés' }).textContent()).toContain('Aide aux courses');
    expect(await page.getByRole('img', { name: /Graphique : issues des appels/ }).isVisible()).toBe(true);
    await expectAccessible(page);

    // Follow-ups: the emergency is closed with what was done, the groceries need is assigned.
    await urgentAlert.getByRole('link', { name: 'Ouvrir les suivis urgents' }).click();
    await page.waitForURL('**/suivi?urgent=1');
    const followups = page.getByRole('table', { name: 'Suivis' });
    const urgentRow = followups.getByRole('row').filter({ hasText: call.erpRef });
    await eventually(() => urgentRow.textContent()).toContain('Urgence signalée pendant l’appel');
    expect(await page.getByRole('checkbox', { name: 'Urgences seulement' }).isChecked()).toBe(true);
    await expectAccessible(page);
    await urgentRow.getByRole('button', { name: /^Clore/ }).click();
    const closeDialog = page.getByRole('dialog', { name: 'Clore le suivi' });
    await closeDialog.getByLabel('Ce qui a été fait').fill('Rappelé par l’agence, voisin prévenu.');
    await closeDialog.getByRole('button', { name: 'Clore le suivi' }).click();
    await eventually(() => urgentRow.count()).toBe(0);
    // The box follows the address (?urgent=1), which the router updates asynchronously.
    await page.getByRole('checkbox', { name: 'Urgences seulement' }).click();
    await eventually(() => page.getByRole('checkbox', { name: 'Urgences seulement' }).isChecked()).toBe(false);
    const needRow = followups.getByRole('row').filter({ hasText: call.erpRef }).filter({ hasText: 'Aide aux courses' });
    await needRow.getByRole('button', { name: /^Attribuer/ }).click();
    const assignDialog = page.getByRole('dialog', { name: 'Attribuer le suivi' });
    await assignDialog.getByRole('combobox', { name: 'Attribuer à' }).fill('Julie');
    await assignDialog.getByRole('option', { name: 'Julie Fontaine' }).click();
    await assignDialog.getByRole('button', { name: 'Enregistrer' }).click();
    await eventually(() => needRow.textContent()).toContain('Julie Fontaine');

    // The household is now in the regular watch, with its consent labelled in French.
    await page.goto(`${base()}/menages/${call.householdId}`);
    await eventually(() => page.getByText(/Veille régulière : recueilli par téléphone/).isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Ménages', exact: true }).click();
    await page.getByRole('checkbox', { name: 'En veille régulière' }).check();
    await eventually(async () => {
      const hrefs = await page
        .getByRole('table', { name: 'Ménages' })
        .locator('tbody a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      return hrefs.includes(`/menages/${call.householdId}`);
    }).toBe(true);
    await expectAccessible(page);
    expect((await api.post(`${base()}/api/campaigns/${campaignId}/close`)).status()).toBe(200);

    // The org admin signs in with the second factor (the demo shows the code on the page).
    const adminContext = await browser.newContext({ locale: 'fr-FR' });
    adminContext.setDefaultTimeout(15_000);
    try {
      const admin = await adminContext.newPage();
      await signInDemo(admin, 'admin@demo.lien.fr');
      await admin.getByRole('link', { name: 'Notes à relire' }).click();
      await admin.waitForURL('**/admin/notes');
      const row = admin.getByRole('row').filter({ hasText: note });
      await eventually(() => row.textContent()).toContain('Terme péjoratif');
      expect(await row.textContent()).toContain('Julie Fontaine');
      await expectAccessible(admin);
      await row.getByRole('button', { name: 'Conserver' }).click();
      await eventually(() => row.count()).toBe(0);
      const [reviewed] = await ownerQuery<{ note_review: string; note: string }>(`select note_review, note from call_attempts where note = $1`, [note]);
      expect(reviewed?.note_review).toBe('kept');
    } finally {
      await adminContext.close();
    }
  });
});
