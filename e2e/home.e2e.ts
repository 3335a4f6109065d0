import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { plural } from '../contracts/plural.ts';
import { DEMO_PASSWORD } from '../server/modules/demo/index.ts';
import { enterDemoCode, expectAccessible, launchBrowser, ownerQuery, signInDemoApi } from './browser.ts';

let browser: Browser;
const base = () => inject('baseUrl');
const laptop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };
/** Room for a loaded machine: a sign-in may wait for the next demo code. */
const slow = 150_000;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A fresh browser (no cookie, nothing cached) of the given size. */
async function freshPage(viewport: { width: number; height: number }) {
  const context = await browser.newContext({ locale: 'fr-FR', viewport, ...(viewport === phone ? { isMobile: true, hasTouch: true } : {}) });
  context.setDefaultTimeout(30_000);
  return context.newPage();
}

/**
 * What a new user does: open the address the README gives (`/`), get sent to the sign-in page,
 * sign in once (password, then the code the demo shows) and land on the page asked for.
 */
async function signInFrom(page: Page, path: string, email: string) {
  // Only the navigation's start is awaited: the machine running the tests may be slow to load the app.
  await page.goto(`${base()}${path}`, { waitUntil: 'commit', timeout: 60_000 });
  await page.waitForURL('**/connexion', { timeout: 60_000 });
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await enterDemoCode(page);
  await page.waitForURL(`${base()}${path}`);
}

const accounts = [
  ['admin@demo.lien.fr', 'À traiter'],
  ['responsable@demo.lien.fr', 'Campagnes en cours'],
  ['conseiller@demo.lien.fr', 'Vos dossiers'],
  ['cesf@demo.lien.fr', 'Vos dossiers'],
  ['gardien@demo.lien.fr', 'Porte-à-porte'],
  ['benevole@demo.lien.fr', 'Vos appels'],
  ['partenaire@demo.lien.fr', 'Appels'],
  ['analyste@demo.lien.fr', 'Espace fédération'],
] as const;

describe('signing in from / lands on the home page at the first try (issue 11, point 1)', () => {
  for (const [email, section] of accounts) {
    it(
      `${email} on a laptop`,
      async () => {
        const page = await freshPage(laptop);
        await signInFrom(page, '/', email);
        await page.getByRole('heading', { level: 1, name: /^Bonjour/ }).waitFor();
        await page.getByRole('heading', { level: 2, name: section, exact: true }).waitFor();
        expect(await page.getByLabel('Adresse e-mail').count()).toBe(0);
        await page.context().close();
      },
      slow,
    );
  }
  for (const email of ['benevole@demo.lien.fr', 'partenaire@demo.lien.fr']) {
    it(
      `${email} on a phone (390×844)`,
      async () => {
        const page = await freshPage(phone);
        await signInFrom(page, '/', email);
        await page.getByRole('heading', { level: 1, name: /^Bonjour/ }).waitFor();
        await page.context().close();
      },
      slow,
    );
  }
  it(
    'a session that ended sends back to the sign-in page, and signing in returns to the page that was open',
    async () => {
      const page = await freshPage(laptop);
      await signInFrom(page, '/campagnes', 'responsable@demo.lien.fr');
      // The session ends behind the page's back (as after the idle timeout).
      await ownerQuery(`delete from sessions where user_id = (select id from users where email = 'responsable@demo.lien.fr')`);
      await page.goto(`${base()}/suivi`, { waitUntil: 'commit', timeout: 60_000 });
      await page.waitForURL('**/connexion');
      await page.getByLabel('Adresse e-mail').fill('responsable@demo.lien.fr');
      await page.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await enterDemoCode(page);
      await page.waitForURL(`${base()}/suivi`);
      await page.context().close();
    },
    slow,
  );
});

describe('the home page is a work list for each role (issue 11, point 2)', () => {
  it(
    'a manager sees the running campaign with its progress bar and what is urgent, no brochure',
    async () => {
      const page = await freshPage(laptop);
      await signInFrom(page, '/', 'responsable@demo.lien.fr');
      // The demo's own campaign (other browser test files add campaigns of their own).
      const demoCampaign = 'Veille isolement — seniors et personnes seules';
      const [figures] = await ownerQuery<{ targeted: number; reached: number }>(
        `select count(*)::int as targeted, count(*) filter (where final_outcome = 'reached')::int as reached from campaign_targets t
       join campaigns c on c.id = t.campaign_id join organisations o on o.id = c.organisation_id where o.slug = 'demo' and c.name = $1`,
        [demoCampaign],
      );
      await page.getByRole('link', { name: demoCampaign, exact: true }).waitFor();
      const bar = page.getByRole('progressbar', { name: new RegExp(`^${demoCampaign}`) });
      expect(await bar.count()).toBe(1);
      await page.getByText(`${plural(figures?.reached ?? 0, 'ménage joint', 'ménages joints')} sur ${figures?.targeted}`).waitFor();
      await page.getByRole('heading', { name: 'À traiter' }).waitFor();
      const text = (await page.locator('main').textContent()) ?? '';
      for (const absent of ['impayés', 'portail des locataires', 'tableaux de bord']) expect(text).not.toContain(absent);
      expect(await page.title()).toBe('Accueil — Lien');
      await expectAccessible(page);
      await page.context().close();
    },
    slow,
  );

  it(
    'a caretaker sees how many doorstep visits are waiting and goes to them',
    async () => {
      const page = await freshPage(laptop);
      await signInFrom(page, '/', 'gardien@demo.lien.fr');
      const home = (await (await page.request.get(`${base()}/api/home`)).json()) as { doorstep: { pending: number } };
      const count = page.getByTestId('doorstep-count');
      await count.waitFor();
      expect(await count.textContent()).toBe(
        home.doorstep.pending === 0 ? 'Aucune visite à faire pour le moment.' : `${plural(home.doorstep.pending, 'visite')} à faire`,
      );
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Voir les visites' }).click();
      await page.waitForURL('**/porte-a-porte');
      await page.context().close();
    },
    slow,
  );

  const campaignName = 'Veille — e2e accueil, un seul geste';
  it(
    'a volunteer on a phone: one tap on « Appeler le suivant » from the home page shows the call card with the household (the charter first when not yet accepted)',
    async () => {
      const [paul] = await ownerQuery<{ id: string; accepted: number }>(
        `select u.id, (select count(*)::int from charter_acceptances a where a.user_id = u.id) as accepted from users u where email = 'benevole@demo.lien.fr'`,
      );
      // A campaign of this test's own, open at every hour (the demo's calls only in the daytime).
      const managerContext = await browser.newContext({ locale: 'fr-FR' });
      const manager = managerContext.request;
      await signInDemoApi(manager, 'responsable@demo.lien.fr');
      const script = await (await manager.get(`${base()}/api/campaigns/script-template`)).json();
      const agencies = (await (await manager.get(`${base()}/api/agencies`)).json()) as { id: string; code: string }[];
      const created = await manager.post(`${base()}/api/campaigns`, {
        data: {
          name: campaignName,
          segment: { agencyId: agencies.find((a) => a.code === 'NORD')?.id, status: 'active', fragilityMatch: 'all' },
          script,
          callWindows: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' },
          callerIds: [paul!.id],
        },
      });
      expect(created.status()).toBe(201);
      const { id: campaignId } = (await created.json()) as { id: string };
      expect((await manager.post(`${base()}/api/campaigns/${campaignId}/launch`)).status()).toBe(200);

      const page = await freshPage(phone);
      await signInFrom(page, '/', 'benevole@demo.lien.fr');
      // One button per campaign the volunteer calls for (the demo's, this one, maybe another test file's).
      const call = page.getByRole('link', { name: /^Appeler le suivant/ }).filter({ hasText: campaignName });
      // Visible on the first screen, large enough for a thumb.
      const box = await call.boundingBox();
      expect(box && box.y + box.height <= phone.height && box.height >= 44 && box.width >= 300).toBe(true);
      // The phone layout, its menu closed (behind the « Menu » button): the call starts without it.
      expect(await page.getByRole('button', { name: 'Menu' }).isVisible()).toBe(true);
      await expectAccessible(page);

      await call.tap();
      await page.waitForURL('**/appels**');
      if (paul!.accepted === 0) {
        // Never accepted: the confidentiality charter comes first, then the call card without another tap.
        await page.getByRole('button', { name: 'J’ai lu et j’accepte la charte' }).tap();
      }
      const firstPhone = page.getByRole('link', { name: /^Appeler le 0/ }).first();
      await firstPhone.waitFor();
      // The household reserved to the volunteer is the one shown, by its first name.
      const [held] = await ownerQuery<{ household_id: string }>(
        `select t.household_id from campaign_targets t join campaigns c on c.id = t.campaign_id
         where t.status = 'assigned' and t.assigned_to = $1 and t.claim_expires_at > now() and c.id = $2`,
        [paul!.id, campaignId],
      );
      const persons = await ownerQuery<{ first_name: string }>('select first_name from persons where household_id = $1', [held!.household_id]);
      const name = (await page.locator('main').getByRole('heading', { level: 3 }).first().textContent())?.trim() ?? '';
      expect(persons.map((p) => p.first_name)).toContain(name);
      expect(await page.getByRole('button', { name: 'Appeler le suivant' }).count()).toBe(0);
      // The request leaves the address: a reload shows the reserved household and asks for no other.
      expect(new URL(page.url()).search).toBe('');

      // Leave things as found for the other browser tests: the household back in the queue, the charter as it was.
      await page.getByRole('button', { name: 'Je ne peux pas appeler ce ménage' }).tap();
      await page.getByText('Le ménage est rendu à la file').waitFor();
      if (paul!.accepted === 0) await ownerQuery('delete from charter_acceptances where user_id = $1', [paul!.id]);
      expect((await manager.post(`${base()}/api/campaigns/${campaignId}/close`)).status()).toBe(200);
      await managerContext.close();
      await page.context().close();
    },
    slow,
  );
});

describe('help inside the product (issue 11, point 10)', () => {
  it(
    '« Aide » shows the user guide; the import page offers a sample file and the expected columns',
    async () => {
      const page = await freshPage(laptop);
      await signInFrom(page, '/', 'admin@demo.lien.fr');
      await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Aide', exact: true }).click();
      await page.waitForURL('**/aide');
      await page.getByRole('heading', { level: 1, name: 'Aide : guide d’utilisation' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Double authentification et codes de secours' }).waitFor();
      await page.getByRole('navigation', { name: 'Sommaire du guide' }).getByRole('link', { name: "Campagnes d'appels (veille téléphonique)" }).waitFor();
      await expectAccessible(page);

      await page.goto(`${base()}/registre/import`, { waitUntil: 'commit', timeout: 60_000 });
      const sample = page.getByRole('link', { name: /fichier d’exemple/ });
      const href = (await sample.getAttribute('href')) as string;
      const csv = await (await page.request.get(new URL(href, base()).toString())).text();
      expect(csv.split('\r\n')[0]).toContain('Code agence;Nom agence;Code groupe');
      await page.getByRole('button', { name: /Colonnes attendues/ }).click();
      const columns = page.getByRole('table', { name: 'Colonnes attendues' });
      await columns.getByRole('cell', { name: 'Référence bail', exact: true }).waitFor();
      await expectAccessible(page);
      await page.context().close();
    },
    slow,
  );
});
