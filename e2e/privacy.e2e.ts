import { readFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/modules/demo/index.ts';
import { downloadAfterReauthentication, eventually, expectAccessible, ownerQuery, pageForFile, signInDemo, typeDemoCode } from './browser.ts';

const ui = pageForFile();

describe('the org admin answers a right-of-access request (TRUST DP-06)', () => {
  it('records the request for a person found by the search, sees its deadline, downloads the PDF and marks it answered', async () => {
    const { page } = ui;
    const [person] = await ownerQuery<{ id: string; erp_ref: string; first_name: string; last_name: string }>(
      `select p.id, h.erp_ref, p.first_name, p.last_name
         from persons p join households h on h.id = p.household_id join organisations o on o.id = h.organisation_id
        where o.slug = 'demo' and p.household_role = 'holder' order by h.erp_ref desc limit 1`,
    );
    if (!person) throw new Error('the demo has no household');
    const name = `${person.first_name} ${person.last_name}`;
    await signInDemo(page, 'admin@demo.lien.fr');
    await page.getByRole('link', { name: 'Protection des données' }).click();
    await page.getByRole('heading', { name: 'Protection des données', level: 1 }).waitFor();

    await page.getByLabel('Ménage de la personne').fill(person.erp_ref);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('button', { name: `Choisir le ménage ${person.erp_ref}` }).click();
    await page.getByRole('radio', { name: new RegExp(`${person.first_name} ${person.last_name}$`) }).check();
    await page.getByRole('button', { name: 'Enregistrer la demande' }).click();

    const card = page.getByRole('listitem', { name: `Demande de ${name}` }).first();
    await card.waitFor();
    await expect(card.textContent()).resolves.toMatch(/échéance le \d{1,2}(er)? \p{L}+ \d{4}, dans \d+ jours/u);
    const [recorded] = await ownerQuery<{ n: number }>(`select count(*)::int as n from subject_requests where person_id = $1 and status = 'open'`, [person.id]);
    expect(recorded?.n).toBe(1);
    await expectAccessible(page);

    // Signed in more than 5 minutes ago: the password and the code first, then the file arrives.
    const downloaded = await downloadAfterReauthentication(page, 'admin@demo.lien.fr', card.getByRole('button', { name: 'Télécharger en PDF' }));
    expect(downloaded.suggestedFilename()).toMatch(/^donnees-.*\.pdf$/);
    const file = await downloaded.path();
    const pdf = await readFile(file);
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    expect(pdf.length).toBeGreaterThan(0);
    await eventually(
      async () => (await ownerQuery(`select 1 from audit_events where action = 'privacy.exported' and object_id = $1`, [person.id])).length,
    ).toBe(1);

    await card.getByRole('button', { name: 'Marquer comme répondue' }).click();
    await eventually(() => card.getByText('Répondue', { exact: true }).isVisible()).toBe(true);
  });

  it('records an erasure request, previews what will be deleted, restricted and kept, executes it and downloads the French letter (DP-07)', async () => {
    const { page } = ui;
    // Another household than the access request's (the last one): the second last.
    const [person] = await ownerQuery<{ id: string; household_id: string; erp_ref: string; first_name: string; last_name: string }>(
      `select p.id, p.household_id, h.erp_ref, p.first_name, p.last_name
         from persons p join households h on h.id = p.household_id join organisations o on o.id = h.organisation_id
        where o.slug = 'demo' and p.household_role = 'holder' order by h.erp_ref desc offset 1 limit 1`,
    );
    if (!person) throw new Error('the demo has no second household');
    const name = `${person.first_name} ${person.last_name}`;
    await page.getByRole('link', { name: 'Protection des données' }).click();
    await page.getByRole('heading', { name: 'Protection des données', level: 1 }).waitFor();
    await page.getByLabel('Ménage de la personne').fill(person.erp_ref);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('button', { name: `Choisir le ménage ${person.erp_ref}` }).click();
    await page.getByRole('radio', { name: new RegExp(`${person.first_name} ${person.last_name}$`) }).check();
    await page.getByRole('radio', { name: /^Effacement/ }).check();
    await page.getByRole('button', { name: 'Enregistrer la demande' }).click();

    const card = page.getByRole('listitem', { name: `Demande de ${name}` }).first();
    await card.waitFor();
    await eventually(() => card.textContent()).toMatch(/Effacement reçue le/);
    await card.getByRole('button', { name: 'Voir l’aperçu' }).click();
    const preview = card.getByRole('table', { name: 'Aperçu' });
    await preview.waitFor();
    await expect(preview.textContent()).resolves.toContain('Conservées, accès limité');
    await expectAccessible(page);
    // The preview changes nothing.
    const [before] = await ownerQuery<{ restricted_at: Date | null }>('select restricted_at from households where id = $1', [person.household_id]);
    expect(before?.restricted_at).toBeNull();

    await card.getByRole('button', { name: 'Exécuter l’effacement' }).click();
    // Signed in more than 5 minutes ago: the password and the code first, then the execution; nothing is done before.
    await ownerQuery(
      `update sessions set authenticated_at = now() - interval '10 minutes' where ended_at is null and user_id = (select id from users where email = 'admin@demo.lien.fr')`,
    );
    await card.getByRole('button', { name: 'Confirmer et exécuter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirmez votre identité' });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain('efface définitivement');
    const [notYet] = await ownerQuery<{ executed_at: Date | null }>(`select executed_at from subject_requests where person_id = $1 and kind = 'erasure'`, [
      person.id,
    ]);
    expect(notYet?.executed_at).toBeNull();
    await dialog.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
    await typeDemoCode(dialog, dialog.getByLabel(/^Code de l’application/));
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    await card.getByRole('table', { name: 'Résultat' }).waitFor();
    await eventually(() => card.getByText('Répondue', { exact: true }).isVisible()).toBe(true);
    await eventually(
      async () =>
        (await ownerQuery<{ restricted_at: Date | null }>('select restricted_at from households where id = $1', [person.household_id]))[0]?.restricted_at !==
        null,
    ).toBe(true);
    await eventually(
      async () => (await ownerQuery(`select 1 from audit_events where action = 'privacy.erasure_executed' and object_id = $1`, [person.id])).length,
    ).toBe(1);

    const download = page.waitForEvent('download');
    await card.getByRole('button', { name: 'Télécharger la lettre de réponse (PDF)' }).click();
    const letter = await download;
    expect(letter.suggestedFilename()).toMatch(/^reponse-effacement-.*\.pdf$/);
    expect((await readFile(await letter.path())).subarray(0, 4).toString()).toBe('%PDF');
  });

  it('refuses an objection with its reason (required), shown on the request; nothing is carried out (DP-07)', async () => {
    const { page } = ui;
    // A third household: the third last.
    const [person] = await ownerQuery<{ id: string; household_id: string; erp_ref: string; first_name: string; last_name: string }>(
      `select p.id, p.household_id, h.erp_ref, p.first_name, p.last_name
         from persons p join households h on h.id = p.household_id join organisations o on o.id = h.organisation_id
        where o.slug = 'demo' and p.household_role = 'holder' order by h.erp_ref desc offset 2 limit 1`,
    );
    if (!person) throw new Error('the demo has no third household');
    await page.getByRole('link', { name: 'Protection des données' }).click();
    await page.getByRole('heading', { name: 'Protection des données', level: 1 }).waitFor();
    await page.getByLabel('Ménage de la personne').fill(person.erp_ref);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('button', { name: `Choisir le ménage ${person.erp_ref}` }).click();
    await page.getByRole('radio', { name: new RegExp(`${person.first_name} ${person.last_name}$`) }).check();
    await page.getByRole('radio', { name: /^Opposition/ }).check();
    await page.getByRole('checkbox', { name: /Campagnes d’appels/ }).check();
    await page.getByRole('button', { name: 'Enregistrer la demande' }).click();

    const card = page.getByRole('listitem', { name: `Demande de ${person.first_name} ${person.last_name}` }).first();
    await card.waitFor();
    await eventually(() => card.textContent()).toMatch(/Opposition reçue le/);
    await card.getByRole('button', { name: 'Refuser la demande' }).click();
    // Without a reason: a French message, nothing sent.
    await card.getByRole('button', { name: 'Confirmer le refus' }).click();
    await eventually(() => card.textContent()).toContain('Indiquez le motif du refus');
    const [open] = await ownerQuery<{ status: string }>(`select status from subject_requests where person_id = $1 and kind = 'objection'`, [person.id]);
    expect(open?.status).toBe('open');
    await expectAccessible(page);

    const reason = 'Demande manifestement excessive : la même opposition a été exécutée le mois dernier.';
    await card.getByLabel(/^Motif du refus/).fill(reason);
    await card.getByRole('button', { name: 'Confirmer le refus' }).click();
    await eventually(() => card.getByText('Refusée', { exact: true }).isVisible()).toBe(true);
    await eventually(() => card.textContent()).toContain(reason);
    const [refused] = await ownerQuery<{ status: string; refusal_reason: string; executed_at: Date | null }>(
      `select status, refusal_reason, executed_at from subject_requests where person_id = $1 and kind = 'objection'`,
      [person.id],
    );
    expect(refused).toEqual({ status: 'answered', refusal_reason: reason, executed_at: null });
    expect(await card.getByRole('button', { name: 'Exécuter l’opposition' }).count()).toBe(0);
  });
});

describe('the DPO lists the households an account read, and reads the processing register (TRUST DP-15, DP-12)', () => {
  // Two fresh authenticator codes (the sign-in, then the download's confirmation) right after the
  // tests above used theirs: each may wait up to a 30-second window (measured: 26 and 25 s).
  it('shows the households the account read in the window with their categories of data, downloads the CSV, and opens the register', async () => {
    const { page } = ui;
    const [household] = await ownerQuery<{ id: string; erp_ref: string }>(
      `select h.id, h.erp_ref from households h join organisations o on o.id = h.organisation_id where o.slug = 'demo' order by h.erp_ref limit 1`,
    );
    const [admin] = await ownerQuery<{ first_name: string; last_name: string }>(`select first_name, last_name from users where email = 'admin@demo.lien.fr'`);
    if (!household || !admin) throw new Error('the demo has no household or no admin');
    await signInDemo(page, 'admin@demo.lien.fr');
    // The account reads a household's file: the read is in the audit trail.
    await page.goto(`${inject('baseUrl')}/menages/${household.id}`);
    await page.getByRole('heading', { name: /^Ménage /, level: 1 }).waitFor();
    await eventually(
      async () => (await ownerQuery(`select 1 from audit_events where action = 'household.viewed' and object_id = $1`, [household.id])).length > 0,
    ).toBe(true);
    await page.getByRole('link', { name: 'Protection des données' }).click();
    const section = page.getByRole('region', { name: 'Violation de données : ménages consultés par un compte' });
    // Chosen with the keyboard: the page's sections below load meanwhile and move the dropdown, which a click can miss.
    const account = section.getByRole('combobox', { name: 'Utilisateur·rice' });
    await account.fill(`${admin.first_name} ${admin.last_name}`);
    await page.getByRole('option', { name: new RegExp(`^${admin.first_name} ${admin.last_name} — Administrateur`) }).waitFor({ state: 'attached' });
    await account.press('ArrowDown');
    await account.press('Enter');
    await eventually(() => account.inputValue()).toMatch(new RegExp(`^${admin.first_name} ${admin.last_name} — Administrateur`));
    await section.getByRole('button', { name: 'Afficher les ménages consultés' }).click();
    const table = section.getByRole('table', { name: 'Ménages consultés' });
    await table.waitFor();
    await expect(
      table
        .getByRole('row', { name: new RegExp(`\\(${household.erp_ref}\\)`) })
        .first()
        .textContent(),
    ).resolves.toContain('Fiche ménage consultée');
    await expectAccessible(page);

    const downloaded = await downloadAfterReauthentication(page, 'admin@demo.lien.fr', section.getByRole('button', { name: 'Télécharger en CSV' }));
    expect(downloaded.suggestedFilename()).toMatch(/^acces-.*\.csv$/);
    expect(await readFile(await downloaded.path(), 'utf8')).toContain(`(${household.erp_ref})`);
    await eventually(
      async () => (await ownerQuery(`select 1 from audit_events where action = 'breach.exported' and details->>'format' = 'csv'`)).length > 0,
    ).toBe(true);

    const register = page.getByRole('region', { name: 'Registre des traitements' });
    await register.getByRole('button', { name: /Registre des fragilités et accompagnement/ }).click();
    await register.getByRole('table', { name: 'Données de la finalité Registre des fragilités et accompagnement' }).waitFor();
    await expect(register.getByText('Indicateurs de fragilité d’un ménage', { exact: false }).first().isVisible()).resolves.toBe(true);

    // The notes review queue is on the same page, with as many notes as wait in the database.
    const [pending] = await ownerQuery<{ n: number }>(
      `select count(*)::int as n from call_attempts a join organisations o on o.id = a.organisation_id where o.slug = 'demo' and a.note_review = 'pending'`,
    );
    const notes = page.getByRole('region', { name: 'Notes d’appel à relire' });
    await eventually(() => notes.getByTestId('notes-to-review').textContent()).toBe(
      pending?.n ? `${pending.n} ${pending.n === 1 ? 'note' : 'notes'} à relire` : 'Aucune note à relire',
    );
    await notes.getByRole('link', { name: 'Ouvrir les notes à relire' }).click();
    await page.getByRole('heading', { name: 'Notes à relire', level: 1 }).waitFor();
  }, 120_000);
});
