// A tenant of the demo landlord in the portal (issue 16): the code they received, and signing in
// with it on a phone.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { ownerQuery } from './browser.ts';

/** The code the tenant received: the development mailbox holds the full text (files named by message id). */
export async function codeSentTo(contact: string): Promise<string> {
  let code = '';
  await expect
    .poll(
      async () => {
        const [m] = await ownerQuery<{ id: string }>(
          `select id from messages where recipient = $1 and purpose = 'portal_code' order by created_at desc limit 1`,
          [contact],
        );
        if (!m) return '';
        const text = await readFile(path.join(inject('mailDir'), `${m.id}.txt`), 'utf8').catch(() => '');
        code = /code de connexion : (\d{6})/.exec(text)?.[1] ?? '';
        return code;
      },
      { timeout: 30_000 },
    )
    .toMatch(/^\d{6}$/);
  return code;
}

/** A phone signed in to the demo landlord's portal with `contact` (a mobile or an e-mail Lien knows), on « Mes demandes ». */
export async function tenantOnPhone(browser: Browser, contact: string): Promise<Page> {
  const phone = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  phone.setDefaultTimeout(15_000);
  const page = await phone.newPage();
  await page.goto(`${inject('baseUrl')}/locataire/demo`);
  await page.getByRole('heading', { name: 'Se connecter', level: 1 }).waitFor();
  await page.getByLabel('Votre numéro de mobile ou votre e-mail').fill(contact);
  await page.getByRole('button', { name: 'Recevoir un code' }).click();
  // Room for a busy machine; a refusal shows its French reason in the failure.
  await page
    .getByRole('heading', { name: 'Saisir le code reçu', level: 1 })
    .waitFor({ timeout: 45_000 })
    .catch(async (error) => {
      throw new Error(`no code page; the page shows: ${(await page.getByRole('main').textContent()) ?? ''}`, { cause: error });
    });
  await page.getByLabel('Code à 6 chiffres').fill(await codeSentTo(contact));
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Mes demandes', level: 1 }).waitFor();
  return page;
}
