import { describe, expect, it } from 'vitest';
import { eventually, expectAccessible, ownerQuery, pageForFile, signInDemo } from './browser.ts';

const ui = pageForFile();

describe('a manager gives a residence its caretaker', () => {
  it('finds the residence, picks the caretaker of its agency, and the choice is kept', async () => {
    const { page } = ui;
    await signInDemo(page, 'responsable@demo.lien.fr');
    await page.getByRole('link', { name: 'Résidences' }).click();
    await page.waitForURL('**/residences');

    const [target] = await ownerQuery<{ id: string; name: string; erp_code: string }>(
      `select r.id, r.name, r.erp_code from residences r join agencies a on a.id = r.agency_id join organisations o on o.id = r.organisation_id
       where o.slug = 'demo' and a.code = 'SUD' and r.caretaker_id is null order by r.name limit 1`,
    );
    if (!target) throw new Error('the demo has no residence in agency Sud without a caretaker');
    await page.getByRole('textbox', { name: 'Rechercher' }).fill(target.erp_code);
    const select = page.getByRole('combobox', { name: `Gardien·ne de la résidence ${target.name}` });
    await eventually(() => select.inputValue()).toBe('Personne (tous les gardien·nes de l’agence)');
    await expectAccessible(page);

    // The list reads again after the search is typed: pick only once it shows the filtered rows,
    // or the open list of choices goes with the row it belongs to.
    const settled = async () => {
      const rows = page.locator('main table tbody tr');
      const n = await rows.count();
      return (await page.locator('main table[aria-busy="true"]').count()) === 0 && n > 0 && n === (await rows.filter({ hasText: target.name }).count());
    };
    await eventually(settled).toBe(true);
    await select.click();
    await page.getByRole('option', { name: 'Marc Lemaire' }).click();
    await eventually(() => page.getByText(`${target.name} est confiée à Marc Lemaire.`).isVisible()).toBe(true);
    const saved = await ownerQuery<{ email: string }>('select u.email from residences r join users u on u.id = r.caretaker_id where r.id = $1', [target.id]);
    expect(saved).toEqual([{ email: 'gardien@demo.lien.fr' }]);

    // After a reload the page shows the choice; giving it back to nobody is one more choice.
    await page.reload();
    await page.getByRole('textbox', { name: 'Rechercher' }).fill(target.erp_code);
    await eventually(() => select.inputValue()).toBe('Marc Lemaire');
    await eventually(settled).toBe(true);
    await select.click();
    await page.getByRole('option', { name: 'Personne (tous les gardien·nes de l’agence)' }).click();
    await eventually(
      async () => (await ownerQuery<{ n: number }>('select count(*)::int as n from residences where id = $1 and caretaker_id is null', [target.id]))[0]?.n,
    ).toBe(1);
  });
});
