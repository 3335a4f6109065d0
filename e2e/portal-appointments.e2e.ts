// Issue 16: two tenants race for the last seat of a slot at their agency, each on a phone: one
// wins, the other reads « plus de place » and is offered the waiting list, which they join.
import { describe, expect, it } from 'vitest';
import { frenchTimeOf } from '../web/portal-appointments/format.ts';
import { eventually, expectAccessible, launchBrowser, ownerQuery } from './browser.ts';
import { tenantOnPhone } from './tenant.ts';

describe('agency appointments in the tenant portal (issue 16)', () => {
  it('two tenants race for the last seat: one booking, the other told « plus de place » and put on the waiting list', async () => {
    // Two households of the demo landlord in one agency, each with a mobile.
    const tenants = await ownerQuery<{ value: string; household_id: string; agency_id: string }>(
      `select distinct on (h.id) c.value, h.id as household_id, h.agency_id from contact_points c
         join persons p on p.organisation_id = c.organisation_id and p.id = c.person_id
         join households h on h.organisation_id = p.organisation_id and h.id = p.household_id
         join organisations o on o.id = c.organisation_id
       where o.slug = 'demo' and c.kind = 'mobile' and c.ended_at is null and h.status = 'active' and h.left_at is null and h.agency_id is not null
       order by h.id, p.id`,
    );
    const agency = tenants.find((t) => tenants.filter((u) => u.agency_id === t.agency_id).length >= 2)?.agency_id;
    const [a, b] = tenants.filter((t) => t.agency_id === agency).slice(-2);
    if (!a || !b) throw new Error('no two demo tenants with a mobile in one agency');
    // A slot of one seat in five days, at a minute no other slot uses.
    const [slot] = await ownerQuery<{ id: string; starts_at: Date }>(
      `insert into appointment_slots (organisation_id, agency_id, starts_at, ends_at, capacity, reasons, address)
       select organisation_id, id, date_trunc('day', now()) + interval '5 days 6 hours 17 minutes', date_trunc('day', now()) + interval '5 days 6 hours 47 minutes',
         1, '{documents}', '3 place de la Mairie' from agencies where id = $1
       returning id, starts_at`,
      [agency],
    );
    if (!slot) throw new Error('no slot');
    const browser = await launchBrowser();
    try {
      const pages = [await tenantOnPhone(browser, a.value), await tenantOnPhone(browser, b.value)];
      const book = `Réserver ${frenchTimeOf(slot.starts_at.toISOString())}`;
      for (const page of pages) {
        await page.getByRole('link', { name: 'Rendez-vous à l’agence' }).click();
        await page.getByRole('heading', { name: 'Rendez-vous à l’agence', level: 1 }).waitFor();
        await page.getByRole('button', { name: book }).waitFor();
      }
      await expectAccessible(pages[0] as (typeof pages)[number]);
      // Both press « Réserver » at once.
      await Promise.all(pages.map((page) => page.getByRole('button', { name: book }).click()));
      const said = async () => Promise.all(pages.map(async (page) => (await page.locator('[aria-live="polite"]').textContent()) ?? ''));
      await eventually(async () => (await said()).filter((t) => t !== '').length).toBe(2);
      const texts = await said();
      expect(texts.filter((t) => t.includes('Rendez-vous confirmé'))).toHaveLength(1);
      const loser = pages[texts.findIndex((t) => t.includes('plus de place'))];
      if (!loser) throw new Error(`no « plus de place »: ${texts.join(' | ')}`);
      await loser.getByRole('button', { name: 'M’inscrire sur la liste d’attente' }).click();
      await eventually(async () => (await loser.getByRole('status').textContent()) ?? '').toContain('Vous êtes sur la liste d’attente');
      await expectAccessible(loser);

      const [seats] = await ownerQuery<{ booked: number; waiting: number }>(
        `select (select count(*)::int from appointment_bookings where slot_id = $1 and status = 'booked') as booked,
                (select count(*)::int from appointment_waitlist where slot_id = $1 and status = 'waiting') as waiting`,
        [slot.id],
      );
      expect(seats).toEqual({ booked: 1, waiting: 1 });
    } finally {
      await browser.close();
    }
  });
});
