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
  // A laptop screen.
  managerContext = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true, viewport: { width: 1366, height: 768 } });
  managerContext.setDefaultTimeout(15_000);
  page = await managerContext.newPage();
});
afterAll(async () => {
  await browser?.close();
});

// The form has five steps and each is checked for accessibility: longer than the default minute on a loaded machine.
describe('a manager prepares, launches and watches a call campaign', () => {
  it('creates a campaign with the ready script, a live count and a volunteer, then launches it', async () => {
    await signInDemo(page, 'responsable@demo.lien.fr');
    await page.getByRole('link', { name: 'Campagnes d’appels' }).click();
    await page.waitForURL('**/campagnes');
    await page.getByRole('link', { name: 'Nouvelle campagne' }).click();
    await page.waitForURL('**/campagnes/nouvelle');

    const stepTitle = page.getByTestId('step-title');
    await eventually(() => stepTitle.textContent()).toBe('Étape 1 sur 5 : Qui appeler');
    const isFocused = (locator: ReturnType<Page['getByLabel']>) => locator.evaluate((el) => el === document.activeElement);

    // An empty submit (straight to the last step): back to the first step, the error under the name, focus on it.
    await page.getByRole('button', { name: /Vérifier et enregistrer/ }).click();
    await eventually(() => stepTitle.textContent()).toBe('Étape 5 sur 5 : Vérifier et enregistrer');
    await page.getByRole('button', { name: 'Créer la campagne' }).click();
    await eventually(() => stepTitle.textContent()).toBe('Étape 1 sur 5 : Qui appeler');
    const nameInput = page.getByLabel('Nom de la campagne');
    await eventually(() => isFocused(nameInput)).toBe(true);
    expect(await nameInput.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await nameInput.getAttribute('aria-describedby')) ?? '';
    const described = await Promise.all(describedBy.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(described.join(' ')).toContain('Donnez un nom à la campagne.');
    const [nothing] = await ownerQuery<{ n: number }>(`select count(*)::int as n from campaigns where name = ''`);
    expect(nothing?.n).toBe(0);

    const name = `Veille e2e ${Date.now()}`;
    await nameInput.fill(name);
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

    // Step 2: the ready script is there to start from; a new question gets its technical key from its text, out of sight.
    await page.getByRole('button', { name: 'Suivant' }).click();
    await eventually(() => stepTitle.textContent()).toBe('Étape 2 sur 5 : Que demander');
    await eventually(() => page.getByLabel('Titre du script').inputValue()).toBe('Veille isolement — crise sanitaire');
    expect(await page.getByLabel('Texte de la question 1', { exact: true }).inputValue()).toContain('danger');
    expect(await page.locator('body').textContent()).not.toMatch(/Identifiant|colonne de l’export/);
    const questions = await page.getByLabel(/^Texte de la question \d+$/).count();
    await page.getByRole('button', { name: 'Ajouter une question' }).click();
    const added = questions + 1;
    await page.getByLabel(`Texte de la question ${added}`, { exact: true }).fill('Êtes-vous aidé·e pour les démarches ?');
    const keyInput = page.getByLabel(`Clé technique (question ${added})`);
    expect(await keyInput.isVisible()).toBe(false);
    await page.getByText(`Avancé (question ${added})`).click();
    expect(await keyInput.inputValue()).toBe('etes_vous_aide_e_pour_les_demarches');
    await expectAccessible(page);

    // Step 3: a volunteer in the pool, with the charter status shown.
    await page.getByRole('button', { name: 'Suivant' }).click();
    await eventually(() => stepTitle.textContent()).toBe('Étape 3 sur 5 : Qui appelle');
    await page.getByRole('combobox', { name: 'Vivier d’appelant·es' }).fill('Girard');
    await page.getByRole('option', { name: /Paul Girard — Bénévole/ }).click();
    await page.keyboard.press('Escape');
    await eventually(() => page.getByRole('table', { name: 'Appelant·es choisi·es' }).textContent()).toContain('Paul Girard');

    // Step 4: every day, round the clock, so that the test passes at any hour.
    await page.getByRole('button', { name: 'Suivant' }).click();
    await eventually(() => stepTitle.textContent()).toBe('Étape 4 sur 5 : Quand');
    await page.getByRole('checkbox', { name: 'Dimanche' }).check();
    await page.getByLabel('Heure de début').fill('00:00');
    // A wrong value stops the step, in French, under the field, which gets the focus.
    const end = page.getByLabel('Heure de fin');
    await end.fill('25:00');
    await page.getByRole('button', { name: 'Suivant' }).click();
    await eventually(() => isFocused(end)).toBe(true);
    expect(await stepTitle.textContent()).toBe('Étape 4 sur 5 : Quand');
    expect(await end.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Écrivez l’heure sous la forme 09:00 (24:00 pour minuit).').isVisible()).toBe(true);
    await expectAccessible(page);
    await end.fill('24:00');

    // Step 5: the summary, then save.
    await page.getByRole('button', { name: 'Suivant' }).click();
    await eventually(() => stepTitle.textContent()).toBe('Étape 5 sur 5 : Vérifier et enregistrer');
    const review = page.getByTestId('review-count');
    await eventually(async () => targetedIn(await review.textContent())).toBeGreaterThan(0);
    const expected = targetedIn(await review.textContent());
    expect(await page.locator('form').textContent()).toContain('Paul Girard');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Créer la campagne' }).click();
    await page.waitForURL(/\/campagnes\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop() as string;
    const [saved] = await ownerQuery<{ segment: Record<string, unknown>; call_windows: unknown; callers: number; keys: string[] }>(
      `select segment, call_windows, (select count(*)::int from campaign_callers cc where cc.campaign_id = c.id) as callers,
         (select array_agg(q->>'key') from jsonb_array_elements(c.script->'questions') q) as keys
       from campaigns c where id = $1`,
      [id],
    );
    expect(saved?.segment).toMatchObject({ minAge: 60, indicators: ['lives_alone'], fragilityMatch: 'any' });
    expect(saved?.call_windows).toEqual(allHours);
    expect(saved?.callers).toBe(1);
    expect(saved?.keys).toContain('etes_vous_aide_e_pour_les_demarches');

    // The draft's dashboard says how many households will be called, not « 0 » targeted.
    await eventually(() => page.getByTestId('figure-targeted').textContent()).toBe(String(expected));
    expect(await page.getByRole('group', { name: 'Ménages à appeler' }).textContent()).toContain('brouillon : pas encore lancé');
    expect(await page.getByTestId('draft-summary').textContent()).toContain(`${expected} ménage`);
    expect(await page.locator('main').textContent()).not.toMatch(/ménage\(s\)|1 ménages/);

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
    expect(await page.getByTestId('progress-text').textContent()).toMatch(new RegExp(`^0 ménage joint sur ${expected} \\(0 %\\) · 0 appel passé$`));
    expect(await page.getByRole('progressbar').first().getAttribute('aria-valuenow')).toBe('0');
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
  }, 300_000);
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
    // The household as staff know it: holder's name and reference, with a link to its file.
    const [holder] = await ownerQuery<{ name: string }>('select holder_name as name from households where id = $1', [call.householdId]);
    const householdLink = urgentAlert.getByRole('link', { name: `${holder?.name} (réf. ${call.erpRef})` });
    await eventually(() => householdLink.getAttribute('href')).toBe(`/menages/${call.householdId}`);
    expect(await urgentAlert.textContent()).not.toContain(`Ménage ${call.erpRef}`);
    expect(await urgentAlert.textContent()).toContain('1 urgence à traiter');
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
  }, 180_000);
});

describe('the campaign form on a phone (issue 11, point 5)', () => {
  it('a manager walks the five steps at 390×844: errors at their field with the focus, no sideways scrolling, then the draft is saved', async () => {
    const phone = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    phone.setDefaultTimeout(30_000);
    const mobile = await phone.newPage();
    await signInDemo(mobile, 'responsable@demo.lien.fr');
    await mobile.goto(`${base()}/campagnes/nouvelle`);
    const stepTitle = mobile.getByTestId('step-title');
    const noSidewaysScroll = () => mobile.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    /** The button is whole on the screen's width (not cut off at the right edge). */
    const withinWidth = async (name: string) => {
      const box = await mobile.getByRole('button', { name, exact: true }).boundingBox();
      return !!box && box.x >= 0 && box.x + box.width <= 390;
    };
    await eventually(() => stepTitle.textContent()).toBe('Étape 1 sur 5 : Qui appeler');
    expect(await noSidewaysScroll()).toBe(true);
    // The step bar stays on one line: its five numbered circles share one row (the heading names the step).
    const stepRows = await mobile
      .locator('.mantine-Stepper-stepIcon')
      .evaluateAll((icons) => icons.map((icon) => Math.round(icon.getBoundingClientRect().top)));
    expect(stepRows).toHaveLength(5);
    expect(new Set(stepRows).size).toBe(1);

    // « Suivant » with no name: the step stays, the message is under the field, which has the focus.
    await mobile.getByRole('button', { name: 'Suivant', exact: true }).tap();
    const nameInput = mobile.getByLabel('Nom de la campagne');
    await eventually(() => nameInput.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await stepTitle.textContent()).toBe('Étape 1 sur 5 : Qui appeler');
    expect(await nameInput.getAttribute('aria-invalid')).toBe('true');
    expect(await mobile.getByText('Donnez un nom à la campagne.').isVisible()).toBe(true);

    const name = `Veille e2e téléphone ${Date.now()}`;
    await nameInput.fill(name);
    await mobile.getByLabel('Objet').fill('Prendre des nouvelles des locataires âgés ou seuls.');
    await eventually(async () => targetedIn(await mobile.getByTestId('segment-count').textContent())).toBeGreaterThan(0);
    expect(await noSidewaysScroll()).toBe(true);
    expect(await withinWidth('Suivant')).toBe(true);

    await mobile.getByRole('button', { name: 'Suivant', exact: true }).tap();
    await eventually(() => stepTitle.textContent()).toBe('Étape 2 sur 5 : Que demander');
    await eventually(() => mobile.getByLabel('Titre du script').inputValue()).toBe('Veille isolement — crise sanitaire');
    expect(await noSidewaysScroll()).toBe(true);
    expect(await withinWidth('Ajouter une question')).toBe(true);

    await mobile.getByRole('button', { name: 'Suivant', exact: true }).tap();
    await eventually(() => stepTitle.textContent()).toBe('Étape 3 sur 5 : Qui appelle');
    expect(await noSidewaysScroll()).toBe(true);

    await mobile.getByRole('button', { name: 'Suivant', exact: true }).tap();
    await eventually(() => stepTitle.textContent()).toBe('Étape 4 sur 5 : Quand');
    expect(await noSidewaysScroll()).toBe(true);
    await expectAccessible(mobile);

    await mobile.getByRole('button', { name: 'Suivant', exact: true }).tap();
    await eventually(() => stepTitle.textContent()).toBe('Étape 5 sur 5 : Vérifier et enregistrer');
    await eventually(async () => targetedIn(await mobile.getByTestId('review-count').textContent())).toBeGreaterThan(0);
    expect(await noSidewaysScroll()).toBe(true);
    expect(await withinWidth('Créer la campagne')).toBe(true);
    await expectAccessible(mobile);

    await mobile.getByRole('button', { name: 'Créer la campagne', exact: true }).tap();
    await mobile.waitForURL(/\/campagnes\/[0-9a-f-]{36}$/);
    const [saved] = await ownerQuery<{ status: string }>('select status from campaigns where name = $1', [name]);
    expect(saved?.status).toBe('draft');
    await phone.close();
  }, 300_000);
});
