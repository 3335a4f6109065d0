import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectAccessible, pageForFile, signInDemo } from './browser.ts';

const ui = pageForFile();

describe('ERP import in a real browser', () => {
  it('upload → mapping → dry run with a rejected line → import of the valid lines', async () => {
    const { page } = ui;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-e2e-import-'));
    const file = path.join(dir, 'export-erp.csv');
    const rows = [
      'Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;Nom;Prénom;Date de naissance;Tél portable;Solde',
      'E2E1;Les Peupliers;4 rue Victor Hugo;94400;Vitry-sur-Seine;E2E-L1;E2E-B1;Lefèvre;Hélène;03/04/1941;06 12 34 56 78;-120,50',
      'E2E1;Les Peupliers;4 rue Victor Hugo;94400;Vitry-sur-Seine;E2E-L2;E2E-B2;Martin;René;12/11/1939;07 98 76;0,00',
      'E2E1;Les Peupliers;4 rue Victor Hugo;94400;Vitry-sur-Seine;E2E-L3;E2E-B3;Petit;Jeanne;31/02/1950;06 00 00 00 01;0,00',
    ];
    await writeFile(file, Buffer.from(`${rows.join('\r\n')}\r\n`, 'latin1'));

    await signInDemo(page, 'responsable@demo.lien.fr');
    await page.getByRole('link', { name: 'Import ERP' }).click();
    await page.waitForURL('**/registre/import');
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await page.waitForURL(/\/registre\/import\/[0-9a-f-]{36}$/);

    await expect.poll(() => page.getByRole('table', { name: 'Correspondance des colonnes' }).isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await page.getByText('windows-1252').isVisible()).toBe(true);
    expect(await page.getByLabel('Champ pour la colonne N° bail').first().inputValue()).toBe('Référence bail');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Vérifier le fichier (simulation)' }).click();

    await expect.poll(() => page.getByRole('heading', { name: '2. Simulation' }).isVisible(), { timeout: 20_000 }).toBe(true);
    const rejected = page.getByRole('table', { name: 'Lignes rejetées' });
    await expect.poll(() => rejected.textContent()).toContain("cette date n'existe pas");
    expect(await rejected.textContent()).toContain('Date de naissance');
    // A phone cut short does not reject René: the value is set aside, shown apart (issue 12).
    expect(await page.getByRole('table', { name: 'Valeurs ignorées' }).textContent()).toContain('numéro de téléphone invalide : valeur ignorée');
    expect(await page.getByRole('button', { name: 'Importer tout' }).isDisabled()).toBe(true);
    expect(await page.getByRole('link', { name: 'Télécharger les lignes rejetées (CSV)' }).getAttribute('href')).toMatch(/rejected\.csv$/);
    await page.getByRole('button', { name: 'Importer seulement les lignes valides' }).click();

    await expect.poll(() => page.getByText('Le registre est à jour.').isVisible(), { timeout: 20_000 }).toBe(true);
    const created = await page.locator('text=ménages créés').locator('..').textContent();
    expect(created).toContain('2');
    // The import survives a reload: its page shows the result.
    await page.reload();
    await expect.poll(() => page.getByText('Le registre est à jour.').isVisible(), { timeout: 10_000 }).toBe(true);

    // The same two households a month later, both balances changed: every household of the file
    // already in the registry changes, so importing waits for an explicit confirmation.
    const next = path.join(dir, 'export-erp-2.csv');
    await writeFile(next, Buffer.from(`${[rows[0], rows[1]?.replace('-120,50', '-99,00'), rows[2]?.replace(';0,00', ';15,00')].join('\r\n')}\r\n`, 'latin1'));
    await page.getByRole('link', { name: '← Imports' }).click();
    await page.waitForURL('**/registre/import');
    await page.locator('input[type=file]').setInputFiles(next);
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await page.waitForURL(/\/registre\/import\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole('button', { name: 'Vérifier le fichier (simulation)' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await page.getByRole('button', { name: 'Vérifier le fichier (simulation)' }).click();
    await expect.poll(() => page.getByText('Changement important', { exact: true }).isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await page.getByText('Le fichier (lignes valides) : 2 ménages').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Importer tout' }).isDisabled()).toBe(true);
    await page.getByLabel('Je confirme ce changement important').check();
    await page.getByRole('button', { name: 'Importer tout' }).click();
    await expect.poll(() => page.getByText('Le registre est à jour.').isVisible(), { timeout: 20_000 }).toBe(true);
  }, 120_000);
});
