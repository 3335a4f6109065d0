// Issue 18, « Tableaux de bord »: the manager opens the dashboards of the demo landlord, sees the
// period's households reached as a chart with the same figures in a table (matching the
// database), compares with the households of 70 and over living alone, and downloads a table as
// CSV and the PDF report.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, launchBrowser, ownerQuery, signInDemo } from './browser.ts';

const base = () => inject('baseUrl');
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  context.setDefaultTimeout(30_000);
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

describe('dashboards', () => {
  it('the manager sees the period’s figures as charts and tables, compares a segment and downloads them', async () => {
    await signInDemo(page, 'responsable@demo.lien.fr');
    await page.getByRole('link', { name: 'Tableaux de bord' }).click();
    await page.waitForURL(`${base()}/tableaux-de-bord`);
    await page.getByRole('heading', { level: 1, name: 'Tableaux de bord' }).waitFor();
    // June 2026 in the demo: three calls to three households of its queue, two answered.
    const span = { from: '2026-06-01', to: '2026-06-30' };
    await ownerQuery(
      `insert into call_attempts (organisation_id, campaign_id, target_id, household_id, caller_id, outcome, slot, claimed_at, recorded_at)
       select t.organisation_id, t.campaign_id, t.id, t.household_id, (select id from users where email = 'responsable@demo.lien.fr'),
         (array['reached', 'reached', 'no_answer'])[n], 'morning', d, d
       from (select t.*, row_number() over (order by t.id) as n from campaign_targets t join organisations o on o.id = t.organisation_id where o.is_demo) t
       cross join lateral (select ('2026-06-0' || (1 + t.n * 2))::date + time '10:00' as d) x
       where t.n <= 3`,
    );
    const [expected] = await ownerQuery<{ called: number; reached: number; attempts: number }>(
      `select count(distinct a.household_id)::int as called, count(distinct a.household_id) filter (where a.outcome = 'reached')::int as reached, count(*)::int as attempts
       from call_attempts a join organisations o on o.id = a.organisation_id
       where o.is_demo and a.recorded_at >= '2026-06-01' and a.recorded_at < '2026-07-01'`,
    );
    expect(expected).toEqual({ called: 3, reached: 2, attempts: 3 });
    await page.getByRole('textbox', { name: 'Du', exact: true }).fill(span.from);
    await page.getByRole('textbox', { name: 'Au', exact: true }).fill(span.to);
    const calls = page.getByRole('table', { name: 'Appels de la période' });
    await calls.getByRole('row', { name: `Ménages joints ${expected?.reached}` }).waitFor();
    await calls.getByRole('row', { name: `Ménages appelés ${expected?.called}` }).waitFor();
    await calls.getByRole('row', { name: `Appels passés ${expected?.attempts}` }).waitFor();
    // The weekly chart is drawn (bars in an SVG), described for screen readers, its table beside it.
    const weekly = page.getByTestId('report-households_reached');
    await weekly.getByRole('img', { name: /Graphique : ménages joints par semaine/ }).waitFor();
    await expect(weekly.locator('.recharts-bar-rectangle').count()).resolves.toBeGreaterThan(0);
    await page.getByRole('table', { name: 'Dossiers ouverts et en retard' }).waitFor();
    await page.getByRole('table', { name: 'Impayés et plans d’apurement' }).waitFor();

    // Compare with the households of 70 and over living alone: a second column and a second series.
    await page.getByLabel('Comparer avec un segment de ménages').check();
    await calls.getByRole('columnheader', { name: 'Ménages 70 ans et plus et vit seul·e' }).waitFor();
    await expect(weekly.locator('.recharts-legend-item').count()).resolves.toBe(2);
    await expectAccessible(page);

    // A table as CSV, then the report as PDF.
    const csv = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Appels de la période en CSV' }).click();
    const csvFile = await (await csv).path();
    const text = await readFile(csvFile, 'utf8');
    expect(text).toContain('Appels de la période');
    expect(text).toContain(`Ménages joints;households_reached;${expected?.reached};`);
    const pdf = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Bilan de la période (PDF)' }).click();
    const pdfDownload = await pdf;
    expect(pdfDownload.suggestedFilename()).toBe(`bilan-${span.from}-${span.to}.pdf`);
    expect((await readFile(await pdfDownload.path())).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
