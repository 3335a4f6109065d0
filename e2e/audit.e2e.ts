import { describe, expect, inject, it } from 'vitest';
import { eventually, expectAccessible, ownerQuery, pageForFile, signInDemo } from './browser.ts';

const ui = pageForFile();

describe('the org admin reads the audit journal (issue 11)', () => {
  it('shows French actions and a named household, filters by action, pages', async () => {
    const { page } = ui;
    await signInDemo(page, 'admin@demo.lien.fr');
    // 150 views of one demo household by the admin: more than one page of the journal.
    const [household] = await ownerQuery<{ id: string; erp_ref: string; name: string }>(
      `select h.id, h.erp_ref, p.first_name || ' ' || p.last_name as name
         from households h join organisations o on o.id = h.organisation_id join persons p on p.household_id = h.id and p.household_role = 'holder'
        where o.slug = 'demo' order by h.erp_ref limit 1`,
    );
    if (!household) throw new Error('the demo has no household');
    await ownerQuery(
      `insert into audit_events (organisation_id, actor_id, actor_role, action, object_type, object_id, ip, at)
         select u.organisation_id, u.id, 'org_admin', 'household.viewed', 'household', $1, '10.0.0.9', now() - make_interval(secs => i)
           from users u, generate_series(1, 150) i where u.email = 'admin@demo.lien.fr'`,
      [household.id],
    );

    await page.goto(`${inject('baseUrl')}/admin/journal`);
    await page.getByRole('heading', { name: 'Journal d’audit', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Journal d’audit' });
    const named = `${household.name} (${household.erp_ref})`;
    await eventually(() => table.getByRole('cell', { name: named, exact: true }).first().isVisible()).toBe(true);
    await expect(table.getByText(`a consulté la fiche du ménage ${named}`).first().isVisible()).resolves.toBe(true);
    // No raw action code anywhere in the table.
    expect(await table.textContent()).not.toMatch(/household\.viewed|auth\.signed_in|[{}]/);
    await expectAccessible(page);

    // Filter on one action, chosen by its French label.
    await page.getByRole('combobox', { name: 'Action', exact: true }).click();
    await page.getByRole('option', { name: 'Fiche ménage consultée' }).click();
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await eventually(() => page.getByText(/^Événements 1 à 100 sur \d+/).isVisible()).toBe(true);
    const actions = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(actions).toHaveLength(100);
    expect(new Set(actions)).toEqual(new Set(['Fiche ménage consultée']));
    const firstPage = await table.locator('tbody tr td:nth-child(1)').allTextContents();
    expect(firstPage[0]).toMatch(/^\d{1,2} [a-zéû]+\.? \d{4} à \d{2}:\d{2}$/);

    // The next page continues where the first stopped; the previous one comes back.
    await page.getByRole('button', { name: 'Page suivante' }).click();
    await eventually(() => page.getByText(/^Événements 101 à \d+ sur \d+/).isVisible()).toBe(true);
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Page précédente' }).click();
    await eventually(() => page.getByText(/^Événements 1 à 100 sur \d+/).isVisible()).toBe(true);

    // A tenant's action in the portal has no user: « Qui » says it was the tenant (issue 16), not « — ».
    await ownerQuery(
      `insert into audit_events (organisation_id, actor_id, actor_role, action, object_type, object_id, ip)
         select o.id, null, 'tenant', 'appointment.booked', 'household', $1, '10.0.0.7' from organisations o where o.slug = 'demo'`,
      [household.id],
    );
    await page.getByRole('combobox', { name: 'Action', exact: true }).click();
    await page.getByRole('option', { name: 'Rendez-vous pris par le ménage' }).click();
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await eventually(async () => (await table.locator('tbody tr td:nth-child(3)').allTextContents())[0]).toBe('Rendez-vous pris par le ménage');
    expect((await table.locator('tbody tr td:nth-child(2)').allTextContents())[0]).toBe('Locataire (espace locataire)');
  }, 180_000);
});
