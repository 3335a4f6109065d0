import { describe, expect, inject, it } from 'vitest';
import { eventually, expectAccessible, ownerQuery, pageForFile, signInDemo } from './browser.ts';

const ui = pageForFile();

describe('messaging (issue 15): template → dry run → send → outbox → household timeline', () => {
  it('the administrator writes an SMS template, simulates a send to one household, sends it, finds it in the outbox and on the household’s timeline', async () => {
    const { page } = ui;
    // A household of the demo whose holder has a mobile and no objection.
    const [household] = await ownerQuery<{ id: string; erp_ref: string; last_name: string }>(
      `select h.id, h.erp_ref, p.last_name
         from households h join organisations o on o.id = h.organisation_id
         join persons p on p.household_id = h.id and p.household_role = 'holder'
        where o.slug = 'demo' and h.status = 'active' and h.restricted_at is null
          and exists (select 1 from contact_points c where c.person_id = p.id and c.kind = 'mobile' and c.ended_at is null and c.value like '+336%')
          and not exists (select 1 from objections x where x.household_id = h.id)
        order by h.erp_ref limit 1`,
    );
    if (!household) throw new Error('the demo has no household with a mobile');
    await signInDemo(page, 'admin@demo.lien.fr');
    await page.getByRole('link', { name: 'Messages', exact: true }).click();
    await page.getByRole('heading', { name: 'Messages', level: 1 }).waitFor();

    // The template: the SMS counter follows the text as it is typed.
    await page.getByRole('button', { name: 'Nouveau modèle' }).click();
    await page.getByLabel('Nom du modèle').fill('Prise de nouvelles e2e');
    const text = page.getByLabel('Texte');
    await text.fill('Bonjour {civilite} {nom}, votre agence {agence} prend de vos nouvelles.');
    await eventually(() => page.getByTestId('sms-counter').textContent()).toMatch(/encodage GSM-7, 1 SMS facturé/);
    await text.fill(`Bonjour {civilite} {nom}, l’agence {agence} prend de vos nouvelles. ${'x'.repeat(60)}`);
    await eventually(() => page.getByTestId('sms-counter').textContent()).toMatch(/encodage UCS-2, 3 SMS facturés.*’/);
    await text.fill('Bonjour {civilite} {nom}, votre agence {agence} prend de vos nouvelles.');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Enregistrer le modèle' }).click();
    await page.getByRole('cell', { name: 'Prise de nouvelles e2e', exact: true }).waitFor();

    // The dry run to one household found by its reference.
    await page.getByRole('combobox', { name: 'Modèle', exact: true }).click();
    await page.getByRole('option', { name: 'Prise de nouvelles e2e' }).click();
    await page.getByRole('combobox', { name: 'Destinataires', exact: true }).click();
    await page.getByRole('option', { name: 'Un ménage' }).click();
    await page.getByRole('combobox', { name: 'Ménage', exact: true }).fill(household.erp_ref);
    await page.getByRole('option', { name: new RegExp(household.erp_ref) }).click();
    await page.getByRole('button', { name: 'Simuler l’envoi' }).click();
    await page.getByRole('heading', { name: 'Envoi de messages', level: 1 }).waitFor();
    const plan = page.getByTestId('dry-run');
    await eventually(() => plan.textContent()).toContain('SMS1 destinataire');
    expect(await plan.textContent()).toContain('E-mail0 destinataire');
    await expectAccessible(page);
    const [draft] = await ownerQuery<{ n: number }>(`select count(*)::int as n from messages where household_id = $1`, [household.id]);
    expect(draft?.n).toBe(0);

    // Send: prepared by the job, delivered by the outbox (local adapter), the report follows.
    await page.getByRole('button', { name: 'Confirmer l’envoi' }).click();
    await eventually(() => page.getByTestId('send-status').textContent()).toBe('En cours d’envoi');
    await eventually(() => page.getByTestId('send-report').textContent()).toContain('Distribués1');
    const [sent] = await ownerQuery<{ body: string; recipient: string }>(`select body, recipient from messages where household_id = $1`, [household.id]);
    expect(sent?.body).toMatch(
      new RegExp(`^Bonjour (Madame|Monsieur|Madame, Monsieur) ${household.last_name}, votre agence .+ prend de vos nouvelles\\.\\nRépondez STOP`),
    );

    // The outbox page lists it.
    await page.getByRole('link', { name: 'Voir la boîte d’envoi' }).click();
    await page.getByRole('heading', { name: 'Boîte d’envoi', level: 1 }).waitFor();
    await page
      .getByRole('listitem')
      .filter({ hasText: `SMS à ${sent?.recipient}` })
      .filter({ hasText: 'prend de vos nouvelles' })
      .first()
      .waitFor();

    // And the household's timeline.
    await page.goto(`${inject('baseUrl')}/menages/${household.id}`);
    await eventually(() => page.getByText(/SMS déposé dans la boîte locale : « Bonjour/).count()).toBe(1);
  });
});
