// Issue 14, « compliance tracked against later balance imports », through the ERP export itself:
// the ERP import writes a balance to the dated history only when it changed, so a tenant who paid
// nothing (the same debt in the next export) left no dated balance, and the missed instalment
// stayed pending for ever. The import now dates the unchanged balance of the households with an
// active plan (the arrears module watches them), once a day; the daily check then flags the
// missed instalment. Nothing more is written for the households without a plan.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMaintenance } from '../../platform/jobs/maintenance.ts';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg } from '../../test/harness.ts';
import { importFile } from '../registry/index.ts';
import { arrearsCompliance } from './index.ts';

let h: Harness;
let org: TestOrg;
let officer: string;

const HEADER =
  'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;Date de sortie;N° occupant;Civilité;Nom;Prénom;Date de naissance;Qualité;Tél portable;Courriel;Solde;PMR';
/** One household of the export: lease `ref`, one holder, its balance (« 900,00 »). */
const line = (ref: string, balance: string) =>
  [
    'A1',
    'G1',
    'Les Tilleuls',
    '12 rue Jean Jaurès',
    '94400',
    'Vitry-sur-Seine',
    `L-${ref}`,
    ref,
    '',
    `P-${ref}`,
    'Mme',
    `Nom${ref}`,
    'Jeanne',
    '03/04/1950',
    'Titulaire',
    '',
    '',
    balance,
    'Non',
  ].join(';');
const erpImport = async (balances: Record<string, string>) => {
  const csv = [HEADER, ...Object.entries(balances).map(([ref, b]) => line(ref, b))].join('\r\n');
  const result = await importFile(h.deps, { organisationId: org.id }, Readable.from([Buffer.from(csv)]), { fileName: 'export.csv', confirmLarge: true });
  expect(result.applied).toBe(true);
};
const q = async (text: string, values: unknown[] = []) => (await h.owner.query(text, values)).rows;
const isoDaysFrom = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  officer = await signIn(h, await newUser(h, org, 'arrears_officer'));
});
afterAll(() => h.close());

describe('compliance from the ERP export (issue 14)', () => {
  it('an unchanged debt in the next export is dated for a household with a plan, and its missed instalment raises a task', async () => {
    await erpImport({ LATE: '900,00', PAYING: '900,00', NOPLAN: '900,00' });
    // The first export was imported 60 days ago.
    await q(`update household_balances set balance_on = balance_on - 60 where organisation_id = $1`, [org.id]);
    const [{ today }] = await q(`select to_char((now() at time zone 'Europe/Paris')::date, 'YYYY-MM-DD') as today`);
    const ids = Object.fromEntries(
      (await q(`select erp_ref, id from households where organisation_id = $1`, [org.id])).map((r) => [r.erp_ref, r.id as string]),
    ) as Record<'LATE' | 'PAYING' | 'NOPLAN', string>;
    // Plans signed 30 days ago: instalment 1 (200 €) due 25 days ago, its 10 days of grace over; instalment 2 not due yet.
    for (const ref of ['LATE', 'PAYING'] as const) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/arrears/plans',
        headers: { cookie: officer },
        payload: {
          householdId: ids[ref],
          kind: 'instalments',
          amountCents: 60000,
          startOn: isoDaysFrom(today, -25),
          months: 3,
          signedOn: isoDaysFrom(today, -30),
        },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const rows = async (ref: 'LATE' | 'PAYING' | 'NOPLAN') =>
      await q(
        `select balance_cents::int as cents, to_char(balance_on, 'YYYY-MM-DD') as on from household_balances where household_id = $1 order by balance_on`,
        [ids[ref]],
      );

    // Today's export: LATE's debt unchanged, PAYING's down by the instalment, NOPLAN unchanged.
    await erpImport({ LATE: '900,00', PAYING: '700,00', NOPLAN: '900,00' });
    expect(await rows('LATE')).toEqual([
      { cents: 90000, on: isoDaysFrom(today, -60) },
      { cents: 90000, on: today },
    ]);
    expect((await rows('PAYING')).map((r) => r.on)).toEqual([isoDaysFrom(today, -60), today]);
    // A household without a plan: nothing more than before (the import still writes only changes).
    expect(await rows('NOPLAN')).toEqual([{ cents: 90000, on: isoDaysFrom(today, -60) }]);
    // The same export again today: nothing written twice.
    await erpImport({ LATE: '900,00', PAYING: '700,00', NOPLAN: '900,00' });
    expect(await rows('LATE')).toHaveLength(2);

    // The daily check: LATE's first instalment is missed (a task on its rent case), PAYING's met, the second still pending.
    await runMaintenance(h.database, [arrearsCompliance], new Date());
    const statuses = async (ref: 'LATE' | 'PAYING') =>
      (await q(`select i.status from plan_instalments i join payment_plans p on p.id = i.plan_id where p.household_id = $1 order by i.seq`, [ids[ref]])).map(
        (r) => r.status,
      );
    expect(await statuses('LATE')).toEqual(['missed', 'pending', 'pending']);
    expect(await statuses('PAYING')).toEqual(['met', 'pending', 'pending']);
    const tasks = await q(`select t.title from case_tasks t join cases c on c.id = t.case_id where c.household_id = $1 and c.type = 'rent'`, [ids.LATE]);
    expect(tasks.map((t) => t.title)).toEqual([expect.stringContaining('Échéance n° 1')]);
  });
});
