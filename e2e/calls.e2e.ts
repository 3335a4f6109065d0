import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CallScript } from '../contracts/campaigns.ts';
import { DEMO_PASSWORD } from '../server/modules/demo/index.ts';
import { currentTotp } from '../server/platform/auth/totp.ts';
import { enterDemoCode, expectAccessible, launchBrowser, ownerQuery } from './browser.ts';

const base = () => inject('baseUrl');
const allHours = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' };
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR' };

type Call = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => Promise<T>;

const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

/** An API session over plain HTTP: password, then the code the demo organisation's helper gives. */
async function apiSession(email: string): Promise<Call> {
  const signIn = await fetch(`${base()}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  expect(signIn.status).toBe(200);
  const pending = cookieOf(signIn);
  let cookie = '';
  for (let attempt = 0; !cookie && attempt < 8; attempt++) {
    const { code } = (await (await fetch(`${base()}/api/auth/demo-code`, { headers: { cookie: pending } })).json()) as { code: string | null };
    const second = code
      ? await fetch(`${base()}/api/auth/second-factor`, {
          method: 'POST',
          headers: { cookie: pending, 'content-type': 'application/json' },
          body: JSON.stringify({ code }),
        })
      : null;
    if (second?.status === 200) cookie = cookieOf(second);
    else await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
  expect(cookie).not.toBe('');
  return async <T>(method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${base()}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const data = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(data)}`);
    return data as T;
  };
}

async function signInOnPhone(email: string, options: { enrolTotp?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(phone);
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await page.goto(`${base()}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  if (options.enrolTotp) {
    // Volunteers enrol a second factor at their first sign-in (TRUST DP-08), on their phone.
    await page.waitForURL('**/compte/securite');
    await page.getByRole('button', { name: 'Activer la double authentification' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())?.trim() as string;
    await page.getByLabel('Code').fill(currentTotp(secret));
    await page.getByRole('button', { name: 'Activer' }).click();
    // The recovery codes are shown once, then the volunteer goes on.
    await page.getByTestId('recovery-code').first().waitFor();
    expect(await page.getByTestId('recovery-code').count()).toBe(10);
    await page.getByRole('button', { name: 'J’ai mis mes codes en lieu sûr' }).click();
  } else {
    await enterDemoCode(page);
  }
  await page.waitForURL(`${base()}/`);
  return { context, page };
}

/** Through the phone's menu (burger), as a person would. */
async function openMenuEntry(page: Page, label: string) {
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: label, exact: true }).click();
}

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** The household the volunteer holds in the campaign, and everything the call card must NOT show. */
async function heldHousehold(campaignId: string) {
  const [held] = await ownerQuery<{ household_id: string; erp_ref: string; address: string }>(
    `select t.household_id, h.erp_ref, r.address from campaign_targets t join households h on h.id = t.household_id join residences r on r.id = t.residence_id
     where t.campaign_id = $1 and t.status = 'assigned'`,
    [campaignId],
  );
  expect(held).toBeDefined();
  const persons = await ownerQuery<{ first_name: string; last_name: string }>('select first_name, last_name from persons where household_id = $1', [
    held!.household_id,
  ]);
  return { ...held!, persons };
}

let browser: Browser;
let manager: Call;
let campaignId = '';
let volunteer: { context: BrowserContext; page: Page };

beforeAll(async () => {
  browser = await launchBrowser();
  manager = await apiSession('responsable@demo.lien.fr');
  const candidates = await manager<{ id: string; name: string; role: string }[]>('GET', '/api/campaigns/caller-candidates');
  const volunteerId = candidates.find((c) => c.role === 'volunteer' && c.name === 'Paul Girard')?.id;
  expect(volunteerId).toBeDefined();
  const script = await manager<CallScript>('GET', '/api/campaigns/script-template');
  // Agence Nord's households only: those of an ERP import run by another browser test before
  // this one belong to an agency without a duty phone, which the urgency panel would not show.
  const agencies = await manager<{ id: string; code: string }[]>('GET', '/api/agencies');
  const nord = agencies.find((a) => a.code === 'NORD')?.id;
  ({ id: campaignId } = await manager<{ id: string }>('POST', '/api/campaigns', {
    name: 'Veille isolement — e2e appels',
    segment: { agencyId: nord, status: 'active', fragilityMatch: 'all' },
    script,
    callWindows: allHours,
    callerIds: [volunteerId],
  }));
  const launched = await manager<{ status: string; targets: number }>('POST', `/api/campaigns/${campaignId}/launch`);
  expect(launched.status).toBe('active');
  expect(launched.targets).toBeGreaterThan(2);
});
afterAll(async () => {
  await browser?.close();
});

describe('a volunteer’s call on a phone', () => {
  it('accepts the charter, calls the next household, sees only first name and phone, records a need', async () => {
    // A volunteer at their first sign-in enrols on their phone: the demo volunteer comes enrolled,
    // so the org admin resets their second factor first (as after a lost phone).
    const admin = await apiSession('admin@demo.lien.fr');
    const [paul] = await ownerQuery<{ id: string }>(`select id from users where email = 'benevole@demo.lien.fr'`);
    expect(await admin<{ totpEnabled: boolean }>('POST', `/api/users/${paul!.id}/second-factor/reset`)).toMatchObject({ totpEnabled: false });
    volunteer = await signInOnPhone('benevole@demo.lien.fr', { enrolTotp: true });
    const { page } = volunteer;
    await openMenuEntry(page, 'Appels');
    await page.waitForURL('**/appels');

    // The charter comes first, and nothing else.
    await page.getByText('Charte de confidentialité des appelant·es').waitFor();
    expect(await page.getByRole('button', { name: 'Appeler le suivant' }).count()).toBe(0);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'J’ai lu et j’accepte la charte' }).click();

    // The demo campaign is in the list too: choose this one.
    await page.getByRole('button', { name: 'Veille isolement — e2e appels' }).click();
    await page.getByRole('button', { name: 'Appeler le suivant' }).click();
    const firstPhone = page.getByRole('link', { name: /^Appeler le / }).first();
    await firstPhone.waitFor();
    expect(await firstPhone.getAttribute('href')).toMatch(/^tel:\+\d{6,15}$/);

    const held = await heldHousehold(campaignId);
    const heading = (await page.locator('main').getByRole('heading', { level: 3 }).first().textContent())?.trim() ?? '';
    expect(held.persons.map((p) => p.first_name)).toContain(heading);
    const shown = (await page.locator('main').textContent()) ?? '';
    for (const p of held.persons) expect(shown).not.toContain(p.last_name);
    expect(shown).not.toContain(held.address);
    expect(shown).not.toContain(held.erp_ref);
    expect(await page.getByRole('link', { name: 'Ouvrir la fiche du ménage' }).count()).toBe(0);
    expect(await noHorizontalScroll(page)).toBe(true);
    await expectAccessible(page);

    await page
      .getByRole('group', { name: /Avez-vous besoin d’aide pour faire vos courses/ })
      .getByRole('button', { name: 'Oui' })
      .click();
    await page.getByRole('group', { name: 'Issue de l’appel' }).getByRole('button', { name: 'Joint·e' }).click();
    // The note is checked as the caller types.
    const note = page.getByLabel('Note (facultative)');
    await note.fill('Sous traitement pour son diabète');
    await page.getByText('semble contenir une information de santé').waitFor();
    await note.fill('Préfère être appelée le matin.');
    expect(await page.getByText('semble contenir une information de santé').count()).toBe(0);
    await page.getByRole('button', { name: 'Enregistrer l’appel', exact: true }).click();

    await page.getByText('Appel enregistré').waitFor();
    await page.getByText('Aide aux courses', { exact: false }).waitFor();
    expect(await noHorizontalScroll(page)).toBe(true);
    await expectAccessible(page);

    const followups = await ownerQuery('select 1 from followups where household_id = $1 and campaign_id = $2 and need = $3', [
      held.household_id,
      campaignId,
      'courses',
    ]);
    expect(followups).toHaveLength(1);
    const attempts = await ownerQuery<{ outcome: string; note: string }>(
      'select outcome, note from call_attempts where campaign_id = $1 and household_id = $2',
      [campaignId, held.household_id],
    );
    expect(attempts).toEqual([{ outcome: 'reached', note: 'Préfère être appelée le matin.' }]);
  });

  it('on a 390×844 phone, « Urgence » never sits on an answer, labels are whole, and a reload shows the reserved household', async () => {
    const { page } = volunteer;
    const nextCalls: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/calls/next')) nextCalls.push(r.url());
    });
    await page.getByRole('button', { name: 'Appeler le suivant' }).click();
    const phoneLink = page.getByRole('link', { name: /^Appeler le / }).first();
    await phoneLink.waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    const urgence = page.getByRole('button', { name: 'Urgence', exact: true });
    const answers = page.locator('main [role="group"] button');
    const answerCount = await answers.count();
    expect(answerCount).toBeGreaterThan(12);
    type Box = { x: number; y: number; width: number; height: number };
    const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    // Every answer the Urgence button's box meets, with where it is (one read of the page's boxes).
    const overlapping = () =>
      page.evaluate(() => {
        const u = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Urgence')!.getBoundingClientRect();
        return [...document.querySelectorAll('main [role="group"] button')]
          .map((b) => ({ text: b.textContent ?? '', r: b.getBoundingClientRect() }))
          .filter(({ r }) => u.left < r.right && r.left < u.right && u.top < r.bottom && r.top < u.bottom)
          .map(({ text, r }) => ({ text, top: Math.round(r.top) }));
      });
    // As the page opens: the first question's « Non » (and every other answer) is clear of it.
    expect(await overlapping()).toEqual([]);
    // Each answer, brought into view as the caller scrolls to it, is clear of it and takes the tap.
    for (let i = 0; i < answerCount; i++) {
      const answer = answers.nth(i);
      await answer.scrollIntoViewIfNeeded();
      const u = (await urgence.boundingBox()) as Box;
      const box = (await answer.boundingBox()) as Box;
      expect(overlap(u, box), `${await answer.textContent()} under « Urgence »`).toBe(false);
      // Whole on screen: its bottom edge within the 844 px of the phone, give or take the two
      // pixels of fractional layout and scroll rounding (seen: 844.8 and 845.0 px, depending on
      // the household shown above), far less than the button's padding around its label.
      expect(box.y + box.height, `${await answer.textContent()} cut at the bottom`).toBeLessThanOrEqual(846);
    }
    // At every scroll position the bar stays right under the header, across the answers' whole
    // width: what passes under it leaves the view as under the header, never beside it.
    const bar = urgence.locator('xpath=..');
    const column = (await page.locator('main [role="group"]').first().boundingBox()) as Box;
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0; y <= height; y += 200) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      const header = (await page.locator('header').boundingBox()) as Box;
      const strip = (await bar.boundingBox()) as Box;
      expect(strip.y).toBeGreaterThanOrEqual(header.y + header.height - 1);
      expect(strip.x).toBeLessThanOrEqual(column.x + 1);
      expect(strip.x + strip.width).toBeGreaterThanOrEqual(column.x + column.width - 1);
      expect((await overlapping()).filter((hit) => hit.top >= strip.y + strip.height)).toEqual([]);
    }
    // The bar stays usable at the bottom of the page too.
    expect(await urgence.isVisible()).toBe(true);

    // « Hospitalisé·e » and every other answer label are whole, not cut off.
    const hospital = page.getByRole('group', { name: 'Issue de l’appel' }).getByRole('button', { name: 'Hospitalisé·e' });
    const cut = await answers.evaluateAll((buttons) =>
      buttons
        .map((b) => b.querySelector('.mantine-Button-label') as HTMLElement)
        .filter((label) => label.scrollWidth > label.clientWidth)
        .map((label) => label.textContent),
    );
    expect(cut).toEqual([]);
    expect(await hospital.locator('.mantine-Button-label').evaluate((label) => label.scrollWidth <= label.clientWidth)).toBe(true);
    expect(await noHorizontalScroll(page)).toBe(true);

    // A reload shows the household still reserved to the volunteer, without pressing anything.
    const number = await phoneLink.getAttribute('href');
    const heading = await page.locator('main').getByRole('heading', { level: 3 }).first().textContent();
    const held = await heldHousehold(campaignId);
    nextCalls.length = 0;
    await page.reload();
    await phoneLink.waitFor({ timeout: 10_000 });
    expect(await phoneLink.getAttribute('href')).toBe(number);
    expect(await page.locator('main').getByRole('heading', { level: 3 }).first().textContent()).toBe(heading);
    expect((await heldHousehold(campaignId)).household_id).toBe(held.household_id);
    expect(nextCalls).toHaveLength(1);
    expect(await page.getByRole('button', { name: 'Appeler le suivant' }).count()).toBe(0);
    // Formatted as French callers write numbers.
    expect(await phoneLink.textContent()).toMatch(/^Appeler le 0\d( \d{2}){4} \((portable|fixe)\)$/);

    // Done with this one: nobody answered.
    await page.getByRole('group', { name: 'Issue de l’appel' }).getByRole('button', { name: 'Pas de réponse' }).click();
    await page.getByRole('button', { name: 'Enregistrer l’appel', exact: true }).click();
    await page.getByText('Appel enregistré').waitFor();
    // Back on the page later: nothing is held, so nothing is asked for the caller.
    nextCalls.length = 0;
    await page.reload();
    await page.getByRole('button', { name: 'Veille isolement — e2e appels' }).waitFor();
    await page.waitForTimeout(500);
    expect(nextCalls).toEqual([]);
    await page.getByRole('button', { name: 'Veille isolement — e2e appels' }).click();
  }, 180_000);

  it('an urgent answer or the « Urgence » button shows the 15 / 112 instructions at once', async () => {
    const { page } = volunteer;
    await page.getByRole('button', { name: 'Appeler le suivant' }).click();
    await page
      .getByRole('link', { name: /^Appeler le / })
      .first()
      .waitFor();
    const held = await heldHousehold(campaignId);
    const danger = page.getByRole('group', { name: /Êtes-vous en danger/ });
    const panel = page.getByRole('alert').filter({ hasText: 'appelez le 15 (SAMU) ou le 112' });

    await danger.getByRole('button', { name: 'Oui' }).click();
    await panel.waitFor();
    expect(await panel.getByRole('link', { name: '15 (SAMU)' }).getAttribute('href')).toBe('tel:15');
    expect(await panel.getByRole('link', { name: /^01 45 00 00 0\d$/ }).getAttribute('href')).toMatch(/^tel:\+3314500000\d$/);
    await expectAccessible(page);

    // Changing the answer hides it; the always-visible button brings it back.
    await danger.getByRole('button', { name: 'Non' }).click();
    await panel.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Urgence', exact: true }).click();
    await panel.waitFor();

    await page.getByRole('group', { name: 'Issue de l’appel' }).getByRole('button', { name: 'Joint·e' }).click();
    await page.getByRole('button', { name: 'Enregistrer l’appel et alerter' }).click();
    await page.getByText('Les responsables sont alertés').waitFor();
    const urgent = await ownerQuery('select 1 from followups where household_id = $1 and campaign_id = $2 and urgent', [held.household_id, campaignId]);
    expect(urgent).toHaveLength(1);
    await volunteer.context.close();
  });
});

describe('a caretaker’s doorstep visit on a phone', () => {
  it('after the last unanswered call, the caretaker records the visit and it leaves the list', async () => {
    const agencies = await manager<{ id: string; code: string }[]>('GET', '/api/agencies');
    const sud = agencies.find((a) => a.code === 'SUD')?.id;
    const candidates = await manager<{ id: string; name: string; role: string }[]>('GET', '/api/campaigns/caller-candidates');
    const managerId = candidates.find((c) => c.role === 'manager')?.id;
    const script = await manager<CallScript>('GET', '/api/campaigns/script-template');
    const { id } = await manager<{ id: string }>('POST', '/api/campaigns', {
      name: 'Veille Sud — e2e porte-à-porte',
      segment: { status: 'active', fragilityMatch: 'all', agencyId: sud },
      script,
      callWindows: allHours,
      retryPolicy: { retryAfterMinutes: 15, maxAttempts: 1 },
      callerIds: [managerId],
    });
    await manager('POST', `/api/campaigns/${id}/launch`);
    const { call } = await manager<{ call: { targetId: string } | null }>('POST', '/api/calls/next', { campaignId: id });
    expect(call).not.toBeNull();
    const recorded = await manager<{ doorstep: boolean }>('POST', `/api/calls/${call!.targetId}/outcome`, { outcome: 'no_answer' });
    expect(recorded.doorstep).toBe(true);
    const [visit] = await ownerQuery<{ id: string; holder_name: string }>(
      'select d.id, h.holder_name from doorstep_visits d join households h on h.id = d.household_id where d.target_id = $1',
      [call!.targetId],
    );
    expect(visit).toBeDefined();

    const { context, page } = await signInOnPhone('gardien@demo.lien.fr');
    await openMenuEntry(page, 'Porte-à-porte');
    await page.waitForURL('**/porte-a-porte');
    const card = page.getByRole('region', { name: visit!.holder_name, exact: true });
    await card.waitFor();
    expect(await card.textContent()).toContain('Veille Sud — e2e porte-à-porte');
    await card.getByRole('button', { name: 'Enregistrer le résultat' }).click();
    await card.getByRole('button', { name: 'Rencontré·e, tout va bien' }).click();
    const note = card.getByLabel('Note (facultative)');
    await note.fill('Il est fou, il refuse tout');
    await card.getByText('contient un terme péjoratif').waitFor();
    expect(await noHorizontalScroll(page)).toBe(true);
    await expectAccessible(page);
    // The server refuses the flagged note, with its French message.
    await card.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await card.getByRole('alert').filter({ hasText: 'reformulez-la de façon factuelle' }).waitFor();

    await note.fill('Vu sur le palier, tout va bien.');
    await card.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await card.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Rencontré·e, tout va bien' }).waitFor();
    const [done] = await ownerQuery<{ status: string; result: string; note: string }>('select status, result, note from doorstep_visits where id = $1', [
      visit!.id,
    ]);
    expect(done).toEqual({ status: 'done', result: 'met', note: 'Vu sur le palier, tout va bien.' });

    await page.getByText('Faites', { exact: true }).click();
    await page.getByRole('region', { name: visit!.holder_name, exact: true }).getByText('Rencontré·e, tout va bien').waitFor();
    await expectAccessible(page);
    await context.close();
  });
});
