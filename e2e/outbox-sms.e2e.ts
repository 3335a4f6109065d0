import { describe, expect, it } from 'vitest';
import { eventually, expectAccessible, ownerQuery, pageForFile, signInDemo } from './browser.ts';

const ui = pageForFile();

describe('the org admin sees where each SMS stands in the outbox (issue 15, TRUST FT-06)', () => {
  it('shows « Retardé » with the time of the next try for an SMS the provider could not take, and the provider’s later states', async () => {
    const { page } = ui;
    await signInDemo(page, 'admin@demo.lien.fr');
    const insert = (status: string, body: string, extra = '') =>
      ownerQuery(
        `insert into messages (organisation_id, channel, recipient, body, purpose, idempotency_key, status, adapter, attempts, last_error, next_attempt_at)
         select o.id, 'sms', '+33612345678', $1, 'campaign', $2, $3, 'brevo', 1, ${extra ? `'${extra}'` : 'null'},
                ${status === 'delayed' ? `now() + interval '3 minutes'` : 'null'}
           from organisations o where o.slug = 'demo'`,
        [body, `e2e-outbox-${status}-${Date.now()}`, status],
      );
    await insert('delivered', 'SMS distribué');
    await insert('opted_out', 'SMS après un STOP', 'Ce numéro a répondu STOP : aucun SMS ne lui est plus envoyé.');
    await insert('delayed', 'SMS en attente du fournisseur', 'Brevo indisponible (HTTP 503) : SMS retardé, nouvel essai plus tard.');

    await page.getByRole('link', { name: "Boîte d'envoi" }).click();
    await page.getByRole('heading', { name: 'Boîte d’envoi', level: 1 }).waitFor();
    const card = (text: string) => page.getByRole('listitem').filter({ hasText: text });
    await eventually(() => card('SMS en attente du fournisseur').isVisible()).toBe(true);
    expect(await card('SMS en attente du fournisseur').textContent()).toMatch(
      /Retardé.*nouvel essai automatique vers \d{2}:\d{2}\. Le message n’est pas perdu\./s,
    );
    expect(await card('SMS distribué').textContent()).toContain('Distribué');
    expect(await card('SMS après un STOP').textContent()).toContain('Non envoyé (STOP)');
    await expectAccessible(page);
  }, 120_000);
});
