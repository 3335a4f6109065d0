import { describe, it } from 'vitest';
import { eventually, expectAccessible, ownerQuery, pageForFile, signInDemo } from './browser.ts';

const ui = pageForFile();

describe('the org admin sets how long data is kept (TRUST DP-02)', () => {
  it('sees the next purge and the rules under « Conservation », changes one, then goes back to the default', { timeout: 180_000 }, async () => {
    const { page } = ui;
    await signInDemo(page, 'admin@demo.lien.fr');
    await page.getByRole('link', { name: 'Protection des données' }).click();
    await page.getByRole('heading', { name: 'Conservation', level: 2 }).waitFor();
    await page.getByText(/^Prochaine purge : /).waitFor();

    const row = page.getByRole('row', { name: 'Campagnes d’appels (veille téléphonique)' });
    await row.getByLabel('Mois — Campagnes d’appels (veille téléphonique)').fill('6');
    await row.getByRole('button', { name: 'Enregistrer' }).click();
    const rule = () =>
      ownerQuery<{ months: number }>(
        `select r.months from retention_rules r join organisations o on o.id = r.organisation_id where o.slug = 'demo' and r.purpose = 'campaign'`,
      );
    await eventually(async () => (await rule())[0]?.months).toBe(6);
    await row.getByText(/Modifiée \(défaut : 12 mois après l’enregistrement\)/).waitFor();
    await expectAccessible(page);

    await row.getByRole('button', { name: 'Défaut' }).click();
    await eventually(async () => (await rule()).length).toBe(0);
    // The page shows the default once it has read the rules again (after the write, not with it).
    await eventually(() => row.getByLabel('Mois — Campagnes d’appels (veille téléphonique)').inputValue()).toMatch(/^12/);
  });
});
