import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '../server/platform/auth/password.ts';
import { currentTotp, newTotpSecret } from '../server/platform/auth/totp.ts';
import { expectAccessible, launchBrowser, ownerQuery } from './browser.ts';

/*
 * Issue 9, finding 14: one address with an account in two organisations and the same password
 * in both. The sign-in page asks « Choisissez votre organisme », then signs into the chosen one.
 */

let browser: Browser;
const base = () => inject('baseUrl');
const email = `partenaire.${randomBytes(4).toString('hex')}@ccas.test.fr`;
const password = 'une phrase de passe pour deux bailleurs';
const secrets = new Map<string, string>();
let first: { id: string; name: string };
let second: { id: string; name: string };

beforeAll(async () => {
  browser = await launchBrowser();
  const hash = await hashPassword(password);
  const suffix = randomBytes(3).toString('hex');
  const orgs = [];
  for (const name of [`Habitat Essai ${suffix}`, `Office Essai ${suffix}`]) {
    const [org] = await ownerQuery<{ id: string; name: string }>(
      `insert into organisations (id, slug, name, kind) values (lien_uuid_v7(), $1, $2, 'landlord') returning id, name`,
      [`essai-${randomBytes(4).toString('hex')}`, name],
    );
    const secret = newTotpSecret();
    await ownerQuery(
      `insert into users (organisation_id, email, first_name, last_name, role, status, password_hash, totp_secret, totp_enabled)
       values ($1, $2, 'Inès', 'Diallo', 'partner', 'active', $3, $4, true)`,
      [org?.id, email, hash, secret],
    );
    secrets.set(org?.id as string, secret);
    orgs.push(org as { id: string; name: string });
  }
  [first, second] = orgs as [{ id: string; name: string }, { id: string; name: string }];
});
afterAll(async () => {
  await browser?.close();
});

describe('signing in with an address that has an account in two organisations', () => {
  it('asks « Choisissez votre organisme », lists both, and signs into the chosen one', { timeout: 180_000 }, async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await page.goto(`${base()}/connexion`, { timeout: 90_000 });
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel(/^Mot de passe/).fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    const choice = page.getByRole('radiogroup', { name: /Choisissez votre organisme/ });
    await choice.waitFor();
    expect(await choice.getByRole('radio').count()).toBe(2);
    expect(await choice.textContent()).toContain(first.name);
    expect(await choice.textContent()).toContain(second.name);
    await expectAccessible(page);
    // Continuing without a choice is refused in French.
    await page.getByRole('button', { name: 'Continuer' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Choisissez votre organisme');
    await choice.getByLabel(second.name).check();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.waitForURL('**/connexion/code');
    await page.getByLabel('Code').fill(currentTotp(secrets.get(second.id) as string));
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL(`${base()}/`);
    const me = (await (await page.request.get(`${base()}/api/auth/me`)).json()) as { organisation: { id: string } };
    expect(me.organisation.id).toBe(second.id);
    await context.close();
  });
});
