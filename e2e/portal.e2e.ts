// Issue 16: a tenant signs in with a code on a phone, files a request with a photo, a staff
// member replies from the inbox, the tenant sees the reply; axe on every tenant page (no serious
// or critical violation).
import { describe, expect, inject, it } from 'vitest';
import { expectAccessible, launchBrowser, ownerQuery, signInDemo } from './browser.ts';
import { codeSentTo } from './tenant.ts';

/** A small JPEG with an EXIF block (a position): what a phone's camera gives. */
const photo = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0\x01\x02\0\0\x01\0\x01\0\0', 'latin1'),
  Buffer.from([0xff, 0xe1, 0x00, 0x11]),
  Buffer.from('Exif\0\0GPS 48.78', 'latin1'),
  Buffer.from([0xff, 0xda, 0x00, 0x04, 0x01, 0x02, 0xff, 0xd9]),
]);

describe('the tenant portal on a phone (issue 16)', () => {
  it('a tenant signs in with a code, files a request with a photo, a staff member replies and publishes a news item, the tenant reads both', async () => {
    const [tenant] = await ownerQuery<{ value: string; first_name: string }>(
      `select c.value, p.first_name from contact_points c
         join persons p on p.organisation_id = c.organisation_id and p.id = c.person_id
         join households h on h.organisation_id = p.organisation_id and h.id = p.household_id
         join organisations o on o.id = c.organisation_id
       where o.slug = 'demo' and c.kind = 'mobile' and c.ended_at is null and h.status = 'active' and h.left_at is null
       order by p.id limit 1`,
    );
    if (!tenant) throw new Error('no demo tenant with a mobile');
    const browser = await launchBrowser();
    try {
      const phone = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      phone.setDefaultTimeout(15_000);
      const page = await phone.newPage();
      await page.goto(`${inject('baseUrl')}/locataire/demo`);
      await page.getByRole('heading', { name: 'Se connecter', level: 1 }).waitFor();
      await expectAccessible(page);
      await page.getByLabel('Votre numéro de mobile ou votre e-mail').fill(tenant.value);
      await page.getByRole('button', { name: 'Recevoir un code' }).click();
      // Room for a busy machine; a refusal shows its French reason in the failure.
      await page
        .getByRole('heading', { name: 'Saisir le code reçu', level: 1 })
        .waitFor({ timeout: 45_000 })
        .catch(async (error) => {
          throw new Error(`no code page; the page shows: ${(await page.getByRole('main').textContent()) ?? ''}`, { cause: error });
        });
      await expectAccessible(page);
      await page.getByLabel('Code à 6 chiffres').fill(await codeSentTo(tenant.value));
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.getByRole('heading', { name: 'Mes demandes', level: 1 }).waitFor();
      expect(await page.title()).toBe('Mes demandes — Espace locataire');
      await expectAccessible(page);

      await page.getByRole('button', { name: 'Faire une demande' }).click();
      await page.getByRole('heading', { name: 'Faire une demande', level: 1 }).waitFor();
      await expectAccessible(page);
      await page.getByLabel('Type de demande').selectOption({ label: 'Problème technique dans le logement' });
      const description = `Fuite sous l’évier, test ${Date.now()}`;
      await page.getByLabel('Votre demande').fill(description);
      await page.getByLabel('Photo ou document PDF (facultatif)').setInputFiles({ name: 'fuite.jpg', mimeType: 'image/jpeg', buffer: photo });
      await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
      await page.getByRole('heading', { name: 'Problème technique dans le logement', level: 1 }).waitFor();
      await expect.poll(() => page.getByRole('main').textContent()).toContain('fuite.jpg');
      await expectAccessible(page);
      const [request] = await ownerQuery<{ id: string }>(`select id from portal_requests where description = $1`, [description]);
      expect(request).toBeTruthy();

      // A staff member of the demo landlord answers from the inbox.
      const office = await browser.newContext({ locale: 'fr-FR' });
      office.setDefaultTimeout(15_000);
      const staff = await office.newPage();
      await signInDemo(staff, 'admin@demo.lien.fr');
      await staff.getByRole('link', { name: 'Demandes des locataires' }).click();
      await staff.getByRole('heading', { name: 'Demandes des locataires', level: 1 }).waitFor();
      await staff.goto(`${inject('baseUrl')}/demandes/${request?.id}`);
      await staff.getByRole('heading', { name: /Problème technique dans le logement/, level: 1 }).waitFor();
      await staff.getByLabel('Réponse (le locataire la lit dans son espace)').fill('Le plombier passe jeudi matin.');
      await staff.getByRole('button', { name: 'Envoyer la réponse' }).click();
      await expect.poll(() => staff.getByRole('main').textContent()).toContain('Le plombier passe jeudi matin.');
      await staff.getByLabel('Nouvelle note interne').fill('Locataire absente le matin.');
      await staff.getByRole('button', { name: 'Ajouter la note' }).click();
      await expect.poll(() => staff.getByRole('main').textContent()).toContain('Locataire absente le matin.');
      // …and publishes a news item for all tenants.
      await staff.getByRole('link', { name: 'Espace locataire' }).click();
      await staff.getByRole('heading', { name: 'Espace locataire : actualités et questions fréquentes', level: 1 }).waitFor();
      const news = `Agence ouverte sur rendez-vous ${Date.now()}`;
      await staff.getByLabel('Titre').fill(news);
      await staff.getByLabel('Texte').fill('Prenez rendez-vous par téléphone.');
      await staff.getByRole('button', { name: 'Publier', exact: true }).click();
      await expect.poll(() => staff.getByRole('main').textContent()).toContain(`Actualité : ${news}`);
      // …and lets tenants see their balance and payment plan.
      const showBalance = staff.getByLabel('Montrer à chaque locataire le solde de son foyer et son plan de paiement');
      await expect.poll(() => showBalance.isEnabled()).toBe(true);
      await showBalance.click();
      await expect
        .poll(
          async () =>
            (
              await ownerQuery<{ show_balance: boolean }>(
                `select s.show_balance from portal_settings s join organisations o on o.id = s.organisation_id where o.slug = 'demo'`,
              )
            )[0]?.show_balance,
        )
        .toBe(true);
      const [sms] = await ownerQuery<{ n: number }>(`select count(*)::int as n from messages where recipient = $1 and purpose = 'portal_reply'`, [
        tenant.value,
      ]);
      expect(sms?.n).toBeGreaterThan(0);

      // The tenant reads the reply and the new status; never the internal note.
      await page.reload();
      await page.getByRole('heading', { name: 'Problème technique dans le logement', level: 1 }).waitFor();
      await expect.poll(() => page.getByRole('main').textContent()).toContain('Le plombier passe jeudi matin.');
      const shown = (await page.getByRole('main').textContent()) ?? '';
      expect(shown).toContain('En cours de traitement');
      expect(shown).not.toContain('absente');
      await expectAccessible(page);
      await page.getByRole('link', { name: '← Mes demandes' }).click();
      await page.getByRole('heading', { name: 'Mes demandes', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Mon solde', level: 2 }).waitFor();
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Actualités et questions fréquentes' }).click();
      await page.getByRole('heading', { name: 'Actualités et questions fréquentes', level: 1 }).waitFor();
      await expect.poll(() => page.getByRole('main').textContent()).toContain(news);
      await expectAccessible(page);
      await page.getByRole('link', { name: '← Mes demandes' }).click();
      await page.getByRole('heading', { name: 'Mes demandes', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Se déconnecter' }).click();
      await page.getByRole('heading', { name: 'Se connecter', level: 1 }).waitFor();
    } finally {
      await browser.close();
    }
  }, 240_000);
});
