// Issue 14, « Arrears and payment plans »: balance files (French errors, preview, all or nothing),
// the view « nouveaux ou aggravés depuis le … », payment plans and their compliance from two
// balance files, crisis pauses, FSL steps and summary, and purpose separation (TRUST DP-04).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../contracts/roles.ts';
import { runMaintenance } from '../../platform/jobs/maintenance.ts';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg } from '../../test/harness.ts';
import { pdfText } from '../../test/pdf-text.ts';
import { arrearsCompliance } from './index.ts';

let h: Harness;
let org: TestOrg;
const cookies = {} as Record<Role, string>;
let agency1Officer: string;
const ids = {} as Record<'late' | 'paying' | 'paused' | 'clear' | 'other', string>;

const q = async (text: string, values: unknown[] = []) => (await h.owner.query(text, values)).rows;

function multipart(csv: string, name = 'soldes.csv') {
  const boundary = '----lienarrears';
  return {
    payload: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`),
      Buffer.from(csv, 'utf8'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

async function upload(cookie: string, csv: string) {
  const body = multipart(csv);
  return h.app.inject({ method: 'POST', url: '/api/arrears/balance-imports', payload: body.payload, headers: { cookie, 'content-type': body.contentType } });
}

const post = (cookie: string, url: string, payload: unknown) => h.app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie } });
const get = (cookie: string, url: string) => h.app.inject({ method: 'GET', url, headers: { cookie } });
const balanceRows = async () => Number((await q('select count(*) from household_balances where organisation_id = $1', [org.id]))[0].count);

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  const [a1, a2] = org.agencyIds as [string, string];
  const residence = async (agency: string, code: string) =>
    (
      await q(
        `insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city) values ($1, $2, $3, $4, '1 rue A', '94400', 'Vitry') returning id`,
        [org.id, agency, code, `Résidence ${code}`],
      )
    )[0].id as string;
  const r1 = await residence(a1, 'R1');
  const r2 = await residence(a2, 'R2');
  const household = async (ref: string, res: string) => {
    const [unit] = await q(`insert into housing_units (organisation_id, residence_id, erp_ref) values ($1, $2, $3) returning id`, [org.id, res, `U-${ref}`]);
    const [hh] = await q(`insert into households (organisation_id, unit_id, erp_ref, holder_name) values ($1, $2, $3, $4) returning id`, [
      org.id,
      unit.id,
      ref,
      `Titulaire ${ref}`,
    ]);
    await q(
      `insert into persons (organisation_id, household_id, household_role, first_name, last_name, person_key) values ($1, $2, 'holder', 'Jeanne', $3, $4)`,
      [org.id, hh.id, `Nom${ref}`, `K-${ref}`],
    );
    await q(`insert into vulnerability_indicators (organisation_id, household_id, kind, source) values ($1, $2, 'lives_alone', 'call')`, [org.id, hh.id]);
    return hh.id as string;
  };
  ids.late = await household('LATE', r1);
  ids.paying = await household('PAYING', r1);
  ids.paused = await household('PAUSED', r1);
  ids.clear = await household('CLEAR', r1);
  ids.other = await household('OTHER', r2);
  for (const role of ['org_admin', 'manager', 'staff', 'social_worker', 'caretaker', 'volunteer', 'partner', 'federation_analyst', 'arrears_officer'] as const)
    cookies[role] = await signIn(h, await newUser(h, org, role, { endDate: role === 'volunteer' ? '2099-12-31' : null }));
  agency1Officer = await signIn(h, await newUser(h, org, 'arrears_officer', { agencyIds: [a1] }));
});
afterAll(() => h.close());

describe('balance files', () => {
  it('a bad file gets French errors per line and nothing is written, even when applied', async () => {
    const before = await balanceRows();
    const res = await upload(
      cookies.arrears_officer,
      [
        'Référence;Solde;Date;Loyer mensuel (charges comprises)',
        'LATE;900,00;01/03/2020;450,00',
        'INCONNU;12,00;01/03/2020;',
        'PAYING;douze;01/03/2020;',
        'PAUSED;10,00;31/02/2020;',
        'CLEAR;10,00;01/03/2099;',
        ';10,00;01/03/2020;',
        'LATE;950,00;01/03/2020;',
        'OTHER;10,00;01/03/2020;-3',
      ].join('\n'),
    );
    expect(res.statusCode).toBe(201);
    const preview = res.json();
    expect(preview).toMatchObject({ status: 'previewed', totalLines: 8, validLines: 1 });
    expect(preview.errors.map((e: { line: number; reason: string }) => [e.line, e.reason])).toEqual([
      [3, 'référence ERP inconnue : aucun ménage'],
      [4, 'montant illisible (exemple attendu : 1 234,56)'],
      [5, "cette date n'existe pas"],
      [6, 'date dans le futur'],
      [7, 'référence ERP manquante'],
      [8, 'ligne en double : ce ménage a déjà un solde à cette date dans le fichier'],
      [9, 'le loyer mensuel doit être positif'],
    ]);
    const applied = await post(cookies.arrears_officer, `/api/arrears/balance-imports/${preview.id}/apply`, {});
    expect(applied.statusCode).toBe(422);
    expect(applied.json().detail).toContain('7 lignes refusées');
    expect(await balanceRows()).toBe(before);
    expect((await q('select balance_cents from households where id = $1', [ids.late]))[0].balance_cents).toBeNull();
  });

  it('a file without its columns is refused in French', async () => {
    const res = await upload(cookies.manager, 'Ref;Montant\nLATE;12');
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toContain('Colonnes introuvables : « Solde », « Date »');
  });

  it('caretakers, volunteers, partners and federation analysts may not import balances', async () => {
    for (const role of ['caretaker', 'volunteer', 'partner', 'federation_analyst', 'staff'] as const)
      expect((await upload(cookies[role], 'Référence;Solde;Date\nLATE;1;01/01/2020')).statusCode).toBe(403);
  });
});

describe('plans and compliance from two balance files', () => {
  let latePlan: string;
  let lateCase: string;

  it('the first file is applied at once: dated history, latest balance and monthly rent', async () => {
    const before = await balanceRows();
    const csv = [
      'Référence ERP;Solde;Date du solde;Loyer mensuel (charges comprises)',
      'LATE;900,00;01/03/2020;450,00',
      'PAYING;900,00;01/03/2020;450,00',
      'PAUSED;900,00;01/03/2020;450,00',
      'CLEAR;-20,00;01/03/2020;450,00',
      'OTHER;300,00;01/03/2020;600,00',
    ].join('\r\n');
    const preview = (await upload(cookies.arrears_officer, csv)).json();
    expect(preview).toMatchObject({ totalLines: 5, validLines: 5, errors: [] });
    expect(await balanceRows()).toBe(before);
    const applied = await post(cookies.arrears_officer, `/api/arrears/balance-imports/${preview.id}/apply`, {});
    expect(applied.statusCode).toBe(200);
    expect(applied.json()).toMatchObject({ written: 5, households: 5 });
    expect(await balanceRows()).toBe(before + 5);
    const [late] = await q('select balance_cents, monthly_rent_cents from households where id = $1', [ids.late]);
    expect([Number(late.balance_cents), Number(late.monthly_rent_cents)]).toEqual([90000, 45000]);
    // Applied once: a second apply is refused.
    expect((await post(cookies.arrears_officer, `/api/arrears/balance-imports/${preview.id}/apply`, {})).statusCode).toBe(409);
  });

  it('a plan computes its schedule (remainder on the last instalment) and joins the rent case', async () => {
    const res = await post(cookies.arrears_officer, '/api/arrears/plans', {
      householdId: ids.late,
      kind: 'clearance',
      amountCents: 60001,
      startOn: '2020-04-05',
      months: 3,
      signedOn: '2020-03-20',
    });
    expect(res.statusCode).toBe(200);
    latePlan = res.json().id;
    lateCase = res.json().caseId;
    const plan = (await get(cookies.staff, `/api/arrears/plans/${latePlan}`)).json();
    expect(plan.instalments).toEqual([
      { seq: 1, dueOn: '2020-04-05', amountCents: 20000, status: 'pending' },
      { seq: 2, dueOn: '2020-05-05', amountCents: 20000, status: 'pending' },
      { seq: 3, dueOn: '2020-06-05', amountCents: 20001, status: 'pending' },
    ]);
    expect(plan.baselineCents).toBe(90000);
    const [c] = await q('select type, status from cases where id = $1', [lateCase]);
    expect(c).toEqual({ type: 'rent', status: 'open' });
    // The same household's rent case is joined, not doubled.
    expect((await post(cookies.staff, '/api/arrears/cases', { householdId: ids.late })).json().id).toBe(lateCase);
    for (const id of [ids.paying, ids.paused]) {
      const other = await post(cookies.manager, '/api/arrears/plans', {
        householdId: id,
        kind: 'instalments',
        amountCents: 60000,
        startOn: '2020-04-05',
        months: 3,
        signedOn: '2020-03-20',
      });
      expect(other.statusCode).toBe(200);
    }
  });

  it('bad plans are refused in French', async () => {
    const base = { householdId: ids.late, kind: 'clearance', amountCents: 1000, startOn: '2020-04-05', months: 3, signedOn: '2020-03-20' };
    const above = await post(cookies.staff, '/api/arrears/plans', { ...base, amountCents: 100000 });
    expect([above.statusCode, above.json().code]).toEqual([422, 'amount_above_debt']);
    expect(above.json().detail).toMatch(/^Le montant du plan \(1\s000,00\s€\) dépasse la dette connue \(900,00\s€\)\.$/u);
    const noDebt = await post(cookies.staff, '/api/arrears/plans', { ...base, householdId: ids.clear });
    expect([noDebt.statusCode, noDebt.json().code]).toEqual([422, 'no_debt']);
    const zero = await post(cookies.staff, '/api/arrears/plans', { ...base, months: 0 });
    expect(zero.statusCode).toBe(400);
    expect(zero.body).toContain('Au moins un mois.');
  });

  it('crisis mode pauses a segment; paused households show it', async () => {
    const res = await post(cookies.manager, '/api/arrears/pauses', { segment: { householdIds: [ids.paused] }, untilOn: '2099-06-30', reason: 'Confinement' });
    expect(res.json()).toEqual({ households: 1 });
    const view = (await post(cookies.staff, '/api/arrears/view', { since: '2020-01-01' })).json();
    expect(view.rows.find((r: { householdId: string }) => r.householdId === ids.paused).pausedUntil).toBe('2099-06-30');
    // The view's whole result as the segment (here one agency's): every page, not only the one shown.
    const byView = await post(cookies.manager, '/api/arrears/pauses', {
      segment: { view: { since: '2020-01-01', agencyId: org.agencyIds[1] } },
      untilOn: '2099-06-30',
      reason: 'Confinement',
    });
    expect(byView.json()).toEqual({ households: 1 });
    expect((await q('select household_id from arrears_pauses where organisation_id = $1 order by created_at', [org.id])).map((r) => r.household_id)).toEqual([
      ids.paused,
      ids.other,
    ]);
    expect(
      (await post(cookies.arrears_officer, '/api/arrears/pauses', { segment: { householdIds: [ids.paused] }, untilOn: '2099-06-30', reason: 'x' })).statusCode,
    ).toBe(403);
  });

  it('the second file: a missed instalment raises a task on the case, a paid one is met, a paused household raises nothing', async () => {
    const tasksBefore = Number((await q('select count(*) from case_tasks where organisation_id = $1', [org.id]))[0].count);
    const csv = ['Référence;Solde;Date', 'LATE;850,00;20/04/2020', 'PAYING;700,00;20/04/2020', 'PAUSED;900,00;20/04/2020'].join('\n');
    const preview = (await upload(cookies.arrears_officer, csv)).json();
    const applied = (await post(cookies.arrears_officer, `/api/arrears/balance-imports/${preview.id}/apply`, {})).json();
    expect(applied).toMatchObject({ written: 3, checked: 2, missed: 1 });
    const tasks = await q(
      'select c.household_id, t.title from case_tasks t join cases c on c.id = t.case_id where t.organisation_id = $1 order by t.created_at',
      [org.id],
    );
    expect(tasks).toHaveLength(tasksBefore + 1);
    expect(tasks.at(-1)).toMatchObject({ household_id: ids.late });
    expect(tasks.at(-1).title).toContain('Échéance n° 1 du 05/04/2020 non honorée');
    const status = async (household: string) =>
      (await q('select i.status from plan_instalments i join payment_plans p on p.id = i.plan_id where p.household_id = $1 and i.seq = 1', [household]))[0]
        .status;
    expect([await status(ids.late), await status(ids.paying), await status(ids.paused)]).toEqual(['missed', 'met', 'pending']);
    // Instalment 2 (due 5 May + 10 days) is not due on 20 April: still pending.
    expect((await get(cookies.staff, `/api/arrears/plans/${latePlan}`)).json().instalments[1].status).toBe('pending');
    // Checked today (years later) with no balance since 20 April: the 20 April balances say nothing
    // of instalments due (with their grace) after that day — nothing is judged, nothing raised.
    expect((await post(cookies.manager, '/api/arrears/compliance', {})).json()).toEqual({ checked: 0, missed: 0 });
    expect((await get(cookies.staff, `/api/arrears/plans/${latePlan}`)).json().instalments[1].status).toBe('pending');
    // Then an ERP import brings the balances of 20 June (LATE unchanged, PAYING down to 300 €), and
    // the daily check (no user: the task has no author) judges instalments 2 and 3 of both plans.
    for (const [household, cents] of [
      [ids.late, 85000],
      [ids.paying, 30000],
    ] as const)
      await q(`insert into household_balances (organisation_id, household_id, balance_cents, balance_on) values ($1, $2, $3, '2020-06-20')`, [
        org.id,
        household,
        cents,
      ]);
    await runMaintenance(h.database, [arrearsCompliance], new Date('2020-06-21T08:00:00Z'));
    const statuses = async (household: string) =>
      (await q('select i.status from plan_instalments i join payment_plans p on p.id = i.plan_id where p.household_id = $1 order by i.seq', [household])).map(
        (r) => r.status,
      );
    expect(await statuses(ids.late)).toEqual(['missed', 'missed', 'missed']);
    expect(await statuses(ids.paying)).toEqual(['met', 'met', 'met']);
    const daily = await q(
      `select t.created_by from case_tasks t join cases c on c.id = t.case_id where c.household_id = $1 and t.title like 'Échéance n° 3 %'`,
      [ids.late],
    );
    expect(daily).toEqual([{ created_by: null }]);
    // The first one is not raised twice, and the paused household still raises nothing.
    const raised = await q(`select t.title from case_tasks t join cases c on c.id = t.case_id where c.household_id = $1 and t.title like 'Échéance n° 1 %'`, [
      ids.late,
    ]);
    expect(raised).toHaveLength(1);
    expect(await status(ids.paused)).toBe('pending');
  });

  it('the view lists debts new or grown since a date, with months of rent, by amount, paged, by agency', async () => {
    const since = (await post(cookies.staff, '/api/arrears/view', { since: '2020-03-15' })).json();
    // Since 15 March: nothing grew (LATE went down); PAUSED stayed at 900 (not grown).
    expect(since.total).toBe(0);
    const all = (await post(cookies.staff, '/api/arrears/view', { since: '2020-02-01', limit: 2 })).json();
    expect(all.total).toBe(4);
    expect(all.rows.map((r: { householdRef: string }) => r.householdRef)).toEqual(['PAUSED', 'LATE']);
    expect(all.rows[1]).toMatchObject({ balanceCents: 85000, beforeCents: null, growthCents: 85000, monthsOfRent: 1.9, activePlanId: latePlan });
    const page2 = (await post(cookies.staff, '/api/arrears/view', { since: '2020-02-01', limit: 2, page: 2 })).json();
    expect(page2.rows.map((r: { householdRef: string }) => r.householdRef)).toEqual(['PAYING', 'OTHER']);
    expect((await post(cookies.staff, '/api/arrears/view', { since: '2020-02-01', limit: 2, page: 3 })).json()).toEqual({ total: 4, rows: [] });
    const byGrowth = (await post(cookies.staff, '/api/arrears/view', { since: '2020-03-15', sort: 'growth' })).json();
    expect(byGrowth.total).toBe(0);
    const agency2 = (await post(cookies.staff, '/api/arrears/view', { since: '2020-02-01', agencyId: org.agencyIds[1] })).json();
    expect(agency2.rows.map((r: { householdRef: string }) => r.householdRef)).toEqual(['OTHER']);
    // An officer of agency 1 never sees agency 2's households.
    const mine = (await post(agency1Officer, '/api/arrears/view', { since: '2020-02-01' })).json();
    expect(mine.rows.map((r: { householdRef: string }) => r.householdRef)).not.toContain('OTHER');
    expect((await get(agency1Officer, `/api/arrears/households/${ids.other}`)).statusCode).toBe(404);
  });

  it('FSL and guarantee steps join the rent case (a decision before the filing refused); the FSL summary PDF is pre-filled from the household; the household timeline shows the plan, the missed instalment and the steps', async () => {
    const step = await post(cookies.social_worker, '/api/arrears/steps', {
      householdId: ids.late,
      kind: 'fsl',
      filedOn: '2020-04-22',
      decidedOn: '2020-05-15',
      decision: 'granted',
      amountCents: 30000,
    });
    expect(step.statusCode).toBe(200);
    expect(step.json().caseId).toBe(lateCase);
    const bad = await post(cookies.social_worker, '/api/arrears/steps', { householdId: ids.late, kind: 'fsl', filedOn: '2020-04-22', decision: 'granted' });
    expect(bad.statusCode).toBe(400);
    const pdf = await get(cookies.social_worker, `/api/arrears/households/${ids.late}/fsl-summary`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // Pre-filled from the household's data: its debt in months of rent, its balances, its plan, the FSL step.
    const text = pdfText(pdf.rawPayload);
    for (const expected of [
      'Ménage : LATE',
      'Dette locative : 850,00',
      'soit 1,9 mois',
      '20/06/2020 : 850,00',
      '01/03/2020 : 900,00',
      'sur 3 mois, signé le 20/03/2020',
      'FSL déposée le 22/04/2020',
    ])
      expect(text).toContain(expected);
    const arrears = (await get(cookies.arrears_officer, `/api/arrears/households/${ids.late}`)).json();
    expect(arrears.steps).toMatchObject([{ kind: 'fsl', decision: 'granted', amountCents: 30000 }]);
    expect(arrears.balances.map((b: { on: string }) => b.on)).toEqual(['2020-06-20', '2020-04-20', '2020-03-01']);
    const file = (await get(cookies.staff, `/api/households/${ids.late}`)).json();
    const kinds = file.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['plan.created', 'plan.missed', 'step.fsl']));

    // The guarantee's activation: filed first, decided later; a decision before the filing is refused in French, nothing written.
    const backwards = await post(cookies.staff, '/api/arrears/steps', {
      householdId: ids.late,
      kind: 'guarantee',
      filedOn: '2020-05-02',
      decidedOn: '2020-05-01',
      decision: 'refused',
    });
    expect([backwards.statusCode, backwards.json().code]).toEqual([422, 'decided_before_filed']);
    expect(backwards.json().detail).toBe('La décision ne peut pas précéder le dépôt.');
    const guarantee = await post(cookies.staff, '/api/arrears/steps', { householdId: ids.late, kind: 'guarantee', filedOn: '2020-05-02' });
    expect(guarantee.statusCode, guarantee.body).toBe(200);
    expect(guarantee.json().caseId).toBe(lateCase);
    const steps = (await get(cookies.arrears_officer, `/api/arrears/households/${ids.late}`)).json().steps as { kind: string; decision: string | null }[];
    expect(steps.map((x) => [x.kind, x.decision]).sort()).toEqual([
      ['fsl', 'granted'],
      ['guarantee', null],
    ]);
    const after = (await get(cookies.staff, `/api/households/${ids.late}`)).json().timeline as { kind: string; type: string }[];
    expect(after.filter((e) => e.kind.startsWith('step.')).map((e) => [e.kind, e.type])).toEqual(
      expect.arrayContaining([
        ['step.fsl', 'plan'],
        ['step.guarantee', 'plan'],
      ]),
    );
  });
});

describe('purpose separation (TRUST DP-04)', () => {
  it('volunteers, caretakers, partners and federation analysts read no arrears', async () => {
    for (const role of ['caretaker', 'volunteer', 'partner', 'federation_analyst'] as const) {
      expect((await post(cookies[role], '/api/arrears/view', { since: '2020-01-01' })).statusCode).toBe(403);
      expect((await get(cookies[role], `/api/arrears/households/${ids.late}`)).statusCode).toBe(403);
      expect((await post(cookies[role], '/api/arrears/plans', {})).statusCode).toBe(403);
    }
  });

  it('the recovery officer reads arrears and the tenancy, but neither campaigns nor the fragility register', async () => {
    expect((await post(cookies.arrears_officer, '/api/arrears/view', { since: '2020-01-01' })).statusCode).toBe(200);
    const file = await get(cookies.arrears_officer, `/api/households/${ids.late}`);
    expect(file.statusCode).toBe(200);
    const body = file.json();
    expect(body.balanceCents).toBe(85000);
    for (const key of ['indicators', 'needs', 'consents', 'objections', 'timeline']) expect(body).not.toHaveProperty(key);
    // The same household as staff: the indicators are there (so their absence above is the role's).
    expect((await get(cookies.staff, `/api/households/${ids.late}`)).json().indicators).toHaveLength(1);
    for (const [method, url] of [
      ['GET', '/api/campaigns'],
      ['POST', '/api/cases/board'],
      ['POST', '/api/followups/list'],
      ['GET', '/api/home'],
      ['POST', '/api/calls/next'],
    ] as const)
      expect(
        (await h.app.inject({ method, url, headers: { cookie: cookies.arrears_officer }, ...(method === 'POST' ? { payload: {} } : {}) })).statusCode,
      ).toBe(403);
    const list = await post(cookies.arrears_officer, '/api/households/list', { filters: { indicators: ['lives_alone'] } });
    expect(list.statusCode).toBe(400);
  });
});
