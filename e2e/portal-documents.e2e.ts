// Issue 16, « Documents »: a staff member publishes an attestation and asks for a document from
// the household's page; the tenant, on a phone, downloads the first and sends the second from
// « Mes documents »; staff accept it. axe on the tenant's documents page and the staff page.
import { describe, expect, inject, it } from 'vitest';
import { eventually, expectAccessible, launchBrowser, ownerQuery, signInDemo } from './browser.ts';
import { tenantOnPhone } from './tenant.ts';

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n%%EOF\n`);

/** The browser tests run no antivirus daemon: record the verdict the scanning worker gives a clean file (the scan itself is proven in documents.int.test.ts). */
const scannedClean = async (fileName: string) => {
  const marked = await ownerQuery<{ id: string }>(
    `update files set scan_status = 'clean', scanned_at = now() where file_name = $1 and scan_status = 'pending' returning id`,
    [fileName],
  );
  expect(marked).toHaveLength(1);
};

describe('documents in the tenant portal (issue 16)', () => {
  it('staff publish and ask; the tenant downloads and sends on a phone; staff accept', async () => {
    const [tenant] = await ownerQuery<{ value: string; household_id: string }>(
      `select c.value, p.household_id from contact_points c
         join persons p on p.organisation_id = c.organisation_id and p.id = c.person_id
         join households h on h.organisation_id = p.organisation_id and h.id = p.household_id
         join organisations o on o.id = c.organisation_id
       where o.slug = 'demo' and c.kind = 'mobile' and c.ended_at is null and h.status = 'active' and h.left_at is null
       order by p.id desc limit 1`,
    );
    if (!tenant) throw new Error('no demo tenant with a mobile');
    const stamp = Date.now();
    const title = `Attestation de loyer ${stamp}`;
    const fileName = `attestation-${stamp}.pdf`;
    const asked = `Avis d’imposition ${stamp}`;
    const browser = await launchBrowser();
    try {
      const office = await browser.newContext({ locale: 'fr-FR' });
      office.setDefaultTimeout(15_000);
      const staff = await office.newPage();
      await signInDemo(staff, 'admin@demo.lien.fr');
      await staff.goto(`${inject('baseUrl')}/menages/${tenant.household_id}`);
      await staff.getByRole('link', { name: 'Espace locataire : documents' }).click();
      await staff.getByRole('heading', { name: 'Espace locataire : documents', level: 1 }).waitFor();
      await staff.getByRole('combobox', { name: 'Type', exact: true }).click();
      await staff.getByRole('option', { name: 'Attestation', exact: true }).click();
      await staff.getByRole('textbox', { name: 'Titre' }).fill(title);
      await staff.locator('input[type=file]').setInputFiles({ name: fileName, mimeType: 'application/pdf', buffer: pdf('attestation') });
      await staff.getByRole('button', { name: 'Mettre à disposition' }).click();
      await eventually(() => staff.getByRole('main').textContent()).toContain(title);
      await staff.getByLabel('Document à demander').fill(asked);
      await staff.getByLabel('Message au locataire (facultatif)').fill('Pour le supplément de loyer.');
      await staff.getByRole('button', { name: 'Demander ce document' }).click();
      await eventually(() => staff.getByRole('main').textContent()).toContain(asked);
      await expectAccessible(staff);
      await scannedClean(fileName);
      // The household is told of both (SMS to its holder's mobile, or e-mail).
      const [told] = await ownerQuery<{ n: number }>(
        `select count(*)::int as n from messages where purpose = 'portal_document' and idempotency_key in (
           (select 'portal-document:' || id from portal_documents where title = $1), (select 'portal-document-request:' || id from portal_document_requests where label = $2))`,
        [title, asked],
      );
      expect(told?.n).toBe(2);

      const page = await tenantOnPhone(browser, tenant.value);
      await page.getByRole('link', { name: 'Mes documents' }).click();
      await page.getByRole('heading', { name: 'Mes documents', level: 1 }).waitFor();
      expect(await page.title()).toBe('Mes documents — Espace locataire');
      await page.getByRole('heading', { name: 'Documents à télécharger', level: 2 }).waitFor();
      await eventually(() => page.getByRole('main').textContent()).toContain(title);
      await expectAccessible(page);
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: `Télécharger « ${title} » (${fileName})` }).click();
      expect((await download).suggestedFilename()).toBe(fileName);
      await eventually(
        async () =>
          (await ownerQuery<{ opened: boolean }>(`select first_opened_at is not null as opened from portal_documents where title = $1`, [title]))[0]?.opened,
      ).toBe(true);

      const card = page.getByRole('listitem').filter({ hasText: asked });
      await card
        .getByLabel('Envoyer ce document (photo ou PDF)')
        .setInputFiles({ name: `avis-${stamp}.pdf`, mimeType: 'application/pdf', buffer: pdf('avis') });
      await eventually(() => card.textContent()).toContain('Document envoyé');
      expect(await card.textContent()).toContain('Reçu');
      await expectAccessible(page);

      await scannedClean(`avis-${stamp}.pdf`);
      await staff.reload();
      await staff.getByRole('button', { name: `Accepter « ${asked} »` }).click();
      await eventually(
        async () => (await ownerQuery<{ status: string }>(`select status from portal_document_requests where label = $1`, [asked]))[0]?.status,
      ).toBe('accepted');
      await page.reload();
      await page.getByRole('heading', { name: 'Mes documents', level: 1 }).waitFor();
      await eventually(() => page.getByRole('listitem').filter({ hasText: asked }).textContent()).toContain('Accepté');
    } finally {
      await browser.close();
    }
  }, 240_000);
});
