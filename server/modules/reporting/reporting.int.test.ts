// Issue 18, « Tableaux de bord »: the figures of a small known dataset (calls, needs, cases,
// referrals, arrears, payment plans, messages) for the organisation, one agency and a segment
// (70 ans et plus vivant seuls); the user's agency scope; the roles refused; the exports (CSV with
// formula cells neutralised, XLSX, PDF) and their audit.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '../../../contracts/reporting.ts';
import type { Role } from '../../../contracts/roles.ts';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg } from '../../test/harness.ts';

let h: Harness;
let org: TestOrg;
const cookies = {} as Record<Role, string>;
let agency1Manager: string;
const hh = {} as Record<'H1' | 'H2' | 'H3' | 'H4', string>;

const q = async (text: string, values: unknown[] = []) => (await h.owner.query(text, values)).rows;
const post = (cookie: string, url: string, payload: unknown) => h.app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie } });
const october = { from: '2026-10-01', to: '2026-10-31' };
const segment = { minAge: 70, indicators: ['lives_alone'], fragilityMatch: 'all', status: 'active' };

async function dashboardOf(cookie: string, body: Record<string, unknown>): Promise<Dashboard> {
  const res = await post(cookie, '/api/reporting/dashboard', body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
/** table id → row key → [value, segment]. */
const figures = (d: Dashboard) =>
  Object.fromEntries(d.tables.map((t) => [t.id, Object.fromEntries(t.rows.map((r) => [r.key, r.segment === null ? r.value : [r.value, r.segment]]))]));

beforeAll(async () => {
  h = await startHarness();
  // The clock of the dashboards: 15 November 2026 (overdue tasks, late acknowledgements).
  h.deps.clock = () => new Date('2026-11-15T09:00:00Z');
  org = await newOrganisation(h);
  const [a1, a2] = org.agencyIds as [string, string];
  const o = org.id;
  const residence = async (agency: string, code: string) =>
    (
      await q(
        `insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city) values ($1, $2, $3, $4, '1 rue A', '94400', 'Vitry') returning id`,
        [o, agency, code, `Résidence ${code}`],
      )
    )[0].id as string;
  const r1 = await residence(a1, 'R1');
  const r2 = await residence(a2, 'R2');
  const household = async (ref: string, res: string, agency: string, born: string, alone: boolean, balance: number | null) => {
    const [unit] = await q(`insert into housing_units (organisation_id, residence_id, erp_ref) values ($1, $2, $3) returning id`, [o, res, `U-${ref}`]);
    const [row] = await q(
      `insert into households (organisation_id, unit_id, agency_id, erp_ref, holder_name, oldest_birth_date, balance_cents) values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [o, unit.id, agency, ref, `Titulaire ${ref}`, born, balance],
    );
    if (alone)
      await q(`insert into vulnerability_indicators (organisation_id, household_id, kind, source) values ($1, $2, 'lives_alone', 'call')`, [o, row.id]);
    return row.id as string;
  };
  // H1 and H3 are the segment (born before 1956, living alone); H1, H2 in agency 1, H3, H4 in agency 2.
  hh.H1 = await household('H1', r1, a1, '1940-02-01', true, 50000);
  hh.H2 = await household('H2', r1, a1, '1990-02-01', false, 30000);
  hh.H3 = await household('H3', r2, a2, '1945-02-01', true, 40000);
  hh.H4 = await household('H4', r2, a2, '1980-02-01', true, null);
  for (const role of ['org_admin', 'manager', 'staff', 'social_worker', 'caretaker', 'volunteer', 'partner', 'federation_analyst', 'arrears_officer'] as const)
    cookies[role] = await signIn(h, await newUser(h, org, role, { endDate: role === 'volunteer' ? '2099-12-31' : null }));
  const callerId = (await q(`select id from users where organisation_id = $1 and role = 'staff'`, [o]))[0].id;
  agency1Manager = await signIn(h, await newUser(h, org, 'manager', { agencyIds: [a1] }));

  // Calls: one campaign, a queue row per household, attempts in and around October (Paris time).
  const [campaign] = await q(
    `insert into campaigns (organisation_id, name, segment, script, call_windows, retry_policy) values ($1, 'Veille', '{}', '{}', '{}', '{}') returning id`,
    [o],
  );
  const target = async (id: string, agency: string, res: string) =>
    (
      await q(
        `insert into campaign_targets (organisation_id, campaign_id, household_id, agency_id, residence_id, priority) values ($1, $2, $3, $4, $5, 1) returning id`,
        [o, campaign.id, id, agency, res],
      )
    )[0].id as string;
  const t = { H1: await target(hh.H1, a1, r1), H2: await target(hh.H2, a1, r1), H3: await target(hh.H3, a2, r2), H4: await target(hh.H4, a2, r2) };
  const attempt = (k: keyof typeof hh, outcome: string, at: string) =>
    q(
      `insert into call_attempts (organisation_id, campaign_id, target_id, household_id, caller_id, outcome, slot, claimed_at, recorded_at) values ($1, $2, $3, $4, $5, $6, 'morning', $7, $7)`,
      [o, campaign.id, t[k], hh[k], callerId, outcome, at],
    );
  await attempt('H1', 'no_answer', '2026-10-05T08:00:00Z');
  await attempt('H1', 'reached', '2026-10-06T08:00:00Z');
  await attempt('H2', 'reached', '2026-10-06T09:00:00Z');
  await attempt('H2', 'reached', '2026-10-14T09:00:00Z');
  await attempt('H3', 'reached', '2026-10-20T09:00:00Z');
  await attempt('H4', 'busy', '2026-10-21T09:00:00Z');
  // 1 October 00:30 in Paris is in the period; 30 September 23:30 in Paris is not.
  await attempt('H4', 'busy', '2026-09-30T22:30:00Z');
  await attempt('H4', 'reached', '2026-09-30T21:30:00Z');

  // Cases and the needs they hold.
  const kase = async (k: keyof typeof hh, agency: string, type: string, created: string, status: string, closed: string | null, outcome: string | null) =>
    (
      await q(
        `insert into cases (organisation_id, household_id, agency_id, type, origin, status, created_at, closed_at, outcome) values ($1, $2, $3, $4, 'call', $5, $6, $7, $8) returning id`,
        [o, hh[k], agency, type, status, created, closed, outcome],
      )
    )[0].id as string;
  const K1 = await kase('H1', a1, 'isolation', '2026-10-06T10:00:00Z', 'open', null, null);
  const K2 = await kase('H2', a1, 'food', '2026-10-14T10:00:00Z', 'closed', '2026-10-20T10:00:00Z', 'resolved');
  const K3 = await kase('H3', a2, 'health', '2026-09-15T10:00:00Z', 'closed', '2026-10-25T10:00:00Z', 'referred');
  const K4 = await kase('H4', a2, 'other', '2026-10-21T10:00:00Z', 'waiting_partner', null, null);
  await q(`insert into case_tasks (organisation_id, case_id, title, due_on) values ($1, $2, 'Rappeler', '2026-11-01')`, [o, K1]);
  const need = (k: keyof typeof hh, agency: string, kaseId: string, n: string, label: string, created: string, closed: boolean) =>
    q(
      `insert into followups (organisation_id, household_id, agency_id, case_id, need, label, created_at, status, closed_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [o, hh[k], agency, kaseId, n, label, created, closed ? 'closed' : 'open', closed ? '2026-10-26T10:00:00Z' : null],
    );
  await need('H1', a1, K1, 'isolement', 'Isolement', '2026-10-06T10:00:00Z', false);
  await need('H2', a1, K2, 'courses', 'Courses', '2026-10-14T10:00:00Z', true);
  await need('H3', a2, K3, 'courses', 'Courses', '2026-10-20T10:00:00Z', true);
  await need('H4', a2, K4, 'isolement', 'Isolement', '2026-10-21T10:00:00Z', false);
  await need('H4', a2, K4, 'formule', '=1+2', '2026-10-22T10:00:00Z', false);
  await need('H1', a1, K1, 'courses', 'Courses', '2026-09-20T10:00:00Z', false);

  // Referrals: H3's accepted (acknowledged in time), H4's still new past its acknowledgement date.
  const [partner] = await q(`insert into partners (organisation_id, name, kind) values ($1, 'CCAS', 'ccas') returning id`, [o]);
  const referral = async (k: keyof typeof hh, agency: string, kaseId: string, sent: string, due: string, acked: string | null, status: string) => {
    const [consent] = await q(
      `insert into consents (organisation_id, household_id, purpose, channel, wording_version, partner_id) values ($1, $2, 'referral', 'phone', 'v1', $3) returning id`,
      [o, hh[k], partner.id],
    );
    await q(
      `insert into referrals (organisation_id, household_id, agency_id, case_id, partner_id, consent_id, payload, fields, sent_at, ack_due_at, acknowledged_at, status)
       values ($1, $2, $3, $4, $5, $6, '{}', '{}', $7, $8, $9, $10)`,
      [o, hh[k], agency, kaseId, partner.id, consent.id, sent, due, acked, status],
    );
  };
  await referral('H3', a2, K3, '2026-10-22T10:00:00Z', '2026-10-24T10:00:00Z', '2026-10-23T10:00:00Z', 'accepted');
  await referral('H4', a2, K4, '2026-10-25T10:00:00Z', '2026-10-27T10:00:00Z', null, 'new');

  // Arrears: on 1 September H1 owed nothing (new debt of 500 €), H2 100 € (grown by 200 €), H3 400 € (unchanged).
  for (const [k, cents] of [
    ['H1', 0],
    ['H2', 10000],
    ['H3', 40000],
  ] as const)
    await q(`insert into household_balances (organisation_id, household_id, balance_cents, balance_on) values ($1, $2, $3, '2026-09-01')`, [o, hh[k], cents]);
  const plan = async (k: keyof typeof hh, signed: string, instalments: [string, string][]) => {
    const [p] = await q(
      `insert into payment_plans (organisation_id, household_id, kind, amount_cents, baseline_cents, months, start_on, signed_on) values ($1, $2, 'instalments', 20000, 20000, 2, $3, $3) returning id`,
      [o, hh[k], signed],
    );
    for (const [i, [due, status]] of instalments.entries())
      await q(`insert into plan_instalments (organisation_id, plan_id, seq, due_on, amount_cents, status) values ($1, $2, $3, $4, 10000, $5)`, [
        o,
        p.id,
        i + 1,
        due,
        status,
      ]);
  };
  await plan('H2', '2026-10-10', [
    ['2026-10-15', 'met'],
    ['2026-11-15', 'pending'],
  ]);
  await plan('H3', '2026-08-01', [
    ['2026-10-05', 'missed'],
    ['2026-10-25', 'pending'],
  ]);

  // Messages: an e-mail sent, an SMS delivered (Brevo's callback) and an SMS failed in October, one queued in September.
  for (const [channel, status, at] of [
    ['email', 'sent', '2026-10-02T10:00:00Z'],
    ['sms', 'delivered', '2026-10-02T11:00:00Z'],
    ['sms', 'failed', '2026-10-03T10:00:00Z'],
    ['email', 'queued', '2026-09-29T10:00:00Z'],
  ])
    await q(
      `insert into messages (organisation_id, channel, recipient, body, purpose, idempotency_key, status, created_at) values ($1, $2, 'x@y.fr', 'Bonjour', 'campaign', gen_random_uuid()::text, $3, $4)`,
      [o, channel, status, at],
    );

  // Solidarity (issue 17): deliveries settled in October (H1 delivered, H2 not at home, H3 refused) and one in
  // September; a second volunteer who paused; an outreach event in October (H1 and someone anonymous) and one in September.
  const volunteer = (await q(`select id from users where organisation_id = $1 and role = 'volunteer'`, [o]))[0].id;
  const paused = (await newUser(h, org, 'volunteer', { endDate: '2099-12-31' })).id;
  await q(`insert into volunteer_profiles (organisation_id, user_id, paused_at) values ($1, $2, '2026-10-10T10:00:00Z')`, [o, paused]);
  for (const [k, agency, status, at] of [
    ['H1', a1, 'done', '2026-10-07T10:00:00Z'],
    ['H2', a1, 'not_home', '2026-10-08T10:00:00Z'],
    ['H3', a2, 'refused', '2026-10-09T10:00:00Z'],
    ['H4', a2, 'done', '2026-09-09T10:00:00Z'],
  ] as const)
    await q(
      `insert into deliveries (organisation_id, household_id, agency_id, kind, due_on, assignee_id, status, not_home_count, done_at) values ($1, $2, $3, 'meal', $4::timestamptz::date, $5, $6, $7, $4)`,
      [o, hh[k], agency, at, volunteer, status, status === 'not_home' ? 1 : 0],
    );
  for (const [day, households] of [
    ['2026-10-15', [hh.H1, null]],
    ['2026-09-15', [hh.H3]],
  ] as const) {
    const [event] = await q(`insert into outreach_events (organisation_id, residence_id, held_on) values ($1, $2, $3) returning id`, [o, r1, day]);
    for (const household of households)
      await q(`insert into outreach_contacts (organisation_id, event_id, household_id, topics) values ($1, $2, $3, '{isolation}')`, [o, event.id, household]);
  }
});
afterAll(() => h.close());

describe('the dashboard of a period', () => {
  it('counts the organisation’s calls, needs, cases, referrals, arrears and messages of the period, compared with the segment', async () => {
    const d = await dashboardOf(cookies.org_admin, { ...october, segment });
    expect(d.scopeLabel).toBe('Toute l’organisation');
    expect(d.segmentLabel).toBe('Ménages 70 ans et plus et vit seul·e');
    const f = figures(d);
    expect(f.households_reached).toEqual({
      '2026-09-28': [0, 0],
      '2026-10-05': [2, 1],
      '2026-10-12': [1, 0],
      '2026-10-19': [1, 1],
      '2026-10-26': [0, 0],
    });
    expect(f.calls).toEqual({ households_called: [4, 2], households_reached: [3, 2], call_attempts: [7, 3] });
    expect(f.needs).toEqual({
      needs_found: [5, 2],
      needs_closed: [2, 1],
      needs_open: [3, 1],
      'need.isolement': [2, 1],
      'need.courses': [2, 1],
      'need.formule': [1, 0],
    });
    expect(f.cases).toEqual({ cases_open: [2, 1], cases_overdue: [1, 1], cases_opened: [3, 1], cases_closed: [2, 1] });
    expect(f.case_outcomes).toEqual({ resolved: [1, 0], referred: [1, 1] });
    expect(f.referrals).toMatchObject({ referrals_sent: [2, 1], 'referral.accepted': [1, 1], 'referral.new': [1, 0], referrals_late: [1, 0] });
    expect(f.arrears).toEqual({
      arrears_new: [1, 1],
      arrears_grown: [1, 0],
      arrears_growth_euros: [700, 500],
      plans_signed: [1, 0],
      instalments_due: [3, 2],
      instalments_met: [1, 0],
      instalments_missed: [1, 1],
      instalments_pending: [1, 1],
    });
    // Messages carry no household: the whole organisation's, never compared.
    expect(f.messages).toEqual({
      messages_created: 3,
      messages_sent: 2,
      messages_failed: 1,
      'messages.email.sent': 1,
      'messages.sms.delivered': 1,
      'messages.sms.failed': 1,
    });
    // Deliveries and outreach contacts have a household: compared; volunteers are the organisation's.
    expect(f.solidarity).toEqual({
      deliveries_done: [1, 1],
      deliveries_not_home: [1, 0],
      deliveries_refused: [1, 1],
      outreach_events: [1, 1],
      outreach_contacts: [2, 1],
    });
    expect(f.volunteers).toEqual({ volunteers_open: 2, volunteers_paused: 1, volunteers_delivering: 1 });
  });

  it('an agency’s manager sees only the agency, and another agency is not found', async () => {
    const d = await dashboardOf(agency1Manager, october);
    expect(d.scopeLabel).toBe('Votre agence : Agence 1');
    const f = figures(d);
    expect(f.calls).toEqual({ households_called: 2, households_reached: 2, call_attempts: 4 });
    expect(f.needs).toMatchObject({ needs_found: 2, needs_closed: 1 });
    expect(f.cases).toEqual({ cases_open: 1, cases_overdue: 1, cases_opened: 2, cases_closed: 1 });
    expect(f.referrals).toMatchObject({ referrals_sent: 0 });
    expect(f.arrears).toMatchObject({
      arrears_new: 1,
      arrears_grown: 1,
      arrears_growth_euros: 700,
      plans_signed: 1,
      instalments_met: 1,
      instalments_missed: 0,
    });
    expect(f.messages).toBeUndefined();
    expect(d.notes.join(' ')).toContain('Messages envoyés');
    // The agency's deliveries; outreach events and volunteers are counted for the whole organisation only.
    expect(f.solidarity).toEqual({ deliveries_done: 1, deliveries_not_home: 1, deliveries_refused: 0 });
    expect(f.volunteers).toBeUndefined();
    expect(d.notes.join(' ')).toContain('Rencontres au pied des immeubles et bénévoles');
    // The segment within the agency: H1 only.
    const compared = figures(await dashboardOf(agency1Manager, { ...october, segment }));
    expect(compared.calls).toEqual({ households_called: [2, 1], households_reached: [2, 1], call_attempts: [4, 2] });
    expect(compared.cases).toEqual({ cases_open: [1, 1], cases_overdue: [1, 1], cases_opened: [2, 1], cases_closed: [1, 0] });
    expect(compared.arrears).toMatchObject({ arrears_new: [1, 1], arrears_grown: [1, 0], plans_signed: [1, 0], instalments_met: [1, 0] });
    const other = await post(agency1Manager, '/api/reporting/dashboard', { ...october, agencyId: org.agencyIds[1] });
    expect(other.statusCode).toBe(404);
    expect(other.json().detail).toBe('Agence introuvable.');
    const exported = await post(agency1Manager, '/api/reporting/export', {
      filters: { ...october, agencyId: org.agencyIds[1] },
      table: 'calls',
      format: 'csv',
    });
    expect(exported.statusCode).toBe(404);
  });

  it('an administrator chooses one agency', async () => {
    const d = await dashboardOf(cookies.org_admin, { ...october, agencyId: org.agencyIds[1] });
    expect(d.scopeLabel).toBe('Agence Agence 2');
    const f = figures(d);
    expect(f.calls).toEqual({ households_called: 2, households_reached: 1, call_attempts: 3 });
    expect(f.referrals).toMatchObject({ referrals_sent: 2, referrals_late: 1 });
    expect(f.arrears).toMatchObject({ arrears_new: 0, arrears_grown: 0, plans_signed: 0, instalments_missed: 1, instalments_pending: 1 });
  });

  it('refuses a period that ends before it starts, in French', async () => {
    const res = await post(cookies.org_admin, '/api/reporting/dashboard', { from: '2026-10-31', to: '2026-10-01' });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).toContain('La date de début doit précéder la date de fin.');
  });

  it('refuses every role but administrators and managers', async () => {
    for (const role of ['staff', 'social_worker', 'caretaker', 'volunteer', 'partner', 'federation_analyst', 'arrears_officer'] as const) {
      for (const [url, body] of [
        ['/api/reporting/dashboard', october],
        ['/api/reporting/export', { filters: october, table: 'calls', format: 'csv' }],
        ['/api/reporting/report', { filters: october }],
      ] as const)
        expect((await post(cookies[role], url, body)).statusCode, `${role} ${url}`).toBe(403);
    }
  });
});

describe('exports', () => {
  const exportsAudited = async () =>
    (await q(`select details from audit_events where organisation_id = $1 and action = 'reporting.exported' order by at, id`, [org.id])).map((r) => r.details);

  it('a table as CSV: the period, the scope and the segment above it, formula cells neutralised; audited', async () => {
    const before = (await exportsAudited()).length;
    const res = await post(cookies.org_admin, '/api/reporting/export', { filters: { ...october, segment }, table: 'needs', format: 'csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('tableau-needs-2026-10-01-2026-10-31.csv');
    const lines = res.body.replace(/^\ufeff/, '').split('\r\n');
    expect(lines.slice(0, 4)).toEqual([
      'Besoins repérés et leur suite',
      'Période;du 01/10/2026 au 31/10/2026',
      'Périmètre;Toute l’organisation',
      'Comparé à;Ménages 70 ans et plus et vit seul·e',
    ]);
    expect(lines).toContain('Indicateur;Code;Valeur;Ménages 70 ans et plus et vit seul·e');
    expect(lines).toContain('Besoins repérés;needs_found;5;2');
    expect(lines).toContain("'=1+2;need.formule;1;0");
    const audited = await exportsAudited();
    expect(audited.length).toBe(before + 1);
    expect(audited.at(-1)).toMatchObject({ table: 'needs', format: 'csv', from: '2026-10-01', to: '2026-10-31' });
  });

  it('a table as XLSX keeps numbers as numbers and neutralises text', async () => {
    const res = await post(cookies.manager, '/api/reporting/export', { filters: october, table: 'needs', format: 'xlsx' });
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows = (book.getWorksheet('Tableau')?.getSheetValues() ?? []).filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(rows).toContainEqual(['Besoins repérés', 'needs_found', 5]);
    expect(rows).toContainEqual(["'=1+2", 'need.formule', 1]);
  });

  it('the PDF report of the period, audited', async () => {
    const res = await post(cookies.org_admin, '/api/reporting/report', { filters: { ...october, segment } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.length).toBeGreaterThan(3000);
    expect((await exportsAudited()).at(-1)).toMatchObject({ table: 'pdf', format: 'pdf' });
  });
});
