// The agency calendar (issue 16): a manager opens a slot on /rendez-vous, a tenant books a seat
// through the appointments service (the portal's sign-in is another part of the issue), the
// calendar shows the booking with the household and the reason, the manager marks the household
// « absent » on the day and prints the day's list (PDF).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../server/config.ts';
import { bookAppointment } from '../server/modules/appointments/index.ts';
import { openDatabase } from '../server/platform/db/database.ts';
import { createJobs } from '../server/platform/jobs/jobs.ts';
import { createLogger } from '../server/platform/logger.ts';
import { eventually, expectAccessible, launchBrowser, ownerQuery, signInDemo } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const parisDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
const addDays = (day: string, n: number) => {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const mondayOf = (day: string) => addDays(day, -((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7));
const french = (day: string) => day.split('-').reverse().join('/');

describe('the agency calendar', () => {
  it('opens a slot, shows a booking made through the service, marks the household absent, prints the day', { timeout: 300_000 }, async () => {
    // A demo household with a person, and its agency.
    const [household] = await ownerQuery<{ organisation_id: string; id: string; erp_ref: string; person_id: string; agency_id: string; agency: string }>(
      `select h.organisation_id, h.id, h.erp_ref, p.id as person_id, r.agency_id, a.name as agency
       from households h join housing_units u on u.id = h.unit_id join residences r on r.id = u.residence_id join agencies a on a.id = r.agency_id
       join persons p on p.household_id = h.id join organisations o on o.id = h.organisation_id
       where o.is_demo and h.status = 'active' and h.restricted_at is null order by h.erp_ref limit 1`,
    );
    expect(household).toBeDefined();
    const hh = household as NonNullable<typeof household>;
    const day = addDays(parisDay.format(new Date()), 2);
    const weeksAhead = Math.round((Date.parse(mondayOf(day)) - Date.parse(mondayOf(parisDay.format(new Date())))) / (7 * 86_400_000));

    const context = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
    context.setDefaultTimeout(40_000);
    const page = await context.newPage();
    await signInDemo(page, 'responsable@demo.lien.fr');
    await page.getByRole('link', { name: 'Rendez-vous', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Rendez-vous à l’agence' }).waitFor();
    await page.getByRole('combobox', { name: 'Agence' }).click();
    await page.getByRole('option', { name: hh.agency, exact: true }).click();

    // Open a slot of 2 seats, two days ahead.
    await page.getByLabel(/^Le( \*)?$/).fill(day);
    await page.getByLabel(/^De( \*)?$/).fill('10:00');
    await page.getByLabel(/^À( \*)?$/).fill('10:30');
    await page.getByRole('textbox', { name: 'Places' }).fill('2');
    await page.getByLabel('Adresse d’accueil').fill('3 place de la Mairie, 94400 Vitry-sur-Seine');
    await page.getByRole('button', { name: 'Ouvrir', exact: true }).click();
    await page.getByText('1 créneau ouvert.').first().waitFor();
    const [slot] = await ownerQuery<{ id: string }>(
      `select id from appointment_slots where agency_id = $1 and address = '3 place de la Mairie, 94400 Vitry-sur-Seine' order by created_at desc limit 1`,
      [hh.agency_id],
    );
    expect(slot).toBeDefined();

    // A tenant of that agency books a seat through the service.
    const ownerUrl = inject('e2eOwnerUrl');
    const database = openDatabase(ownerUrl, 2);
    const jobs = createJobs(ownerUrl, database, createLogger('silent'));
    await jobs.start();
    try {
      const config = loadConfig({ DATABASE_URL: ownerUrl, LOG_LEVEL: 'silent' });
      await bookAppointment(
        { config, database, jobs },
        { organisationId: hh.organisation_id, householdId: hh.id, personId: hh.person_id },
        { slotId: (slot as { id: string }).id, reason: 'documents' },
      );
    } finally {
      await jobs.stop();
      await database.close();
    }

    const openCalendar = async () => {
      await page.goto(`${inject('baseUrl')}/rendez-vous`);
      await page.getByRole('combobox', { name: 'Agence' }).click();
      await page.getByRole('option', { name: hh.agency, exact: true }).click();
    };
    await openCalendar();
    for (let i = 0; i < weeksAhead; i++) await page.getByRole('button', { name: 'Semaine suivante' }).click();
    await page.getByText(`(${hh.erp_ref})`).first().waitFor();
    await page.getByText('1 / 2 places').first().waitFor();
    await page.getByRole('cell', { name: 'Attestation ou document' }).first().waitFor();
    await expectAccessible(page);

    // The day comes: the slot starts now; the household did not come.
    await ownerQuery(`update appointment_slots set starts_at = now() + interval '1 minute', ends_at = now() + interval '31 minutes' where id = $1`, [
      (slot as { id: string }).id,
    ]);
    await openCalendar();
    const row = page.getByRole('row').filter({ hasText: `(${hh.erp_ref})` });
    await row.getByRole('button', { name: /^Absent/ }).click();
    await eventually(async () => (await row.getByRole('cell', { name: 'Absent', exact: true }).count()) > 0).toBe(true);
    expect(
      (
        await ownerQuery<{ status: string }>(`select status from appointment_bookings where slot_id = $1 and household_id = $2`, [
          (slot as { id: string }).id,
          hh.id,
        ])
      )[0]?.status,
    ).toBe('no_show');

    // The day's list to print.
    const today = parisDay.format(new Date());
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: `Imprimer la liste du ${french(today)} (PDF)` }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`rendez-vous-${today}.pdf`);
    const path = await file.path();
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(path)).subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();
  });
});
